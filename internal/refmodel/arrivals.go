package refmodel

import (
	"cmp"
	"math/rand/v2"
	"slices"

	bf "github.com/backflush/backflush"
)

// Arrivals returns an order in which the events of a stream in date order
// may arrive at a plant's books (indexes into evs): each event comes up to
// jitter places later than in the stream, except that the events of one
// day keep their order (it decides their costing) and a close comes after
// every event before it (those dated on or before it arrive while their
// period is open). Events of later periods may come before an earlier
// close, as a plant posts September's events before August closes.
func Arrivals(r *rand.Rand, evs []bf.Event, jitter float64) []int {
	key := make([]float64, len(evs))
	most := -1.0
	for i, e := range evs {
		k := float64(i) + r.Float64()*jitter
		if i > 0 && evs[i-1].Date == e.Date {
			k = max(k, key[i-1])
		}
		if e.Type == bf.Close {
			k = max(k, most)
		}
		key[i], most = k, max(most, k)
	}
	order := make([]int, len(evs))
	for i := range order {
		order[i] = i
	}
	// Stable: equal keys keep the stream's order.
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(key[a], key[b]) })
	return order
}
