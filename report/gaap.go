package report

import (
	"fmt"
	"io"
	"math/big"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/textfmt"
)

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

// shadow is a sequential absorption standard valuation of what is on hand,
// split by where it sits and by materials and conversion.
type shadow struct {
	mat                  bf.Money // materials in stores
	procMat, procConv    bf.Money // components of units in process
	asmMat, asmConv      bf.Money // stocked sub-assemblies
	fgMat, fgConv, fgFix bf.Money // finished goods (fgFix: the fixed part of fgConv)
}

func (s shadow) total() bf.Money {
	return s.mat + s.procMat + s.procConv + s.asmMat + s.asmConv + s.fgMat + s.fgConv
}

func shadowOf(l *costing.Ledger) shadow {
	var sh shadow
	std, sc := l.Std, l.Std.Scale
	ext := func(q bf.Qty, c bf.Cost) bf.Money { v, _ := bf.Extend(q, c, sc); return v }
	for i := range std.Plant.Items {
		i := int32(i)
		it := std.Item(i)
		q := l.OnHand(i)
		switch it.Kind {
		case bf.Material:
			sh.mat += ext(q, it.StandardCost)
		case bf.Assembly:
			sh.asmMat += ext(q, std.MaterialContent(i))
			sh.asmConv += ext(q, std.ConversionContent(i))
		case bf.Finished:
			sh.fgMat += ext(q, std.MaterialContent(i))
			sh.fgConv += ext(q, std.ConversionContent(i))
			sh.fgFix += ext(q, std.FixedContent(i))
		}
		if n := l.InProcess(i); n != 0 {
			for _, u := range std.Direct(i) {
				cq, _ := bf.MulQty(n, u.Per)
				sh.procMat += ext(cq, std.MaterialContent(u.Item))
				sh.procConv += ext(cq, std.ConversionContent(u.Item))
			}
		}
	}
	return sh
}

// gaapReference picks the GAAP book: the one named, or the first
// sequential absorption book, preferring one that applies LCNRV.
func gaapReference(l *costing.Ledger, name string) (*costing.Book, error) {
	if name != "" {
		b := l.Book(name)
		if b == nil {
			return nil, CheckBook(l, name)
		}
		if b.Config.Method != bf.MethodSequential || b.Config.Scope != bf.ScopeAbsorption {
			return nil, bf.E("reconcile", bf.KindInvalid, bf.Field("gaap"), "book "+name+" is not a GAAP book: it needs sequential tracking and absorption costing")
		}
		return b, nil
	}
	var ref *costing.Book
	for _, b := range l.Books {
		if b.Config.Method == bf.MethodSequential && b.Config.Scope == bf.ScopeAbsorption {
			if ref == nil || (ref.Config.LCNRV == nil && b.Config.LCNRV != nil) {
				ref = b
			}
		}
	}
	return ref, nil
}

// GAAPReconciliations reconciles every backflush book with the GAAP book.
// threshold is the materiality threshold in percent (of GAAP inventory and
// of GAAP operating income). Without a GAAP book there is nothing to return.
func GAAPReconciliations(l *costing.Ledger, gaapBook string, threshold bf.Pct) ([]GAAPRecon, error) {
	if threshold < 0 {
		return nil, bf.E("reconcile", bf.KindInvalid, bf.Field("materiality"), "a threshold cannot be negative")
	}
	ref, err := gaapReference(l, gaapBook)
	if err != nil || ref == nil {
		return nil, err
	}
	sh := shadowOf(l)
	rb := ref.Balances()
	refInv := inventoryOf(rb)
	refIncome := Summarize(ref).OperatingIncome
	var out []GAAPRecon
	for _, b := range l.Books {
		if b.Config.Method != bf.MethodBackflush {
			continue
		}
		t, scope := b.Config.Triggers, b.Config.Scope
		hasP, hasC := t.Has(bf.TriggerPurchase), t.Has(bf.TriggerCompletion)
		bb := b.Balances()
		g := GAAPRecon{Book: b.Config.Name, Reference: ref.Config.Name, BookInventory: inventoryOf(bb), GAAPInventory: refInv,
			BookIncome: Summarize(b).OperatingIncome, GAAPIncome: refIncome, Threshold: threshold}
		add := func(name string, v bf.Money, why string) {
			if v != 0 {
				g.Causes = append(g.Causes, Cause{name, v, why})
			}
		}
		// What the backflush book leaves out of inventory, valued at standard.
		wipConv := sh.procConv + sh.asmConv
		add("WIP not tracked", wipConv, "conversion of stocked sub-assemblies and of sub-assemblies in process is not inventoried; it reached COGS through the conversion variance")
		fgConvHeld := bf.Money(0)
		if hasC {
			switch scope {
			case bf.ScopeAbsorption:
				fgConvHeld = sh.fgConv
			case bf.ScopeVariable:
				fgConvHeld = sh.fgConv - sh.fgFix
			}
		}
		add("conversion not inventoried in finished goods", sh.fgConv-fgConvHeld, conversionWhy(hasC, scope))
		bookMat := sh.mat + sh.procMat + sh.asmMat
		if !hasC {
			bookMat += sh.fgMat
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
			expFG = sh.fgMat + fgConvHeld
		}
		dRIP, dFG := bb[bf.MaterialsInProcess]-expRIP, bb[bf.FinishedGoods]-expFG
		gross := refInv - rb[bf.InventoryAllowance]
		add("cost flow and variances in inventory", (gross-sh.total())-(dRIP+dFG), "the GAAP book holds inventory at "+ref.Config.Basis.String()+
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
		if hasP {
			e := AdjustingEntry{Memo: "reclassify materials-in-process into materials, WIP and finished goods"}
			e.Lines = appendLines(e.Lines, bf.Materials, sh.mat, bf.WIP, sh.procMat+sh.asmMat)
			if !hasC {
				e.Lines = appendLines(e.Lines, bf.FinishedGoods, sh.fgMat)
			}
			e.Lines = appendLines(e.Lines, bf.MaterialsInProcess, -bookMat)
			g.addEntry(e)
		} else {
			e := AdjustingEntry{Memo: "record materials on hand and their payable, at standard"}
			e.Lines = appendLines(e.Lines, bf.Materials, sh.mat, bf.WIP, sh.procMat+sh.asmMat)
			if !hasC {
				e.Lines = appendLines(e.Lines, bf.FinishedGoods, sh.fgMat)
			}
			e.Lines = appendLines(e.Lines, bf.AccountsPayable, -bookMat)
			g.addEntry(e)
		}
		conv := AdjustingEntry{Memo: "inventory the conversion the backflush book expensed"}
		conv.Lines = appendLines(conv.Lines, bf.WIP, wipConv, bf.FinishedGoods, sh.fgConv-fgConvHeld, bf.COGS, -(wipConv + sh.fgConv - fgConvHeld))
		g.addEntry(conv)
		flow := AdjustingEntry{Memo: "restate standard cost to the GAAP book's cost flow"}
		dm := rb[bf.Materials] - sh.mat
		dw := rb[bf.WIP] - (sh.procMat + sh.procConv + sh.asmMat + sh.asmConv)
		df := rb[bf.FinishedGoods] - (sh.fgMat + sh.fgConv) - dFG
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

func inventoryOf(bal [bf.NumAccounts]bf.Money) bf.Money {
	var v bf.Money
	for a := bf.Account(0); a < bf.NumAccounts; a++ {
		if a.Class() == bf.ClassInventory {
			v += bal[a]
		}
	}
	return v
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

func writeGAAP(w io.Writer, g *GAAPRecon, chart *bf.Chart, scale int) {
	fmt.Fprintf(w, "\n== Backflush book %s against GAAP book %s ==\n", g.Book, g.Reference)
	var tb textfmt.Table
	tb.Add("", "backflush", "GAAP", "GAAP − backflush")
	tb.Add("inventory", g.BookInventory.Format(scale), g.GAAPInventory.Format(scale), (g.GAAPInventory - g.BookInventory).Format(scale))
	tb.Add("operating income to date", g.BookIncome.Format(scale), g.GAAPIncome.Format(scale), (g.GAAPIncome - g.BookIncome).Format(scale))
	tb.Flush(w)
	fmt.Fprintf(w, "\nThe inventory difference by cause:\n")
	tb = textfmt.Table{Left: map[int]bool{2: true}}
	for _, c := range g.Causes {
		tb.Add("  "+c.Name, c.Amount.Format(scale), c.Why)
	}
	tb.Add("  unexplained", g.Residual.Format(scale), "")
	tb.Flush(w)
	verdict := "not material"
	if g.Material {
		verdict = "MATERIAL: the backflush book is not fit for external reporting without the adjustments below"
	}
	fmt.Fprintf(w, "\nMateriality (threshold %s%%): inventory %s%%, income %s%% — %s\n",
		g.Threshold.String(), pct2(g.InventoryRatio), pct2(g.IncomeRatio), verdict)
	if len(g.Adjustments) == 0 {
		return
	}
	fmt.Fprintf(w, "\nAdjusting entries to bring %s to GAAP:\n", g.Book)
	for _, e := range g.Adjustments {
		fmt.Fprintf(w, "  %s\n", e.Memo)
		tb = textfmt.Table{}
		for _, ln := range e.Lines {
			if ln.Amount > 0 {
				tb.Add("      Dr "+chart.CodeOf(ln.Account), ln.Amount.Format(scale), "")
			} else {
				tb.Add("          Cr "+chart.CodeOf(ln.Account), "", (-ln.Amount).Format(scale))
			}
		}
		tb.Flush(w)
	}
}

// pct2 formats a percentage with two decimals.
func pct2(p bf.Pct) string {
	return new(big.Rat).SetFrac64(int64(p), 1_000_000).FloatString(2)
}
