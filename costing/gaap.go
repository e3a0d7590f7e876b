package costing

import (
	"math/big"

	bf "github.com/backflush/backflush"
)

// The GAAP adjustments: what it takes to bring a backflush book to GAAP.
// External reporting wants inventory at full absorption cost (ASC 330-10-30,
// IAS 2.10–12): materials, work in process and finished goods, each with
// its conversion, fixed overhead included. A backflush book leaves some of
// that out by design (Horngren, Datar & Rajan, Cost Accounting, ch. 20:
// backflush is acceptable for external reporting only while the inventory
// it leaves out is immaterial). GAAPReconciliations values what is on hand
// at standard (StandardValuationOf), explains the difference between each
// backflush book and the GAAP book by cause, judges it against a
// materiality threshold and writes the adjusting entries a controller
// would post.

// Cause is one reason a backflush book's inventory differs from the GAAP
// book's, valued as GAAP minus backflush.
type Cause struct {
	Name   string
	Amount bf.Money
	Why    string
}

// AdjustingEntry is an entry that brings the backflush book toward GAAP.
type AdjustingEntry struct {
	Memo  string
	Lines []AdjustingLine
}

// AdjustingLine is one line of an adjusting entry: debit positive.
type AdjustingLine struct {
	Account bf.Account
	Amount  bf.Money
}

// GAAPRecon reconciles a backflush book with the GAAP book (sequential
// tracking, absorption) over the same events, as of the last event.
type GAAPRecon struct {
	Book, Reference string
	BookInventory   bf.Money
	GAAPInventory   bf.Money
	BookIncome      bf.Money // operating income since the first event
	GAAPIncome      bf.Money
	Causes          []Cause
	Residual        bf.Money // inventory difference the causes do not explain
	Threshold       bf.Pct
	InventoryRatio  bf.Pct // |difference| as a percent of GAAP inventory
	IncomeRatio     bf.Pct // |difference| as a percent of GAAP operating income
	Material        bool
	Adjustments     []AdjustingEntry
}

// StandardValuation is a sequential absorption standard valuation of what
// is on hand, split by where it sits and by materials and conversion.
type StandardValuation struct {
	Materials                             bf.Money // materials in stores
	ProcessMaterials, ProcessConversion   bf.Money // components of units in process
	AssemblyMaterials, AssemblyConversion bf.Money // stocked sub-assemblies
	FinishedMaterials, FinishedConversion bf.Money // finished goods
	FinishedFixed                         bf.Money // the fixed overhead part of FinishedConversion
}

// Total is the valuation of everything on hand.
func (s StandardValuation) Total() bf.Money {
	return s.Materials + s.ProcessMaterials + s.ProcessConversion + s.AssemblyMaterials + s.AssemblyConversion +
		s.FinishedMaterials + s.FinishedConversion
}

// StandardValuationOf is the standard valuation the GAAP adjustments start
// from (standard absorption costing, Horngren et al., ch. 7–8): it values
// the ledger's stock and units in process at rolled-up standard cost, as a
// sequential absorption book holds them:
// materials at standard, sub-assemblies and finished goods at their
// material and conversion content, and units in process at the content of
// the components issued to them.
//
// The valuation multiplies quantities by standards over every item, which
// no book's balance bounds (a backflush book holds part of it, or none):
// each part is summed exactly and must be within bf.MaxBalance, like a
// book's balance, so that the reconciliation's sums of them fit; an error
// says which part does not.
func StandardValuationOf(l *Ledger) (StandardValuation, error) {
	sh, ok := valueItems(l, l.Std, 0, int32(l.Std.NumItems()))
	if !ok {
		return StandardValuation{}, l.valuationErr()
	}
	return sh, nil
}

// valueItems values the stock on hand and the units in process of items lo
// to hi-1 at the rolled-up standards of std: the ledger's own, or proposed
// ones compiled with CompileFrom (whose items keep their positions). Units
// in process hold the components issued to them, which the ledger's
// standards name. Each part is summed exactly; ok is false when one is
// beyond bf.MaxBalance.
func valueItems(l *Ledger, std *Standards, lo, hi int32) (sh StandardValuation, ok bool) {
	var parts [8]bf.Sum // in the order of StandardValuation's fields
	const (
		mat = iota
		procMat
		procConv
		asmMat
		asmConv
		fgMat
		fgConv
		fgFixed
	)
	sc := l.Std.Scale
	ok = true
	add := func(k int, q bf.Qty, c bf.Cost) {
		v, fits := bf.Extend(q, c, sc)
		ok = ok && fits
		parts[k].Add(v)
	}
	for i := lo; i < hi; i++ {
		q := l.OnHand(i)
		switch l.Std.Item(i).Kind {
		case bf.Material:
			add(mat, q, std.MaterialContent(i))
		case bf.Assembly:
			add(asmMat, q, std.MaterialContent(i))
			add(asmConv, q, std.ConversionContent(i))
		case bf.Finished:
			add(fgMat, q, std.MaterialContent(i))
			add(fgConv, q, std.ConversionContent(i))
			add(fgFixed, q, std.FixedContent(i))
		}
		if n := l.InProcess(i); n != 0 {
			for _, u := range l.Std.Direct(i) {
				cq, fits := bf.MulQty(n, u.Per)
				ok = ok && fits
				add(procMat, cq, std.MaterialContent(u.Item))
				add(procConv, cq, std.ConversionContent(u.Item))
			}
		}
	}
	var v [8]bf.Money
	for k := range parts {
		var fits bool
		v[k], fits = parts[k].Within(bf.MaxBalance)
		ok = ok && fits
	}
	return StandardValuation{Materials: v[mat], ProcessMaterials: v[procMat], ProcessConversion: v[procConv],
		AssemblyMaterials: v[asmMat], AssemblyConversion: v[asmConv], FinishedMaterials: v[fgMat],
		FinishedConversion: v[fgConv], FinishedFixed: v[fgFixed]}, ok
}

// valuationErr refuses a standard valuation beyond what a book may hold.
func (l *Ledger) valuationErr() error {
	return bf.E("standard valuation", bf.KindInvalid,
		"the stock and units in process at standard cost would exceed "+l.moneyLimit()+": no reconciliation to GAAP can be drawn")
}

// GAAPReconciliations is the rule of the GAAP adjustments (ASC 330 and IAS
// 2 inventory at full absorption cost; Horngren et al., ch. 20, on when
// backflush needs them): it reconciles every backflush book with the GAAP
// book, the book named or by default the reference book for GAAP
// (ReferenceBook, ForGAAP), by cause, judges the difference against the
// materiality threshold and writes the adjusting entries. threshold is the materiality threshold in
// percent (of GAAP inventory and of GAAP operating income). Without a GAAP
// book there is nothing to return.
func GAAPReconciliations(l *Ledger, gaapBook string, threshold bf.Pct) ([]GAAPRecon, error) {
	if threshold < 0 {
		return nil, bf.E("reconcile", bf.KindInvalid, bf.Field("materiality"), "a threshold cannot be negative")
	}
	ref, err := ReferenceBook(l, gaapBook, ForGAAP)
	if err != nil || ref == nil {
		return nil, err
	}
	sh, err := StandardValuationOf(l)
	if err != nil {
		return nil, err
	}
	// From here every figure is a sum of a few balances (each within
	// bf.MaxBalance) and parts of sh (each within it too): the largest,
	// the residual, adds up fewer than 48 of them (docs/accounting.md, "The
	// limits"), so none wraps.
	rb := ref.Balances()
	refInv := bf.InventoryValue(rb)
	refIncome := journalIncome(ref)
	var out []GAAPRecon
	for _, b := range l.Books {
		if b.Config.Method != bf.MethodBackflush {
			continue
		}
		t, scope := b.Config.Triggers, b.Config.Scope
		// hasC: the book holds finished goods at full cost.
		hasP, hasC := t.Has(bf.TriggerPurchase), HeldAtFullCost(b.Config, bf.Finished)
		bb := b.Balances()
		g := GAAPRecon{Book: b.Config.Name, Reference: ref.Config.Name, BookInventory: bf.InventoryValue(bb), GAAPInventory: refInv,
			BookIncome: journalIncome(b), GAAPIncome: refIncome, Threshold: threshold}
		add := func(name string, v bf.Money, why string) {
			if v != 0 {
				g.Causes = append(g.Causes, Cause{name, v, why})
			}
		}
		// What the backflush book leaves out of inventory, valued at standard.
		wipConv := sh.ProcessConversion + sh.AssemblyConversion
		add("WIP not tracked", wipConv, "conversion of stocked sub-assemblies and of sub-assemblies in process is not inventoried; it reached COGS through the conversion variance")
		fgConvHeld := bf.Money(0)
		if hasC {
			switch scope {
			case bf.ScopeAbsorption:
				fgConvHeld = sh.FinishedConversion
			case bf.ScopeVariable:
				fgConvHeld = sh.FinishedConversion - sh.FinishedFixed
			}
		}
		add("conversion not inventoried in finished goods", sh.FinishedConversion-fgConvHeld, conversionWhy(hasC, scope))
		bookMat := sh.Materials + sh.ProcessMaterials + sh.AssemblyMaterials
		if !hasC {
			bookMat += sh.FinishedMaterials
		}
		if !hasP {
			add("materials not recorded until flushed", bookMat, "without the purchase trigger, materials in stores, in process and (without the completion trigger) in unsold goods are off the books; the payable is understated by as much")
		}
		// What each book holds beyond standard: the GAAP book's actual cost
		// layers and prorated variances; the backflush book's prorated
		// variances (its accounts less what standard puts there).
		expRIP, expFG := bf.Money(0), bf.Money(0)
		if hasP {
			expRIP = bookMat
		}
		if hasC {
			expFG = sh.FinishedMaterials + fgConvHeld
		}
		dRIP, dFG := bb[bf.MaterialsInProcess]-expRIP, bb[bf.FinishedGoods]-expFG
		gross := refInv - rb[bf.InventoryAllowance]
		add("cost flow and variances in inventory", (gross-sh.Total())-(dRIP+dFG), "the GAAP book holds inventory at "+ref.Config.Basis.String()+
			" cost, with any variances prorated into it; the backflush book at standard, with its own")
		add("LCNRV", rb[bf.InventoryAllowance]-bb[bf.InventoryAllowance], "the GAAP book writes inventory down to net realizable value; the backflush book cannot")
		var explained bf.Money
		for _, c := range g.Causes {
			explained += c.Amount
		}
		g.Residual = (refInv - g.BookInventory) - explained
		g.InventoryRatio = ratio(refInv-g.BookInventory, refInv)
		g.IncomeRatio = ratio(refIncome-g.BookIncome, refIncome)
		g.Material = g.InventoryRatio > threshold || g.IncomeRatio > threshold

		// Adjusting entries, in the order a controller would post them.
		// The materials: out of materials-in-process with the purchase
		// trigger, else recorded against their payable.
		e, from := AdjustingEntry{Memo: "record materials on hand and their payable, at standard"}, bf.AccountsPayable
		if hasP {
			e, from = AdjustingEntry{Memo: "reclassify materials-in-process into materials, WIP and finished goods"}, bf.MaterialsInProcess
		}
		e.Lines = appendLines(e.Lines, bf.Materials, sh.Materials, bf.WIP, sh.ProcessMaterials+sh.AssemblyMaterials)
		if !hasC {
			e.Lines = appendLines(e.Lines, bf.FinishedGoods, sh.FinishedMaterials)
		}
		e.Lines = appendLines(e.Lines, from, -bookMat)
		g.addEntry(e)
		conv := AdjustingEntry{Memo: "inventory the conversion the backflush book expensed"}
		conv.Lines = appendLines(conv.Lines, bf.WIP, wipConv, bf.FinishedGoods, sh.FinishedConversion-fgConvHeld,
			bf.COGS, -(wipConv + sh.FinishedConversion - fgConvHeld))
		g.addEntry(conv)
		flow := AdjustingEntry{Memo: "restate standard cost to the GAAP book's cost flow"}
		dm := rb[bf.Materials] - sh.Materials
		dw := rb[bf.WIP] - (sh.ProcessMaterials + sh.ProcessConversion + sh.AssemblyMaterials + sh.AssemblyConversion)
		df := rb[bf.FinishedGoods] - (sh.FinishedMaterials + sh.FinishedConversion) - dFG
		flow.Lines = appendLines(flow.Lines, bf.Materials, dm, bf.WIP, dw, bf.FinishedGoods, df, bf.MaterialsInProcess, -dRIP,
			bf.COGS, -(dm + dw + df - dRIP))
		g.addEntry(flow)
		if d := rb[bf.InventoryAllowance] - bb[bf.InventoryAllowance]; d != 0 {
			g.addEntry(AdjustingEntry{Memo: "write inventory down to LCNRV", Lines: []AdjustingLine{{bf.InventoryWritedown, -d}, {bf.InventoryAllowance, d}}})
		}
		out = append(out, g)
	}
	return out, nil
}

// journalIncome is a book's operating income since the first event, from
// its journal's lines: each account's sum is its balance, line after line
// within bf.MaxBalance (Book.fits), and the income adds up 12 of them.
func journalIncome(b *Book) bf.Money {
	var bal [bf.NumAccounts]bf.Money
	for ln := range b.Journal.Lines() {
		bal[ln.Account] += ln.Amount
	}
	return bf.OperatingIncome(bal)
}

func conversionWhy(hasC bool, scope bf.Scope) string {
	if !hasC {
		return "without the completion trigger, finished goods are not recorded: the conversion of units made and not sold was expensed"
	}
	return "the book's " + scope.String() + " scope leaves part of the conversion of finished goods out of inventory"
}

// appendLines appends (account, amount) pairs, leaving out zero amounts.
func appendLines(ls []AdjustingLine, pairs ...any) []AdjustingLine {
	for k := 0; k+1 < len(pairs); k += 2 {
		if v := pairs[k+1].(bf.Money); v != 0 {
			ls = append(ls, AdjustingLine{pairs[k].(bf.Account), v})
		}
	}
	return ls
}

func (g *GAAPRecon) addEntry(e AdjustingEntry) {
	if len(e.Lines) > 0 {
		g.Adjustments = append(g.Adjustments, e)
	}
}

// ratio returns |d| / |of| as a percentage (6 decimals); 100% when of is 0
// and d is not.
func ratio(d, of bf.Money) bf.Pct {
	if d < 0 {
		d = -d
	}
	if of < 0 {
		of = -of
	}
	if d == 0 {
		return 0
	}
	if of == 0 {
		return 100_000_000
	}
	r := new(big.Rat).SetFrac(big.NewInt(int64(d)), big.NewInt(int64(of)))
	r.Mul(r, big.NewRat(100_000_000, 1))
	f, _ := new(big.Float).SetRat(r).Int64()
	return bf.Pct(f)
}
