package incident

import "math"

// kmPerDegree is the length of a degree of latitude (and of longitude at
// the equator) on a sphere of earthRadiusKM.
const kmPerDegree = earthRadiusKM * math.Pi / 180

// index finds the incidents that a report may join: those with a report
// on the same or an adjacent day in the same admin-2 area, or in the same
// or a neighbouring grid cell. Cells are at least the join distance wide
// (with a margin for the sphere), so any two points within it lie in
// neighbouring cells.
type index struct {
	cellLat float64 // degrees; 0 when the distance rule is off
	areas   map[areaCell][]int
	grid    map[gridCell][]int
}

type areaCell struct {
	day           int
	country, area string
}

type gridCell struct {
	day, row, col int
}

func newIndex(distanceKM float64) *index {
	ix := &index{areas: map[areaCell][]int{}, grid: map[gridCell][]int{}}
	if distanceKM > 0 {
		ix.cellLat = distanceKM * 1.05 / kmPerDegree
	}
	return ix
}

func (ix *index) row(lat float64) int { return int(math.Floor(lat / ix.cellLat)) }

// col returns the column of lon in a row. A row's cells are as wide, in
// degrees of longitude, as the join distance is at the most poleward
// latitude of the row and its two neighbours, so that a neighbour row's
// point within the distance is at most one column away.
func (ix *index) col(row int, lon float64) int {
	lo, hi := float64(row-1)*ix.cellLat, float64(row+2)*ix.cellLat
	c := math.Cos(math.Min(89.9, math.Max(math.Abs(lo), math.Abs(hi))) * math.Pi / 180)
	width := ix.cellLat * 1.05 / c
	if width >= 360 {
		return 0
	}
	return int(math.Floor(lon / width))
}

func (ix *index) add(r *report, g int) {
	if r.area != "" {
		k := areaCell{r.day, r.country, r.area}
		ix.areas[k] = append(ix.areas[k], g)
	}
	if r.precise && ix.cellLat > 0 {
		row := ix.row(r.lat)
		k := gridCell{r.day, row, ix.col(row, r.lon)}
		ix.grid[k] = append(ix.grid[k], g)
	}
}

// candidates calls fn with every incident near r in time and space, some
// more than once.
func (ix *index) candidates(r *report, fn func(g int)) {
	for day := r.day - MaxDayGap; day <= r.day+MaxDayGap; day++ {
		if r.area != "" {
			for _, g := range ix.areas[areaCell{day, r.country, r.area}] {
				fn(g)
			}
		}
		if r.precise && ix.cellLat > 0 {
			row := ix.row(r.lat)
			for dr := -1; dr <= 1; dr++ {
				col := ix.col(row+dr, r.lon)
				for dc := -1; dc <= 1; dc++ {
					for _, g := range ix.grid[gridCell{day, row + dr, col + dc}] {
						fn(g)
					}
				}
			}
		}
	}
}
