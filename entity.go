package armstrace

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// EntityKind says what an entity is.
type EntityKind string

const (
	EntityState       EntityKind = "state"
	EntityAgency      EntityKind = "agency"      // a government agency or ministry
	EntityArmedForce  EntityKind = "armed_force" // a state's armed force, service or unit
	EntityArmedGroup  EntityKind = "armed_group" // a non-state armed group
	EntityCompany     EntityKind = "company"     // including state-owned enterprises
	EntityPerson      EntityKind = "person"
	EntityVessel      EntityKind = "vessel"
	EntityWeaponModel EntityKind = "weapon_model" // a weapon type or family, or a category when nothing finer is known
)

// EntityKinds lists every kind, in the order used in help texts.
var EntityKinds = []EntityKind{EntityState, EntityAgency, EntityArmedForce, EntityArmedGroup, EntityCompany, EntityPerson, EntityVessel, EntityWeaponModel}

// NameKind says how an alias relates to the entity.
type NameKind string

const (
	NameAlias           NameKind = "alias"
	NameFormer          NameKind = "former"
	NameTransliteration NameKind = "transliteration"
	NameMisspelling     NameKind = "misspelling" // kept because sources use it, so that searches for it succeed
)

// Name is one name of an entity, with its script (ISO 15924, such as Latn,
// Cyrl, Arab) and language (BCP 47) when known.
type Name struct {
	Value  string   `json:"value"`
	Script string   `json:"script,omitempty"`
	Lang   string   `json:"lang,omitempty"`
	Kind   NameKind `json:"kind,omitempty"`
}

// Identifier is an identifier under a scheme: ru-inn, ru-ogrn, us-uei,
// us-cage, duns, lei, imo, ofac-ent, ucdp-actor, website and so on. A
// strong scheme's value belongs to at most one entity (see Strong).
type Identifier struct {
	Scheme string `json:"scheme"`
	Value  string `json:"value"`
}

var schemePattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)

// Entity is a node of the evidence graph: a state, agency, armed force,
// armed group, company, person, vessel or weapon model.
type Entity struct {
	ID          string       `json:"id"`
	Kind        EntityKind   `json:"kind"`
	Name        string       `json:"name"`
	Aliases     []Name       `json:"aliases,omitempty"`
	Identifiers []Identifier `json:"identifiers,omitempty"`
	Country     string       `json:"country,omitempty"` // ISO 3166-1 alpha-2; SU for the Soviet Union
	Description string       `json:"description,omitempty"`
	Citations   []Citation   `json:"citations,omitempty"`
}

func (e *Entity) RecordType() RecordType { return TypeEntity }
func (e *Entity) RecordID() string       { return e.ID }

// Normalize trims names and fills in scripts and alias kinds left out, so
// that equal input stores equally.
func (e *Entity) Normalize() {
	e.Name = strings.TrimSpace(e.Name)
	for i := range e.Aliases {
		a := &e.Aliases[i]
		a.Value = strings.TrimSpace(a.Value)
		if a.Script == "" {
			a.Script = ScriptOf(a.Value)
		}
		if a.Kind == "" {
			a.Kind = NameAlias
		}
	}
	for i := range e.Identifiers {
		e.Identifiers[i].Value = strings.TrimSpace(e.Identifiers[i].Value)
	}
}

// Validate returns an EINVALID error naming the first field at fault.
func (e *Entity) Validate() error {
	if err := validateText(e); err != nil {
		return err
	}
	if err := validateID("id", e.ID); err != nil {
		return err
	}
	if err := oneOf("kind", e.Kind, EntityKinds...); err != nil {
		return err
	}
	if strings.TrimSpace(e.Name) == "" {
		return invalid("name", "required")
	}
	for i, a := range e.Aliases {
		f := fmt.Sprintf("aliases[%d]", i)
		if strings.TrimSpace(a.Value) == "" {
			return invalid(f+".value", "required")
		}
		if a.Kind != "" {
			if err := oneOf(f+".kind", a.Kind, NameAlias, NameFormer, NameTransliteration, NameMisspelling); err != nil {
				return err
			}
		}
	}
	seen := map[Identifier]bool{}
	for i, id := range e.Identifiers {
		f := fmt.Sprintf("identifiers[%d]", i)
		if !schemePattern.MatchString(id.Scheme) {
			return invalid(f+".scheme", "%q is not a scheme (lower-case letters, digits and '-', such as ru-inn)", id.Scheme)
		}
		if strings.TrimSpace(id.Value) == "" {
			return invalid(f+".value", "required")
		}
		if seen[id] {
			return invalid(f, "%s %s is listed twice", id.Scheme, id.Value)
		}
		seen[id] = true
	}
	if err := validateCountry("country", e.Country); err != nil {
		return err
	}
	return validateCitations(e.Citations, false)
}

// Names returns the primary name followed by every alias value.
func (e *Entity) Names() []string {
	out := []string{e.Name}
	for _, a := range e.Aliases {
		out = append(out, a.Value)
	}
	return out
}

// EntityFilter selects entities. Zero fields match everything.
type EntityFilter struct {
	IDs        []string // any of these ids
	Kind       EntityKind
	Country    string
	NameLike   string // substring of the name or any alias, case-insensitive for ASCII
	Identifier *Identifier
	// Access keeps what a reader who may see sources of these access
	// levels may see: records that cite at least one such source, or cite
	// none. Nil keeps everything.
	Access []Access
	Offset int
	Limit  int
}

// EntityService reads and writes entities.
type EntityService interface {
	FindEntityByID(ctx context.Context, id string) (*Entity, error)
	FindEntities(ctx context.Context, f EntityFilter) ([]*Entity, error)
	CreateEntity(ctx context.Context, e *Entity) error
	UpdateEntity(ctx context.Context, e *Entity) error
	DeleteEntity(ctx context.Context, id string) error
}

// MergeFrom adds to e what o knows and e does not: o's names (its primary
// name becomes an alias when it differs), identifiers and citations, and
// o's country and description where e has none. It never removes or
// changes what e has, and reports whether e changed.
func (e *Entity) MergeFrom(o *Entity) bool {
	changed := false
	names := map[string]bool{strings.ToLower(e.Name): true}
	for _, a := range e.Aliases {
		names[strings.ToLower(a.Value)] = true
	}
	add := func(n Name) {
		if n.Value == "" || names[strings.ToLower(n.Value)] {
			return
		}
		names[strings.ToLower(n.Value)] = true
		e.Aliases = append(e.Aliases, n)
		changed = true
	}
	add(Name{Value: o.Name, Kind: NameAlias})
	for _, a := range o.Aliases {
		add(a)
	}
	ids := map[Identifier]bool{}
	for _, id := range e.Identifiers {
		ids[id] = true
	}
	for _, id := range o.Identifiers {
		if !ids[id] {
			ids[id] = true
			e.Identifiers = append(e.Identifiers, id)
			changed = true
		}
	}
	cites := map[Citation]bool{}
	for _, c := range e.Citations {
		cites[c] = true
	}
	for _, c := range o.Citations {
		if !cites[c] {
			cites[c] = true
			e.Citations = append(e.Citations, c)
			changed = true
		}
	}
	if e.Country == "" && o.Country != "" {
		e.Country, changed = o.Country, true
	}
	if e.Description == "" && o.Description != "" {
		e.Description, changed = o.Description, true
	}
	return changed
}

// strongSchemes are the identifier schemes that name one legal person or
// object wherever they appear: two records that share one are the same
// entity. Websites, and tax or registration numbers without a country,
// are not among them.
var strongSchemes = map[string]bool{
	"ru-inn": true, "ru-ogrn": true, "ofac-ent": true, "lei": true, "imo": true,
	"us-uei": true, "duns": true, "us-cage": true, "iso3166-alpha3": true, "gw": true,
	"ucdp-actor": true, "wikidata": true,
}

// Strong reports whether the identifier names one entity wherever it
// appears, so that a record carrying it can be resolved to the entity that
// already holds it. Only strong identifiers are unique across entities.
func (id Identifier) Strong() bool { return strongSchemes[id.Scheme] }

// StrongSchemes lists the strong identifier schemes, sorted.
func StrongSchemes() []string {
	out := make([]string, 0, len(strongSchemes))
	for s := range strongSchemes {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// ParseKind reads an entity kind as a user or a file gives it: one of
// EntityKinds, or a FollowTheMoney schema name ("Person", "Company",
// "Organization", "Vessel", "PublicBody"; "LegalEntity" and "" say
// nothing), ignoring case.
func ParseKind(s string) (EntityKind, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	switch k {
	case "", "legalentity", "thing":
		return "", nil
	case "organization", "organisation":
		return EntityCompany, nil
	case "publicbody":
		return EntityAgency, nil
	}
	k = strings.NewReplacer(" ", "_", "-", "_").Replace(k)
	for _, kind := range EntityKinds {
		if string(kind) == k {
			return kind, nil
		}
	}
	names := make([]string, len(EntityKinds))
	for i, kind := range EntityKinds {
		names[i] = string(kind)
	}
	return "", invalid("kind", "%q is no kind of entity: use %s, or a FollowTheMoney schema (Person, Company, Organization, Vessel, PublicBody)", s, strings.Join(names, ", "))
}
