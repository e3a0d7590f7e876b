package report_test

// A period is its dates (issue 13): an event belongs to the period of its
// date whatever arrived first. The property: the same events arriving in
// any order that a plant can produce — out of date order while their
// period is open, each close after every event dated on or before it, the
// events of one day in their order — leave every closed period's
// statements as posting in date order gives them, from the moment the
// period is closed, and the final books equal to posting in date order.
//
// Failures name the seed; rerun one with
//
//	go test ./report -run 'TestPeriodsShuffledArrivals/seed=17$' -v

import (
	"reflect"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/refmodel"
	"github.com/backflush/backflush/report"
)

// TestPeriodsShuffledArrivals posts a random multi-period stream in date
// order (the reference), then the same events into a second ledger in a
// random order of arrival. After every arrival, each book's statement of
// every period closed so far equals the reference's; at the end the events,
// the journals line for line, the balances and every statement are the
// reference's.
func TestPeriodsShuffledArrivals(t *testing.T) {
	refmodel.Seeds(t, phSeeds, func(t *testing.T, seed uint64) {
		r := phRand(seed, 21)
		o := refmodel.Opts{Periods: 2 + r.IntN(4), Counts: true, Scrap: true, Fractional: seed%3 == 0, Quiet: true,
			Expenses: true, Closes: seed%2 == 0}
		books := phFamilyBooks(phSeqStd, phBfPC)
		books = append(books,
			bf.BookConfig{Name: "seq-fifo", Method: bf.MethodSequential, Basis: bf.BasisFIFO, Scope: phScopes[r.IntN(3)]},
			bf.BookConfig{Name: "seq-wa", Method: bf.MethodSequential, Basis: bf.BasisWeightedAverage, Scope: phScopes[r.IntN(3)]},
			bf.BookConfig{Name: "bf-s", Method: bf.MethodBackflush, Triggers: bf.TriggerSale, Scope: phScopes[r.IntN(3)]},
			bf.BookConfig{Name: "lcnrv-std", Method: bf.MethodSequential, Scope: phScopes[r.IntN(3)], LCNRV: phPolicy(r)},
			bf.BookConfig{Name: "lcnrv-bf", Method: bf.MethodBackflush, Triggers: bf.TriggerPurchase | bf.TriggerCompletion, Scope: phScopes[r.IntN(3)], LCNRV: phPolicy(r)},
		)
		policy := bf.ClosePolicy(seed % 2)
		w := newPhWorld(t, seed, r, phPlant(r, seed%4 != 0, true), books, policy, o)
		w.Run()
		ref := w.L
		var evs []bf.Event
		for _, e := range ref.Events() {
			evs = append(evs, *e)
		}
		want := make([][]report.Statement, len(books))
		for bi, b := range ref.Books {
			want[bi] = report.IncomeStatements(ref, b)
		}
		l, err := costing.NewLedger(ref.Std, books, policy)
		if err != nil {
			t.Fatal(err)
		}
		order := refmodel.Arrivals(r, evs, float64(1+r.IntN(40)))
		late := 0 // arrivals dated before an event already posted (on average 27 of 46, 3 of them closes)
		for k, i := range order {
			e := evs[i]
			if e.Date < l.Last() {
				late++
			}
			if err := l.Post(&e); err != nil {
				w.Fatalf("arrival %d, %s: %v", k, refmodel.EventString(&e), err)
			}
			for bi, b := range l.Books {
				for _, st := range report.IncomeStatements(l, b) {
					if st.Period.Closed && !reflect.DeepEqual(st, want[bi][st.Period.Number-1]) {
						w.Fatalf("after arrival %d (%s), book %s: closed period %d reads\n%+v\nposted in date order\n%+v",
							k, refmodel.EventString(&e), b.Config.Name, st.Period.Number, st, want[bi][st.Period.Number-1])
					}
				}
			}
		}
		for i, e := range l.Events() {
			if e.ID != evs[i].ID {
				w.Fatalf("event %d is %s, in date order %s (%d late arrivals)", i, e.ID, evs[i].ID, late)
			}
		}
		for bi, b := range l.Books {
			rb := ref.Books[bi]
			es, ls := refmodel.FlatJournal(&b.Journal)
			res, rls := refmodel.FlatJournal(&rb.Journal)
			if !reflect.DeepEqual(es, res) || !reflect.DeepEqual(ls, rls) || b.Balances() != rb.Balances() {
				w.Fatalf("book %s: the journal (%d entries) differs from posting in date order (%d), %d late arrivals", b.Config.Name, len(es), len(res), late)
			}
			if got := report.IncomeStatements(l, b); !reflect.DeepEqual(got, want[bi]) {
				w.Fatalf("book %s: the statements differ from posting in date order", b.Config.Name)
			}
		}
	})
}
