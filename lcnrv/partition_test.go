package lcnrv_test

import (
	"fmt"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/lcnrv"
)

// TestPartition checks the grouping rule on each basis, with an item that
// has no class and is named like another item's class: it stays a group of
// its own; and with units in process: a group of their own by item, with
// their class by class.
func TestPartition(t *testing.T) {
	lines := []lcnrv.Line{{Item: "a", Class: "x"}, {Item: "x"}, {Item: "b", Class: "x"}, {Item: "c", Class: "y"},
		{Item: "a", Class: "x", InProcess: true}, {Item: "x", InProcess: true}}
	for _, c := range []struct {
		basis bf.LCNRVBasis
		want  string
	}{
		{bf.LCNRVByItem, "[{a [0]} {x [1]} {b [2]} {c [3]} {a in process [4]} {x in process [5]}]"},
		{bf.LCNRVByClass, "[{x [0 2 4]} {x [1]} {y [3]} {x in process [5]}]"},
		{bf.LCNRVTotal, "[{total [0 1 2 3 4 5]}]"},
	} {
		if got := fmt.Sprint(lcnrv.Partition(lines, c.basis)); got != c.want {
			t.Errorf("%s: %s, want %s", c.basis, got, c.want)
		}
	}
}
