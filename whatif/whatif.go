// Package whatif runs a pull plant through the books: it simulates the
// plant (package sim), posts its events into every book (package costing),
// keeps each book's figures at every day's end, and compares a steady run
// with a disturbed one. The comparison shows that backflush agrees with
// sequential tracking while inventory stays near zero and drifts from it as
// inventory builds, and report.Differences explains the drift.
package whatif

import (
	"fmt"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/jit"
	"github.com/backflush/backflush/report"
	"github.com/backflush/backflush/sim"
)

// Options choose the runs.
type Options struct {
	Days int    // working days of each run
	Seed uint64 // the same for both runs
	// Disturb is what the disturbed run switches on (all when zero).
	Disturb sim.Disturbances
	Books   []bf.BookConfig // the default five when nil
	// Level runs the final line in a levelled mixed-model sequence
	// (sim.Options.Level) instead of arrival order.
	Level bool
	// WarmUpDays are left out of the JIT measures (sim.Options.WarmUpDays).
	WarmUpDays int
	Close      bf.ClosePolicy // where conversion variances go at a close
	// Progress, when set, is called as the work goes on: each run counts
	// its days twice, once simulated and once costed.
	Progress func(done, total int)
}

// BookDay is one book's figures at the end of a day.
type BookDay struct {
	Inventory       bf.Money // materials, materials-in-process, WIP and finished goods
	COGS            bf.Money // cost of goods sold so far
	OperatingIncome bf.Money // revenue less every income-statement charge so far
}

// Day is every book at the end of one simulated day.
type Day struct {
	Date  bf.Date   // the day
	Books []BookDay // in the ledger's book order
}

// Run is one simulated run costed in every book.
type Run struct {
	Name     string           // "steady" or "disturbed"
	Disturb  sim.Disturbances // switched on in this run
	Level    bool             // the final line ran a levelled sequence
	Sim      *sim.Result      // what the plant did
	Ledger   *costing.Ledger  // every book, all events posted
	Measures *jit.Measures    // the JIT measures of the run
	Days     []Day            // every book at each day's end
	// Ref is the index of the reference book for comparison
	// (costing.ReferenceBook, costing.ForComparison: the first sequential
	// book), -1 when the ledger keeps none.
	Ref int
	// Peak is the day whose end shows the largest operating-income
	// difference between a book and the reference, and PeakDiffs the
	// differences (report.Differences) at that day's end. End are the
	// differences at the end of the run.
	Peak      int                 // a day index, -1 without a reference book
	PeakDrift bf.Money            // the largest drift, as a positive amount
	PeakDiffs []report.Difference // at the end of day Peak
	End       []report.Difference // at the end of the run
	Elapsed   time.Duration       // simulating and costing
}

// Drift returns book b's operating income minus the reference book's at
// the end of day d.
func (r *Run) Drift(d, b int) bf.Money {
	if r.Ref < 0 {
		return 0
	}
	return r.Days[d].Books[b].OperatingIncome - r.Days[d].Books[r.Ref].OperatingIncome
}

// LargestDrift is book b's drift of largest magnitude over the run's days
// (the first of equal magnitudes): how far its operating income strayed
// from the reference book's at worst.
func (r *Run) LargestDrift(b int) bf.Money {
	var peak bf.Money
	for day := range r.Days {
		if v := r.Drift(day, b); max(v, -v) > max(peak, -peak) {
			peak = v
		}
	}
	return peak
}

// Simulate runs the model with the given disturbances and costs the run.
func Simulate(m *sim.Model, name string, d sim.Disturbances, o Options) (*Run, error) {
	t0 := time.Now()
	so := sim.Options{Days: o.Days, Seed: o.Seed, Disturb: d, Level: o.Level, WarmUpDays: o.WarmUpDays}
	var costed func(day int)
	if o.Progress != nil {
		so.Progress = func(day, days int) { o.Progress(day, 2*days) }
		costed = func(day int) { o.Progress(o.Days+day, 2*o.Days) }
	}
	res, err := m.Run(so)
	if err != nil {
		return nil, err
	}
	r, err := cost(res, o.Books, o.Close, costed)
	if err != nil {
		return nil, err
	}
	r.Name, r.Disturb, r.Level = name, d, o.Level
	r.Elapsed = time.Since(t0)
	return r, nil
}

// Compare runs the model steady and disturbed with the same seed.
func Compare(m *sim.Model, o Options) (steady, disturbed *Run, err error) {
	d := o.Disturb
	if d == 0 {
		d = sim.AllDisturbances
	}
	prog := o.Progress
	if prog != nil {
		o.Progress = func(day, days int) { prog(day, 2*days) }
	}
	if steady, err = Simulate(m, "steady", 0, o); err != nil {
		return nil, nil, err
	}
	if prog != nil {
		o.Progress = func(day, days int) { prog(days+day, 2*days) }
	}
	if disturbed, err = Simulate(m, "disturbed", d, o); err != nil {
		return nil, nil, err
	}
	return steady, disturbed, nil
}

// Cost posts a run's events into the books, day by day, keeping every
// book's figures at each day's end.
func Cost(res *sim.Result, books []bf.BookConfig, policy bf.ClosePolicy) (*Run, error) {
	return cost(res, books, policy, nil)
}

func cost(res *sim.Result, books []bf.BookConfig, policy bf.ClosePolicy, progress func(day int)) (*Run, error) {
	if books == nil {
		books = bf.DefaultBooks()
	}
	l, err := ledger(res, books, policy)
	if err != nil {
		return nil, err
	}
	r := &Run{Sim: res, Ledger: l, Ref: -1, Peak: -1}
	ref, _ := costing.ReferenceBook(l, "", costing.ForComparison)
	for i, b := range l.Books {
		if b == ref {
			r.Ref = i
		}
	}
	evs := res.Events
	k := 0
	for d := range res.Options.Days {
		date := res.Model.Start + bf.Date(d)
		for ; k < len(evs) && evs[k].Date <= date; k++ {
			if err := l.Post(&evs[k]); err != nil {
				// The simulator keeps the books' rules, so this is its bug:
				// name the plant and the run, and keep the books' reason.
				return nil, bf.E("cost simulated run", bf.KindInternal, bf.File(res.Model.File),
					fmt.Sprintf("seed %d, %s: the books refuse simulated event %s (%s %s)", res.Options.Seed, res.Options.Disturb, evs[k].ID, evs[k].Type, evs[k].Memo), err)
			}
		}
		day := Day{Date: date, Books: make([]BookDay, len(l.Books))}
		for i, b := range l.Books {
			day.Books[i] = figures(b)
		}
		r.Days = append(r.Days, day)
		// A new largest drift: reconcile it now, while the books stand at
		// that day's end. New records are rare, so this costs little.
		peak := r.Peak < 0 && r.Ref >= 0
		for b := range l.Books {
			if v := abs(r.Drift(d, b)); v > r.PeakDrift {
				r.PeakDrift, peak = v, true
			}
		}
		if peak {
			r.Peak = d
			r.PeakDiffs = report.Differences(l)
		}
		if progress != nil {
			progress(d + 1)
		}
	}
	r.End = report.Differences(l)
	valuer := func(i int) bf.Cost { return l.Std.Rolled(int32(i)) }
	if r.Measures, err = jit.Compute(res, valuer); err != nil {
		return nil, err
	}
	return r, nil
}

func ledger(res *sim.Result, books []bf.BookConfig, policy bf.ClosePolicy) (*costing.Ledger, error) {
	std, err := costing.Compile(&res.Model.Plant)
	if err != nil {
		return nil, err
	}
	l, err := costing.NewLedger(std, books, policy)
	if err != nil {
		return nil, err
	}
	// A simulated plant posts two to four lines an event in a book: reserve
	// four, not the eight of scenario.PostAll, which on a run of years
	// would be hundreds of megabytes never used.
	l.Grow(len(res.Events), 4)
	return l, nil
}

// figures reads a book's running balances (not its journal: this runs at
// every day's end). Operating income is revenue less every income-statement
// charge, conversion not yet closed included, as report.Summarize has it.
//
// Each figure adds up at most 12 balances, each within bf.MaxBalance, and a
// drift is the difference of two: no sum wraps (docs/accounting.md).
func figures(b *costing.Book) BookDay {
	bal := b.Balances()
	var f BookDay
	f.Inventory = bf.InventoryValue(bal)
	f.COGS = bal[bf.COGS]
	f.OperatingIncome = bf.OperatingIncome(bal)
	return f
}

func abs(m bf.Money) bf.Money {
	if m < 0 {
		return -m
	}
	return m
}
