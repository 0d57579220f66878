package match

// maxEdits is how many edits a word of n letters may carry and still be
// read as the same word: none up to three letters, one up to six, two up
// to ten, three beyond. A typo in a short word makes another word too
// often ("Rosatom", "Rostov").
func maxEdits(n int) int {
	switch {
	case n <= 3:
		return 0
	case n <= 6:
		return 1
	case n <= 10:
		return 2
	}
	return 3
}

// fuzzyFactor scales the cost of edits: similarity = 1 − fuzzyFactor ×
// edits / length. With 1.25, one typo in a 15-letter word leaves 0.92,
// two in seven letters 0.64.
const fuzzyFactor = 1.25

// damerau returns the optimal-string-alignment Damerau–Levenshtein
// distance between a and b (insertions, deletions, substitutions and
// transpositions of adjacent letters, each costing one), or k+1 when it
// exceeds k. Only the diagonal band |i−j| ≤ k is computed (Ukkonen), after
// a letter-count bound has ruled out pairs that cannot be within k.
func damerau(a, b []rune, k int) int {
	la, lb := len(a), len(b)
	if la-lb > k || lb-la > k {
		return k + 1
	}
	if la == 0 || lb == 0 {
		return max(la, lb)
	}
	if bagDistance(a, b) > k {
		return k + 1
	}
	var stack [3 * 48]int32
	var rows []int32
	if 3*(lb+1) <= len(stack) {
		rows = stack[:3*(lb+1)]
	} else {
		rows = make([]int32, 3*(lb+1))
	}
	prev2 := rows[0 : lb+1]
	prev := rows[lb+1 : 2*(lb+1)]
	cur := rows[2*(lb+1) : 3*(lb+1)]
	out := int32(k + 1)
	for j := 0; j <= lb; j++ {
		prev[j] = int32(min(j, k+1))
		prev2[j] = out
	}
	for i := 1; i <= la; i++ {
		lo, hi := max(1, i-k), min(lb, i+k)
		if lo == 1 {
			cur[0] = int32(min(i, k+1))
		} else {
			cur[lo-1] = out
		}
		if hi < lb {
			cur[hi+1] = out
		}
		rowMin := out
		ai := a[i-1]
		for j := lo; j <= hi; j++ {
			cost := int32(1)
			if ai == b[j-1] {
				cost = 0
			}
			v := prev[j-1] + cost
			if d := prev[j] + 1; d < v {
				v = d
			}
			if d := cur[j-1] + 1; d < v {
				v = d
			}
			if i > 1 && j > 1 && ai == b[j-2] && a[i-2] == b[j-1] {
				if d := prev2[j-2] + 1; d < v {
					v = d
				}
			}
			if v > out {
				v = out
			}
			cur[j] = v
			if v < rowMin {
				rowMin = v
			}
		}
		if rowMin > int32(k) {
			return k + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if d := int(prev[lb]); d <= k {
		return d
	}
	return k + 1
}

// bagDistance is a lower bound of the edit distance: the letters one word
// has more of than the other, counted in 64 buckets, the larger side.
// Each edit changes at most one letter on each side; a transposition none.
// Only the buckets the words' letters fall in are read back, each once
// (it is emptied when read): words are short, and the 64 buckets many.
func bagDistance(a, b []rune) int {
	var h [64]int16
	for _, r := range a {
		h[r&63]++
	}
	for _, r := range b {
		h[r&63]--
	}
	pos, neg := 0, 0
	for _, r := range a {
		if x := h[r&63]; x > 0 {
			pos += int(x)
			h[r&63] = 0
		}
	}
	for _, r := range b {
		if x := h[r&63]; x < 0 {
			neg -= int(x)
			h[r&63] = 0
		}
	}
	return max(pos, neg)
}
