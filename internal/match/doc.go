// Package match compares names of entities, across scripts and spellings,
// and says why: every score comes with the token alignment, the
// transliteration used, each feature's share of the score and a one-line
// summary.
//
// It is pure: no I/O, no state that changes; tables are built once when
// the package starts and only read afterwards, and options are values.
//
// # Pipeline
//
//  1. Normalize: NFKC, case folding, Latin and Greek diacritics removed,
//     apostrophes dropped, other punctuation a word break (Normalize).
//  2. Tokenise and classify (Tokenize): phrases of the legal-form and
//     company-word tables (tables.go) become one symbolic token each
//     ("Federal State Unitary Enterprise", "ФГУП" and "FSUE" are all
//     legal:fsue); digits are numbers; single letters initials (a Hangul
//     syllable or a Han character is a word: 김 is Kim); al, bin, de,
//     van particles. Keys gives the keys an index files a name under.
//  3. For words in other scripts, a transliteration lattice of every
//     spelling the script's rules allow (translit.go): Cyrillic (BGN/PCGN,
//     ICAO 9303, GOST 7.79 B, popular, Ukrainian, Serbian), Greek (ELOT
//     743), Armenian (BGN/PCGN), Georgian (national 2002), Hangul (Revised
//     and McCune–Reischauer, common surnames), and rule sets for Arabic and
//     Hebrew that add the unwritten vowels. Han, kana, Thai and other
//     scripts are compared only as written.
//  4. Align (Compare): every token of the query against every token of
//     the candidate, and two or three adjacent words against one
//     ("Rosoboron Export" / "Rosoboronexport", "Kim Jong Un" / 김정은);
//     the set of compatible pairs with the best name score is chosen by
//     a branch-and-bound search, best pairs first; it is exhaustive for
//     names of ordinary length, and for names with very many possible
//     pairs (over 48, or 20,000 steps) it keeps the best set found, at
//     least the greedy one.
//     Before edits are counted, a pair of words is ruled out by bounds
//     that cost a few instructions: their lengths, the letters either
//     has that the other lacks, and, against a transliteration, the
//     letters no spelling of it has; each such letter is an edit.
//  5. Qualify: countries, kinds, then identifiers.
//
// Prepare does steps 1–3 once per subject; ComparePrepared does 4–5 and
// the explanation; ScorePrepared skips the explanation, for ranking many
// candidates.
//
// # Token similarity
//
//	literal           1.0   the same word; 0.98 for words written apart on one side
//	symbol            0.95  two spellings of one legal form or company word (OAO/JSC)
//	initial           0.8   a letter and a word it begins (0.9 for two initials in two scripts)
//	spelling variant  0.95  two Latin spellings with one variant key (ROSOBORONEKSPORT/ROSOBORONEXPORT)
//	transliteration   0.98  alphabets, 0.95 Hangul, 0.92 abjads, when a spelling matches exactly
//	fuzzy             1 − 1.25 × edits / length, edits ≤ 0 (≤3 letters), 1 (≤6), 2 (≤10), 3
//
// Edits are Damerau–Levenshtein (a swap of two letters is one edit); the
// fuzzy similarity is also tried on the spelling-variant keys, from 0.95.
// Edits lower a transliteration likewise (base − 1.25 × edits / length,
// Levenshtein against the nearest spelling); an abjad's transliteration
// allows one edit from six letters on, none below (its rules already
// reach the usual spellings), and Hangul's none: its rules spell every
// syllable each usual way, popular vowels included (Young, Myung, Moo),
// and one letter more changes a syllable (정식, jongsik, is not Yong
// Sik). Numbers, and words
// with digits (Mi17, S-300), match only exactly; symbols only their own
// class, never a name word.
//
// # Name score
//
// Each token weighs by its class: name 1.0, number 1.0, initial 0.5,
// particle 0.3, company word 0.3, legal form 0.05, stop word 0.05. With
// pairs p of similarity s and weights a (query side) and b (candidate
// side), and tokens left unmatched,
//
//	name score = Σ s·(a+b) / (Σ (a+b) + 0.8 × unmatched query weight + 0.4 × unmatched candidate weight)
//
// Names equal after normalisation score 1.0 (an exact alias scores 1.0;
// the qualifiers below still apply). When only symbolic tokens
// matched, the name score is capped at 0.5: legal forms never make two
// names equal ("11420 CORP" and "BELLETECH CORP" share only CORP); so
// it is when only initials (and symbols) matched: "Angela Sullivan" is
// not "MUJEL, A.S.". When both names carry numbers the other lacks,
// 0.15 is taken off; when both carry name words of four letters or more
// that the other lacks, 0.10 ("Jose David Rivera" and "CABELLO RONDON,
// Jose David" agree on two words and disagree on the surname, where
// "Jose Cabello" only leaves words out). When a word was met only
// loosely (with edits, or by its initial) and either name keeps a name
// word of four letters or more that the other lacks, 0.10: two weak
// signs at once ("Mario Gonzalez" and "GONZALEZ MUNIZ, Maria" differ by
// a letter and a surname; a misspelt listing keeps its words). The
// alignment chosen is the best after these caps and penalties.
//
// Because an unmatched query token counts twice what an unmatched
// candidate token does, the score is not symmetric when tokens are left
// over: "Rosoboronexport" against "Rosoboronexport Trading" scores higher
// than the other way round. With Options.UnmatchedQuery equal to
// UnmatchedCandidate the score is symmetric (a property test checks it).
//
// # Qualifiers and identifiers
//
// When the names match at all, the same country adds 0.02 and different
// countries take off 0.10 (SU agrees with every post-Soviet state), and
// kinds that cannot be one entity (a person and a company) take off
// 0.15. The result is clamped to [0, 1]. Then identifiers: a strong
// identifier (armstrace.Identifier.Strong) with a valid form and check
// digit that both sides share makes the score 0.95 + 0.05 × the name
// score, a match on its own; a strong scheme both sides give with no
// value in common multiplies it by 0.6, below the review band; both at
// once (say the INN agrees and the OGRN does not) put it in the review
// band for a person to decide. Checksums are verified for INN, OGRN and
// OGRNIP, IMO and LEI; UEI, CAGE and DUNS are checked for form only.
//
// # Bands
//
//	score ≥ 0.95         sure: the same entity
//	0.70 ≤ score < 0.95  review: a person should look
//	score < 0.70         no match
//
// Result.Match is score ≥ Options.Threshold (0.70 by default).
//
// # Measured
//
// The tests measure the rules on data beside the project
// (../shared/data/matching; go test -v -run 'Accuracy|Screening|CrossScript'):
//
// Wikidata name tokens (test splits of Merhav & Ash 2018, CC0): how often
// the Latin token is one of the spellings the rules generate for the
// native one, or within one or two edits of one; and, to show what the
// rules wrongly reach, the same against another row's Latin token of the
// same length.
//
//	                       exact   ≤1 edit  ≤2 edits  wrong name ≤1  accepted (right / wrong)
//	Russian (32,927 rows)  54.4%   79.4%    90.9%     0.1%           87.3% / 0.03%
//	Arabic  (12,994 rows)  78.6%   93.6%    97.6%     0.8%           90.2% / 0.12%
//
// "Accepted" is within the edits Compare allows a transliteration. Most
// Russian misses are foreign names written in Russian and read back
// (Морин for Maureen, Уотсон for Watson); for Russian names the schemes
// reach the usual spellings. Fixed per-scheme spellings alone (what Keys
// gives an index; the foreign-names readings left out) reach 41.9% of
// the Russian tokens exactly, 85.2% within two edits. Against a wrong
// name of the same length the lattice is exact for none of the Russian
// rows and 4 of the Arabic.
//
// Screening fixtures (opensanctions/yente): of 683 UN listings, 99.9% are
// found (≥ 0.70) from their treated copies, 95.2% sure; of the 166 copies
// the treatment changed, 99.4% and 80.1%. Against another person's
// listing, none reach 0.70; 1,000 synthetic persons on no list against
// the 683 listings give one pair at 0.70 of 683,000.
//
// Cross-script pairs (moov-io/watchman): 14 of 22 pass at the file's
// minimum scores: Arabic, Cyrillic, Greek Nikolaos, Hebrew and Hangul;
// Han, kana and Thai are not transliterated, and Αλέξανδρος/Alexander is
// a translation rather than a transliteration.
package match
