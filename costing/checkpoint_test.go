package costing_test

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/refmodel"
)

// cpOp is one step a ledger took: an event posted or a switch of standards
// from a date.
type cpOp struct {
	event *bf.Event
	std   *costing.Standards
	from  bf.Date
}

// TestCheckpointsMatchReplay drives a ledger with random events (a quarter
// of them dated back into the open period, closes too, so that the open
// window is re-costed), reversals, re-processing, switches of standards
// (one adding an item, from a date that may be behind events posted) and
// random checkpoints, restores and releases, the way the durable service
// does with overlapping batches. After every step the ledger must equal a
// reference ledger that took only the steps still standing: same journals
// line for line, balances, stock, units in process, queue and closes. The
// reference is rebuilt after every restore from the standing steps in date
// order (the versions first, then the events sorted by date, stable), so
// that it never re-costs, and then takes every step too, so that state a
// restore got wrong (WIP values, say) shows in the postings that follow.
func TestCheckpointsMatchReplay(t *testing.T) {
	for seed := uint64(1); seed <= 60; seed++ {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			policy := bf.ClosePolicy(seed % 2)
			w := newPropWorld(t, seed, policy)
			plant := *w.Plant
			plant.Items = append([]bf.Item(nil), w.Plant.Items...)
			if seed%3 == 0 {
				for i := range plant.Items {
					if plant.Items[i].Kind == bf.Material {
						plant.Items[i].Shortage = bf.ShortageQueue
					}
				}
			}
			std, err := costing.Compile(&plant)
			if err != nil {
				t.Fatal(err)
			}
			// A later version: the same plant and one more material.
			plant2 := plant
			plant2.Items = append(append([]bf.Item(nil), plant.Items...), bf.Item{ID: "late-material", Kind: bf.Material, StandardCost: bf.Dollars(3)})
			std2, err := costing.CompileFrom(&plant2, std)
			if err != nil {
				t.Fatal(err)
			}
			// Books with LCNRV too: what a close releases with the goods
			// that left depends on the units that left since the last
			// close, which a restore must put back.
			cfg := append(slices.Clone(w.cfg),
				bf.BookConfig{Name: "lcnrv-us", Method: bf.MethodSequential, LCNRV: &bf.LCNRVPolicy{Basis: bf.LCNRVByItem, Standard: bf.USGAAP}},
				bf.BookConfig{Name: "lcnrv-ias2", Method: bf.MethodBackflush, Triggers: bf.TriggerPurchase | bf.TriggerCompletion,
					LCNRV: &bf.LCNRVPolicy{Basis: bf.LCNRVByClass, Standard: bf.IAS2}})
			newLedger := func() *costing.Ledger {
				l, err := costing.NewLedger(std, cfg, policy)
				if err != nil {
					t.Fatal(err)
				}
				return l
			}
			l, ref := newLedger(), newLedger()
			type open struct {
				cp *costing.Checkpoint
				n  int // steps standing when it was taken
			}
			var steps []cpOp
			var cps []open
			var trace []string
			fail := func(format string, args ...any) {
				t.Helper()
				tail := trace[max(0, len(trace)-15):]
				t.Fatalf(format+"\nlast steps:\n  %s", append(args, fmt.Sprint(tail))...)
			}
			apply := func(op cpOp) {
				t.Helper()
				if op.std != nil {
					errL, errR := l.SwitchStandards(op.std, op.from), ref.SwitchStandards(op.std, op.from)
					if errL != nil || errR != nil {
						fail("switch: %v, reference %v", errL, errR)
					}
					steps = append(steps, op)
					trace = append(trace, "switch standards from "+op.from.String())
					return
				}
				e := op.event
				errL, errR := l.Post(e), ref.Post(e)
				if (errL == nil) != (errR == nil) || bf.ErrorKind(errL) != bf.ErrorKind(errR) {
					fail("post %s: %v, reference %v", refmodel.EventString(e), errL, errR)
				}
				trace = append(trace, refmodel.EventString(e)+fmt.Sprintf(" → %v", errL))
				if errL == nil {
					steps = append(steps, op)
				}
			}
			// back returns a day in the open period, up to the current one.
			back := func() bf.Date {
				lo := l.ClosedThrough() + 1
				if l.ClosedThrough() == 0 {
					lo = w.Day - 10
				}
				return lo + bf.Date(w.R.IntN(int(w.Day-lo)+1))
			}
			switched := func() bool {
				for _, op := range steps {
					if op.std != nil {
						return true
					}
				}
				return false
			}
			for step := 0; step < 160; step++ {
				switch k := w.R.IntN(20); {
				case k < 12:
					e := w.Next()
					if w.R.IntN(4) == 0 {
						e.Date = back()
					}
					if e.Type == bf.Close {
						w.Day++
					}
					apply(cpOp{event: &e})
				case k < 13 && l.Len() > 0:
					target := l.Event(int32(w.R.IntN(l.Len())))
					w.Advance()
					apply(cpOp{event: &bf.Event{ID: w.ID(), Date: w.Day, Type: bf.Reverse, Reverses: target.ID}})
				case k < 14:
					w.Advance()
					apply(cpOp{event: &bf.Event{ID: w.ID(), Date: w.Day, Type: bf.Reprocess}})
				case k < 15 && !switched():
					apply(cpOp{std: std2, from: back() + bf.Date(w.R.IntN(3))})
				case k < 17:
					cps = append(cps, open{l.Checkpoint(), len(steps)})
					trace = append(trace, fmt.Sprintf("checkpoint %d", len(cps)-1))
				case k < 19 && len(cps) > 0:
					i := w.R.IntN(len(cps))
					l.Restore(cps[i].cp)
					steps, cps = steps[:cps[i].n], cps[:i+1]
					trace = append(trace, fmt.Sprintf("restore %d", i))
					ref = newLedger()
					var evs []*bf.Event
					for _, op := range steps {
						if op.std != nil {
							if err := ref.SwitchStandards(op.std, op.from); err != nil {
								t.Fatal(err)
							}
						} else {
							evs = append(evs, op.event)
						}
					}
					slices.SortStableFunc(evs, func(a, b *bf.Event) int { return cmp.Compare(a.Date, b.Date) })
					for _, e := range evs {
						if err := ref.Post(e); err != nil {
							fail("replaying %s in date order: %v", refmodel.EventString(e), err)
						}
					}
				case len(cps) > 0:
					i := w.R.IntN(len(cps))
					l.Release(cps[i].cp)
					cps = append(cps[:i], cps[i+1:]...)
					trace = append(trace, fmt.Sprintf("release %d", i))
				}
				sameLedger(t, fail, l, ref)
			}
		})
	}
}

// sameLedger fails unless l and ref hold the same events, journals,
// balances, stock, units in process, queue and closes.
func sameLedger(t *testing.T, fail func(string, ...any), l, ref *costing.Ledger) {
	t.Helper()
	if l.Len() != ref.Len() || l.ClosedThrough() != ref.ClosedThrough() || l.Std != ref.Std {
		fail("%d events closed through %s; reference %d, %s (same standards: %v)", l.Len(), l.ClosedThrough(), ref.Len(), ref.ClosedThrough(), l.Std == ref.Std)
	}
	for i, b := range l.Books {
		rb := ref.Books[i]
		if b.Balances() != rb.Balances() {
			fail("book %s: balances\n%v\nreference\n%v", b.Config.Name, b.Balances(), rb.Balances())
		}
		es, ls := refmodel.FlatJournal(&b.Journal)
		res, rls := refmodel.FlatJournal(&rb.Journal)
		if !reflect.DeepEqual(es, res) || !reflect.DeepEqual(ls, rls) {
			fail("book %s: journal of %d entries, %d lines; reference %d, %d", b.Config.Name, len(es), len(ls), len(res), len(rls))
		}
	}
	for i := range l.Std.NumItems() {
		x := int32(i)
		if l.OnHand(x) != ref.OnHand(x) || l.InProcess(x) != ref.InProcess(x) {
			fail("item %s: on hand %s, in process %s; reference %s, %s", l.Std.Item(x).ID, l.OnHand(x), l.InProcess(x), ref.OnHand(x), ref.InProcess(x))
		}
		for bi, b := range l.Books {
			q, v := b.WIP(x)
			rq, rv := ref.Books[bi].WIP(x)
			if q != rq || v != rv {
				fail("book %s, item %s: WIP %s units, %s; reference %s, %s", b.Config.Name, l.Std.Item(x).ID, q, v.Format(2), rq, rv.Format(2))
			}
		}
	}
	if fmt.Sprint(l.Queue()) != fmt.Sprint(ref.Queue()) {
		fail("queue %v, reference %v", l.Queue(), ref.Queue())
	}
}

// TestRestoreReleased: restoring a checkpoint that was released, or one
// taken after the checkpoint restored, is a programming error.
func TestRestoreReleased(t *testing.T) {
	w := newPropWorld(t, 1, bf.CloseToCOGS)
	a := w.L.Checkpoint()
	b := w.L.Checkpoint()
	w.L.Restore(a)
	for name, c := range map[string]*costing.Checkpoint{"restored past": b, "released": a} {
		if name == "released" {
			w.L.Release(a)
			w.L.Release(a) // twice: nothing
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("restoring a checkpoint %s did not panic", name)
				}
			}()
			w.L.Restore(c)
		}()
	}
}
