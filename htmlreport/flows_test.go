package htmlreport

import (
	"strconv"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/scenariotest"
)

// TestCostFlowsOverflow: a flow adds up amounts over the whole journal,
// which the balances do not bound: counts that find a surplus and then a
// shortage of the same worth, over and over, keep every balance near zero
// while the flows between materials and the usage variance grow past the
// range of an amount. costFlows says so rather than wrap around.
func TestCostFlowsOverflow(t *testing.T) {
	_, l := scenariotest.Decode(t, "flows.yaml", `
name: counts of costly steel
items: [{id: steel, kind: material, standard_cost: 40000}]
books: [{name: seq, method: sequential}]
`)
	// 2.5×10^10 units at $40,000 are about 0.69 of a book's limit.
	q := bf.Units(25_000_000_000)
	b := l.Book("seq")
	for i := 0; ; i++ {
		for k, n := range []bf.Qty{q, 0} {
			e := bf.Event{ID: "c" + strconv.Itoa(k) + "-" + strconv.Itoa(i), Date: bf.Date(20600), Type: bf.Count, Item: "steel", Qty: n}
			if err := l.Post(&e); err != nil {
				t.Fatal(err)
			}
		}
		_, ok := costFlows(b)
		if i < 10 && !ok {
			t.Fatalf("after %d counts: the flows do not fit", 2*(i+1))
		}
		if !ok {
			return // found past int64
		}
		if i > 100 {
			t.Fatal("the flows still fit after 200 counts of 10^17: they wrapped around")
		}
	}
}
