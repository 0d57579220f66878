package match

import (
	"math/rand"
	"testing"
)

func naiveOSA(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := 0; j <= len(b); j++ {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+c)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func TestDamerauAgainstNaive(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	word := func() []rune {
		n := rng.Intn(12)
		w := make([]rune, n)
		for i := range w {
			w[i] = rune('a' + rng.Intn(4))
		}
		return w
	}
	for n := 0; n < 200000; n++ {
		a, b := word(), word()
		k := rng.Intn(5)
		want := naiveOSA(a, b)
		got := damerau(a, b, k)
		if want > k {
			want = k + 1
		}
		if got != want {
			t.Fatalf("%s %s k=%d: got %d want %d", string(a), string(b), k, got, want)
		}
	}
}
