package ingest

import "testing"

func TestStatesResolveAcrossDatasets(t *testing.T) {
	st, err := LoadStates()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, want string }{
		{"Russia", "ent:russia"},
		{"Government of Russia (Soviet Union)", "ent:russia"},
		{"Russian Federation", "ent:russia"},
		{"Soviet Union", "ent:soviet-union"},
		{"Syria", "ent:syria"},
		{"Government of Syria", "ent:syria"},
		{"Syrian Arab Republic", "ent:syria"},
		{"SYR", "ent:syria"},
		{"Government of United States of America", "ent:united-states"},
		{"United States", "ent:united-states"},
		{"UAE", "ent:united-arab-emirates"},
		{"Government of DR Congo (Zaire)", "ent:dr-congo"},
		{"Government of Yemen (North Yemen)", "ent:yemen"},
		{"Government of Serbia (Yugoslavia)", "ent:serbia"},
		{"Government of Cambodia (Kampuchea)", "ent:cambodia"},
		{"Cote d'Ivoire", ""},
		{"Syria rebels*", ""},
		{"Syrian insurgents", ""},
	} {
		s, ok := st.ByName(tc.name)
		got := ""
		if ok {
			got = s.ID
		}
		if got != tc.want {
			t.Errorf("ByName(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if s, ok := st.ByGW(652); !ok || s.ID != "ent:syria" {
		t.Errorf("gw 652: %v", s)
	}
	for _, s := range st.All() {
		if err := s.Entity().Validate(); err != nil {
			t.Errorf("%s: %v", s.ID, err)
		}
	}
}
