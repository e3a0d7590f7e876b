package costing_test

// Property tests over random plants and random event streams. Every seed
// builds a plant whose BOM quantities and costs keep every extension exact in
// cents (quantities are multiples of a granule that clears the denominators of
// every BOM path), so each book's balances can be predicted to the cent by an
// independent model: the physical stock valued at the reference standards
// (package refmodel, computed with math/big), plus running totals of what
// was bought, sold, scrapped, counted and incurred. A posting rule that puts
// value in the wrong account, or the right value twice, breaks the
// prediction.
//
// Failures name the seed; rerun one with
//
//	go test ./costing -run 'TestProperty.*/seed=17$' -v

import (
	"math"
	"math/big"
	"slices"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/refmodel"
)

const propSeeds = 200

// propBooks are the five books every property compares.
var propBooks = []bf.BookConfig{
	{Name: "sequential", Method: bf.MethodSequential},
	{Name: "purchase+completion", Method: bf.MethodBackflush, Triggers: bf.TriggerPurchase | bf.TriggerCompletion},
	{Name: "purchase+sale", Method: bf.MethodBackflush, Triggers: bf.TriggerPurchase | bf.TriggerSale},
	{Name: "completion", Method: bf.MethodBackflush, Triggers: bf.TriggerCompletion},
	{Name: "sale", Method: bf.MethodBackflush, Triggers: bf.TriggerSale},
}

// propPlant: 3–12 materials, 1–4 assemblies, up to 2 phantoms, 1–3
// finished items, BOM quantities 1–4 and component scrap 0, 10, 25 or 50%.
var propPlant = refmodel.PlantOpts{MinMaterials: 3, MaxMaterials: 12, MaxAssemblies: 4, Phantoms: true, MaxBOMQty: 4, Scrap: true}

// ---------------------------------------------------------------------------
// The world: a ledger with the five books and the independent model of it.

type propWorld struct {
	*refmodel.World
	policy bf.ClosePolicy
	cfg    []bf.BookConfig // the books in ledger order

	// Physical model.
	onHand, started []bf.Qty

	// Running totals, in cents.
	revenue, paid, stdBought bf.Money
	convActual, convOpen     bf.Money // incurred; incurred since the last close
	salesStd, salesConv      bf.Money // standard cost and its conversion part of units sold
	scrapStd, scrapConv      bf.Money // standard cost of scrap (without own level) and its conversion part
	countStd, countConv      bf.Money // count differences at standard, and their conversion part
	allocAtClose             []bf.Money
	adj                      [][bf.NumAccounts]bf.Money // close postings per book and account
	// shares: per book and holding (item×2, +1 in process), the prorated
	// variance its goods carry and the units carrying it; cogsMark: the
	// COGS balance after the last close (a close weighs the period's COGS).
	shares   [][]heldShare
	cogsMark []bf.Money
	pre      [][bf.NumAccounts]bf.Money // every book's expected balances before a close
}

// heldShare is the model's prorated share of a holding.
type heldShare struct {
	units bf.Qty
	amt   bf.Money
}

// newPropWorld draws a plant and a stream's random source from the seed.
// Events posted with Post update the model and check every book against it
// (with Opts.Fractional, quantities that round, only the journals).
func newPropWorld(t *testing.T, seed uint64, policy bf.ClosePolicy) *propWorld {
	t.Helper()
	r := refmodel.Rand(seed, 0x5eed)
	p := refmodel.NewPlant(r, propPlant)
	// The books in a random rotation: a rule that behaves differently
	// depending on a book's position (the rollback of a refused event, say)
	// shows on some seeds.
	k := r.IntN(len(propBooks))
	cfg := append(slices.Clone(propBooks[k:]), propBooks[:k]...)
	o := refmodel.Opts{Counts: true, Scrap: true, Closes: true}
	n := len(p.Items)
	w := &propWorld{World: refmodel.NewWorld(t, seed, r, p, cfg, policy, o), policy: policy, cfg: cfg,
		onHand: make([]bf.Qty, n), started: make([]bf.Qty, n),
		allocAtClose: make([]bf.Money, len(cfg)), adj: make([][bf.NumAccounts]bf.Money, len(cfg)),
		shares: make([][]heldShare, len(cfg)), cogsMark: make([]bf.Money, len(cfg))}
	for bi := range cfg {
		w.shares[bi] = make([]heldShare, 2*n)
	}
	w.Before = func(e *bf.Event) {
		if e.Type == bf.Close && !w.Opts.Fractional {
			w.pre = make([][bf.NumAccounts]bf.Money, len(w.cfg))
			for bi := range w.cfg {
				w.pre[bi] = w.expected(bi)
			}
		}
	}
	w.After = func(e *bf.Event) {
		if !w.Opts.Fractional {
			w.apply(e, w.pre)
			w.check()
		}
	}
	return w
}

// issue takes the stocked components of q units of x out of stores.
func (w *propWorld) issue(x int, q bf.Qty) {
	for _, u := range w.S.Direct[x] {
		w.onHand[u.Item] -= refmodel.MulQty(q, u.Per)
	}
}

// apply updates the model; pre holds every book's expected balances before a close.
func (w *propWorld) apply(e *bf.Event, pre [][bf.NumAccounts]bf.Money) {
	ps := w.S
	x := -1
	if e.Item != "" {
		x = ps.Index[e.Item]
	}
	if w.policy == bf.CloseProrate && e.Type != bf.Close {
		for bi := range w.cfg {
			w.followShares(bi, e, x)
		}
	}
	switch e.Type {
	case bf.Purchase:
		w.onHand[x] += e.Qty
		w.paid += refmodel.Round(e.Qty, e.UnitCost)
		w.stdBought += refmodel.Value(e.Qty, ps.Buy[x])
	case bf.Start:
		w.issue(x, e.Qty)
		w.started[x] += e.Qty
	case bf.Complete:
		n := e.Qty + e.ScrapQty
		from := min(max(w.started[x], 0), n)
		w.issue(x, n-from)
		w.started[x] -= from
		w.onHand[x] += e.Qty
		w.scrapStd += refmodel.Value(e.ScrapQty, ps.Rolled(x)-ps.Own[x])
		w.scrapConv += refmodel.Value(e.ScrapQty, ps.Conv[x]-ps.Own[x])
	case bf.Sale:
		price := e.UnitPrice
		if price == 0 {
			price = w.Plant.Items[x].Price
		}
		w.onHand[x] -= e.Qty
		w.revenue += refmodel.Round(e.Qty, price)
		w.salesStd += refmodel.Value(e.Qty, ps.Rolled(x))
		w.salesConv += refmodel.Value(e.Qty, ps.Conv[x])
	case bf.Count:
		diff := e.Qty - w.onHand[x]
		w.onHand[x] = e.Qty
		w.countStd += refmodel.Value(diff, ps.Rolled(x))
		w.countConv += refmodel.Value(diff, ps.Conv[x])
	case bf.ConversionCost:
		w.convActual += e.Amount
		w.convOpen += e.Amount
	case bf.Close:
		for bi, c := range w.cfg {
			b := pre[bi]
			under := b[bf.ConversionControl] + b[bf.ConversionAllocated]
			if w.policy == bf.CloseToCOGS {
				w.adj[bi][bf.COGS] += under
			} else {
				accts := [3]bf.Account{bf.WIP, bf.FinishedGoods, bf.COGS}
				if c.Method == bf.MethodBackflush {
					fg := bf.FinishedGoods
					if !c.Triggers.Has(bf.TriggerCompletion) {
						fg = bf.COGS
					}
					accts = [3]bf.Account{fg, fg, bf.COGS}
				}
				var wts [3]bf.Money
				for i, a := range accts[:2] {
					if a != bf.COGS && (i == 0 || a != accts[0]) {
						wts[i] = max(b[a], 0)
					}
				}
				wts[2] = max(b[bf.COGS]-w.cogsMark[bi], 0)
				out := refmodel.Apportion(under, wts[:])
				for i, a := range accts[:2] {
					if out[i] != 0 {
						out[2] += w.prorateInto(bi, a, out[i])
					}
				}
				w.adj[bi][bf.COGS] += out[2]
				w.cogsMark[bi] = b[bf.COGS] + out[2]
			}
			w.allocAtClose[bi] = w.allocated(bi)
		}
		w.convOpen = 0
	}
}

// shareAcct is the account where book bi keeps holding h.
func (w *propWorld) shareAcct(bi, h int) bf.Account {
	if h%2 == 1 {
		return bf.WIP
	}
	if w.cfg[bi].Method == bf.MethodBackflush {
		return bf.FinishedGoods
	}
	if w.S.Kind[h/2] == bf.Finished {
		return bf.FinishedGoods
	}
	return bf.WIP
}

// take removes the share of q units leaving holding h, the share-carrying
// units first, and moves it to account to.
func (w *propWorld) take(bi, h int, q bf.Qty, to bf.Account) bf.Money {
	s := &w.shares[bi][h]
	if q <= 0 || s.units <= 0 {
		return 0
	}
	t, amt := min(q, s.units), s.amt
	if t < s.units {
		v, _ := bf.MulDiv(int64(s.amt), int64(t), int64(s.units))
		amt = bf.Money(v)
	}
	s.units -= t
	s.amt -= amt
	w.adj[bi][w.shareAcct(bi, h)] -= amt
	w.adj[bi][to] += amt
	return amt
}

// give adds a share carried by q more units to holding h, moved from account from.
func (w *propWorld) give(bi, h int, q bf.Qty, amt bf.Money, from bf.Account) {
	s := &w.shares[bi][h]
	s.units += q
	s.amt += amt
	w.adj[bi][from] -= amt
	w.adj[bi][w.shareAcct(bi, h)] += amt
}

// followShares moves the shares of the units event e moves in book bi,
// before the model's quantities take the event.
func (w *propWorld) followShares(bi int, e *bf.Event, x int) {
	c := w.cfg[bi]
	seq := c.Method == bf.MethodSequential
	issue := func(q bf.Qty, to bf.Account) bf.Money {
		var t bf.Money
		for _, u := range w.S.Direct[x] {
			t += w.take(bi, 2*u.Item, refmodel.MulQty(q, u.Per), to)
		}
		return t
	}
	switch e.Type {
	case bf.Sale:
		w.take(bi, 2*x, e.Qty, bf.COGS)
	case bf.Count:
		w.take(bi, 2*x, w.onHand[x]-e.Qty, bf.MaterialUsageVariance)
	case bf.Start:
		if !seq {
			issue(e.Qty, bf.COGS)
		} else if t := issue(e.Qty, bf.WIP); t != 0 {
			w.give(bi, 2*x+1, e.Qty, t, bf.WIP)
		}
	case bf.Complete:
		n := e.Qty + e.ScrapQty
		from := min(max(w.started[x], 0), n)
		if !seq {
			issue(n-from, bf.COGS)
			return
		}
		t := w.take(bi, 2*x+1, from, bf.WIP) + issue(n-from, bf.WIP)
		if t == 0 {
			return
		}
		scrap := t
		if e.Qty > 0 {
			v, _ := bf.MulDiv(int64(t), int64(e.ScrapQty), int64(n))
			scrap = bf.Money(v)
		}
		w.adj[bi][bf.WIP] -= scrap
		w.adj[bi][bf.ScrapLoss] += scrap
		good, units := t-scrap, e.Qty
		if kept := min(e.Qty, max(w.onHand[x]+e.Qty, 0)); kept < e.Qty {
			v, _ := bf.MulDiv(int64(good), int64(e.Qty-kept), int64(e.Qty))
			w.adj[bi][bf.WIP] -= bf.Money(v)
			w.adj[bi][bf.COGS] += bf.Money(v)
			good, units = good-bf.Money(v), kept
		}
		if good != 0 {
			w.give(bi, 2*x, units, good, bf.WIP)
		}
	}
}

// prorateInto spreads amt, account acct's part of a close's variance in
// book bi, over the goods the account holds by their standard value, and
// returns what no goods carry.
func (w *propWorld) prorateInto(bi int, acct bf.Account, amt bf.Money) bf.Money {
	c, ps := w.cfg[bi], w.S
	var hs []int
	var wts []bf.Money
	var units []bf.Qty
	var sum bf.Money
	for i, k := range ps.Kind {
		full := k != bf.Phantom && k != bf.Material
		if c.Method == bf.MethodBackflush {
			full = k == bf.Finished && c.Triggers.Has(bf.TriggerCompletion)
		}
		if q := w.onHand[i]; q > 0 && full && w.shareAcct(bi, 2*i) == acct {
			v := refmodel.Value(q, ps.Rolled(i))
			hs, wts, units, sum = append(hs, 2*i), append(wts, v), append(units, q), sum+v
		}
		if q := w.started[i]; q > 0 && c.Method == bf.MethodSequential && acct == bf.WIP {
			v := refmodel.Value(q, ps.Rolled(i)-ps.Own[i])
			hs, wts, units, sum = append(hs, 2*i+1), append(wts, v), append(units, q), sum+v
		}
	}
	if sum <= 0 {
		return amt
	}
	for k, v := range refmodel.Apportion(amt, wts) {
		if v == 0 {
			continue
		}
		s := &w.shares[bi][hs[k]]
		s.units, s.amt = units[k], s.amt+v
		w.adj[bi][acct] += v
	}
	return 0
}

// convInInventory is the conversion a book holds in inventory.
func (w *propWorld) convInInventory(bi int) bf.Money {
	c, ps := w.cfg[bi], w.S
	var v bf.Money
	for i, k := range ps.Kind {
		switch {
		case c.Method == bf.MethodSequential:
			if k == bf.Assembly || k == bf.Finished {
				v += refmodel.Value(w.onHand[i], ps.Conv[i]) + refmodel.Value(w.started[i], ps.Conv[i]-ps.Own[i])
			}
		case c.Triggers.Has(bf.TriggerCompletion) && k == bf.Finished:
			v += refmodel.Value(w.onHand[i], ps.Conv[i])
		}
	}
	return v
}

// allocated is the conversion a book has allocated since the start: what it
// holds in inventory plus what left inventory (sold, scrapped), less what
// entered inventory without allocation (count surpluses).
func (w *propWorld) allocated(bi int) bf.Money {
	return w.convInInventory(bi) + w.salesConv + w.scrapConv - w.countConv
}

// expected predicts every account's balance of book bi.
func (w *propWorld) expected(bi int) [bf.NumAccounts]bf.Money {
	c, ps := w.cfg[bi], w.S
	var e [bf.NumAccounts]bf.Money
	e[bf.AccountsReceivable] = w.revenue
	e[bf.SalesRevenue] = -w.revenue
	e[bf.ConversionPayable] = -w.convActual
	e[bf.ConversionControl] = w.convOpen
	e[bf.ConversionAllocated] = -(w.allocated(bi) - w.allocAtClose[bi])
	e[bf.ScrapLoss] = w.scrapStd
	e[bf.MaterialUsageVariance] = -w.countStd
	e[bf.COGS] = w.salesStd
	if c.Method == bf.MethodSequential {
		for i, k := range ps.Kind {
			switch k {
			case bf.Material:
				e[bf.Materials] += refmodel.Value(w.onHand[i], ps.Rolled(i))
			case bf.Assembly:
				e[bf.WIP] += refmodel.Value(w.onHand[i], ps.Rolled(i)) + refmodel.Value(w.started[i], ps.Rolled(i)-ps.Own[i])
			case bf.Finished:
				e[bf.FinishedGoods] += refmodel.Value(w.onHand[i], ps.Rolled(i))
				e[bf.WIP] += refmodel.Value(w.started[i], ps.Rolled(i)-ps.Own[i])
			}
		}
		e[bf.AccountsPayable] = -w.paid
		e[bf.PurchasePriceVariance] = w.paid - w.stdBought
	} else {
		full := c.Triggers.Has(bf.TriggerCompletion)
		// Materials not yet flushed: in stores, in stocked sub-assemblies, in
		// units started, and in finished units not held at full cost.
		var held bf.Money
		for i, k := range ps.Kind {
			switch {
			case k == bf.Material:
				held += refmodel.Value(w.onHand[i], ps.Buy[i])
			case k == bf.Assembly || (k == bf.Finished && !full):
				held += refmodel.Value(w.onHand[i], ps.Mat[i]) + refmodel.Value(w.started[i], ps.Mat[i])
			case k == bf.Finished:
				held += refmodel.Value(w.started[i], ps.Mat[i])
				e[bf.FinishedGoods] += refmodel.Value(w.onHand[i], ps.Rolled(i))
			}
		}
		if c.Triggers.Has(bf.TriggerPurchase) {
			e[bf.MaterialsInProcess] = held
			e[bf.AccountsPayable] = -w.paid
			e[bf.PurchasePriceVariance] = w.paid - w.stdBought
		} else {
			// The liability is credited at standard as the materials are flushed.
			e[bf.AccountsPayable] = held - w.stdBought
		}
	}
	for a, v := range w.adj[bi] {
		e[a] += v
	}
	return e
}

// check verifies the journals, the running balances, the model's predictions
// and the physical quantities.
// check verifies the journals, the model's predictions of every balance and
// the physical quantities.
func (w *propWorld) check() {
	w.T.Helper()
	w.CheckJournals()
	for bi, b := range w.L.Books {
		want := w.expected(bi)
		var total bf.Money
		for a := bf.Account(0); a < bf.NumAccounts; a++ {
			if got := b.Balance(a); got != want[a] {
				w.Fatalf("book %s: Balance(%s) = %s, want %s\nall balances: %v\nexpected:     %v",
					b.Config.Name, a, got.Format(2), want[a].Format(2), refmodel.FormatBalances(b.Balances()), refmodel.FormatBalances(want))
			}
			total += want[a]
		}
		if total != 0 {
			w.Fatalf("test model: book %s's expected balances sum to %s", b.Config.Name, total.Format(2))
		}
	}
	for i := range w.Plant.Items {
		if got := w.L.OnHand(int32(i)); got != w.onHand[i] {
			w.Fatalf("OnHand(%s) = %s, want %s", w.Plant.Items[i].ID, got, w.onHand[i])
		}
		if got := w.L.InProcess(int32(i)); got != w.started[i] {
			w.Fatalf("InProcess(%s) = %s, want %s", w.Plant.Items[i].ID, got, w.started[i])
		}
	}
}

// ---------------------------------------------------------------------------
// Properties a, c, e: random streams, every balance predicted, after every event.

func TestPropertyRandomStreams(t *testing.T) {
	refmodel.Seeds(t, propSeeds, func(t *testing.T, seed uint64) {
		policy := bf.CloseToCOGS
		if seed%2 == 0 {
			policy = bf.CloseProrate
		}
		w := newPropWorld(t, seed, policy)
		for n := 30 + w.R.IntN(50); n > 0; n-- {
			w.Post(w.Next())
		}
		w.Post(bf.Event{Type: bf.Close})
		w.checkPairs()
		w.checkQuantities()
	})
}

// TestPropertyRoundingStreams runs random streams whose quantities carry
// three decimals, so that extensions round and sequential WIP leaves
// residues: the model cannot predict every cent, but every entry must still
// balance, every running balance must be the sum of its lines, and the books
// must agree on what they all record the same way.
func TestPropertyRoundingStreams(t *testing.T) {
	refmodel.Seeds(t, propSeeds, func(t *testing.T, seed uint64) {
		w := newPropWorld(t, seed, bf.ClosePolicy(seed%2))
		w.Opts.Fractional = true
		for n := 30 + w.R.IntN(50); n > 0; n-- {
			w.Post(w.Next())
		}
		w.Post(bf.Event{Type: bf.Close})
		w.checkPairs()
		for _, b := range w.L.Books {
			if b.Balance(bf.ConversionControl) != 0 || b.Balance(bf.ConversionAllocated) != 0 {
				w.Fatalf("book %s: conversion accounts open after the close: %s", b.Config.Name, refmodel.FormatBalances(b.Balances()))
			}
		}
	})
}

// checkPairs states the comparison across books directly. Every book holds
// the same receivable and conversion payable, and books that record the
// liability for materials when they are bought (sequential and those with
// the purchase trigger) hold the same accounts payable, so between two of
// them a difference in inventory is exactly the opposite difference in
// income-statement charges. Books without the purchase trigger owe the
// standard cost of what they flushed: their inventory difference is
// balanced by expense and payable together.
func (w *propWorld) checkPairs() {
	type sums struct{ inv, exp, ap, ar, cp bf.Money }
	all := make([]sums, len(w.L.Books))
	for i, b := range w.L.Books {
		var s sums
		for a := bf.Account(0); a < bf.NumAccounts; a++ {
			v := b.Balance(a)
			switch {
			case a.Class() == bf.ClassInventory:
				s.inv += v
			case a.InIncome():
				s.exp += v
			}
		}
		s.ap, s.ar, s.cp = b.Balance(bf.AccountsPayable), b.Balance(bf.AccountsReceivable), b.Balance(bf.ConversionPayable)
		all[i] = s
	}
	buysAtPurchase := func(c bf.BookConfig) bool {
		return c.Method == bf.MethodSequential || c.Triggers.Has(bf.TriggerPurchase)
	}
	for i := range all {
		for j := range all {
			a, b := all[i], all[j]
			ni, nj := w.L.Books[i].Config.Name, w.L.Books[j].Config.Name
			if a.ar != b.ar || a.cp != b.cp {
				w.Fatalf("books %s and %s differ in receivables (%s, %s) or conversion payable (%s, %s)",
					ni, nj, a.ar.Format(2), b.ar.Format(2), a.cp.Format(2), b.cp.Format(2))
			}
			if (a.inv-b.inv)+(a.exp-b.exp)+(a.ap-b.ap) != 0 {
				w.Fatalf("books %s and %s: Δinventory %s + Δexpense %s + Δpayable %s ≠ 0", ni, nj,
					(a.inv - b.inv).Format(2), (a.exp - b.exp).Format(2), (a.ap - b.ap).Format(2))
			}
			if buysAtPurchase(w.L.Books[i].Config) && buysAtPurchase(w.L.Books[j].Config) {
				if a.ap != b.ap {
					w.Fatalf("books %s and %s both record purchases but owe %s and %s", ni, nj, a.ap.Format(2), b.ap.Format(2))
				}
				if a.inv-b.inv != -(a.exp - b.exp) {
					w.Fatalf("books %s and %s: Δinventory %s ≠ −Δexpense %s", ni, nj, (a.inv - b.inv).Format(2), (a.exp - b.exp).Format(2))
				}
			}
		}
	}
}

// checkQuantities recomputes stock from the event log alone (property e):
// for each material, purchases less components consumed per the BOM, with a
// count resetting the figure; for made items, good units completed less
// units consumed by parents and sold.
func (w *propWorld) checkQuantities() {
	ps := w.S
	stock := make([]*big.Rat, len(w.Plant.Items))
	started := make([]*big.Rat, len(w.Plant.Items))
	for i := range stock {
		stock[i], started[i] = new(big.Rat), new(big.Rat)
	}
	q := func(v bf.Qty) *big.Rat { return big.NewRat(int64(v), 1_000_000) }
	// Components per unit straight from the BOM lines, phantoms exploded.
	var consume func(x int, n *big.Rat)
	consume = func(x int, n *big.Rat) {
		for _, l := range w.Plant.Items[x].BOM {
			c := ps.Index[l.Item]
			per := new(big.Rat).Mul(q(l.Qty), new(big.Rat).Add(big.NewRat(1, 1), big.NewRat(int64(l.ScrapPct), 100_000_000)))
			need := new(big.Rat).Mul(n, per)
			if ps.Kind[c] == bf.Phantom {
				consume(c, need)
			} else {
				stock[c].Sub(stock[c], need)
			}
		}
	}
	for _, e := range w.L.Events() {
		x, ok := ps.Index[e.Item]
		if !ok && e.Item != "" {
			w.Fatalf("logged event %s names unknown item %s", e.ID, e.Item)
		}
		switch e.Type {
		case bf.Purchase:
			stock[x].Add(stock[x], q(e.Qty))
		case bf.Start:
			consume(x, q(e.Qty))
			started[x].Add(started[x], q(e.Qty))
		case bf.Complete:
			n := q(e.Qty + e.ScrapQty)
			from := new(big.Rat).Set(n)
			if started[x].Cmp(n) < 0 {
				from.Set(started[x])
			}
			consume(x, new(big.Rat).Sub(n, from))
			started[x].Sub(started[x], from)
			stock[x].Add(stock[x], q(e.Qty))
		case bf.Sale:
			stock[x].Sub(stock[x], q(e.Qty))
		case bf.Count:
			stock[x] = q(e.Qty)
		}
	}
	for i := range stock {
		if got := w.L.OnHand(int32(i)); got != refmodel.RatQty(stock[i]) {
			w.Fatalf("OnHand(%s) = %s, but the events and the BOM give %s", w.Plant.Items[i].ID, got, stock[i].FloatString(6))
		}
	}
}

// ---------------------------------------------------------------------------
// Property b: streams that leave no inventory.

// propOperatingIncome is minus the sum of the income-statement balances.
func propOperatingIncome(b *costing.Book) bf.Money {
	var s bf.Money
	for a := bf.Account(0); a < bf.NumAccounts; a++ {
		if a.InIncome() {
			s += b.Balance(a)
		}
	}
	return -s
}

func TestPropertyZeroInventory(t *testing.T) {
	refmodel.Seeds(t, propSeeds, func(t *testing.T, seed uint64) {
		atStandard := seed%3 != 0
		policy := bf.CloseToCOGS
		if seed%4 == 1 {
			policy = bf.CloseProrate
		}
		w := newPropWorld(t, seed, policy)
		w.Opts.StdPrice = atStandard
		w.ZeroPeriod(1)
		for i := range w.Plant.Items {
			if w.S.Kind[i] != bf.Phantom && w.onHand[i] != 0 || w.started[i] != 0 {
				w.Fatalf("test design: plan leaves %s on hand and %s started of %s", w.onHand[i], w.started[i], w.Plant.Items[i].ID)
			}
		}
		// Operating income, worked out from the totals: revenue less the
		// standard cost of sales and scrap, less conversion not allocated,
		// less the price variance.
		ppv := w.paid - w.stdBought
		cogs := w.salesStd + w.convActual - (w.salesConv + w.scrapConv)
		want := w.revenue - cogs - w.scrapStd - ppv
		if atStandard && ppv != 0 {
			w.Fatalf("test design: purchases at standard give a price variance of %s", ppv.Format(2))
		}
		for _, b := range w.L.Books {
			name := b.Config.Name
			if inv := refmodel.Inventory(b.Balances()); inv != 0 {
				w.Fatalf("book %s: inventory %s after a stream that leaves none (%s)", name, inv.Format(2), refmodel.FormatBalances(b.Balances()))
			}
			if got := b.Balance(bf.COGS); got != cogs {
				w.Fatalf("book %s: COGS %s, want %s", name, got.Format(2), cogs.Format(2))
			}
			if b.Balance(bf.ConversionControl) != 0 || b.Balance(bf.ConversionAllocated) != 0 {
				w.Fatalf("book %s: conversion accounts not closed: %s", name, refmodel.FormatBalances(b.Balances()))
			}
			oi := propOperatingIncome(b)
			if b.Config.Method == bf.MethodSequential || b.Config.Triggers.Has(bf.TriggerPurchase) {
				if oi != want {
					w.Fatalf("book %s: operating income %s, want %s", name, oi.Format(2), want.Format(2))
				}
			} else if oi != want+ppv {
				// No price variance in a book that records materials at standard when flushed.
				w.Fatalf("book %s: operating income %s, want %s (%s + price variance %s)", name, oi.Format(2),
					(want + ppv).Format(2), want.Format(2), ppv.Format(2))
			}
		}
		seq := propOperatingIncome(w.L.Book("sequential"))
		for _, b := range w.L.Books {
			if b.Config.Method == bf.MethodSequential {
				continue
			}
			d := propOperatingIncome(b) - seq
			if b.Config.Triggers.Has(bf.TriggerPurchase) && d != 0 {
				w.Fatalf("book %s: operating income differs from sequential by %s", b.Config.Name, d.Format(2))
			}
			if !b.Config.Triggers.Has(bf.TriggerPurchase) && d != ppv {
				w.Fatalf("book %s: operating income differs from sequential by %s, want the price variance %s", b.Config.Name, d.Format(2), ppv.Format(2))
			}
		}
		w.checkPairs()
		w.checkQuantities()
	})
}

// ---------------------------------------------------------------------------
// Property d: refused events change nothing; a repeated event is a no-op.

type propInvalid struct {
	name string
	e    bf.Event
	kind bf.Kind
}

// invalidEvents lists events the ledger must refuse now, with the kind of error.
func (w *propWorld) invalidEvents() []propInvalid {
	type ce = propInvalid
	d := w.Day + 1
	m := w.ItemID(w.Pick(bf.Material))
	f := w.ItemID(w.Pick(bf.Finished))
	a := w.ItemID(w.Pick(bf.Assembly))
	out := []ce{
		{"unknown item", bf.Event{ID: "bad-unknown", Date: d, Type: bf.Purchase, Item: "no-such-item", Qty: bf.Units(1), UnitCost: bf.Dollars(1)}, bf.KindNotFound},
		{"sale of unknown item", bf.Event{ID: "bad-unknown-sale", Date: d, Type: bf.Sale, Item: "zz", Qty: bf.Units(1)}, bf.KindNotFound},
		{"purchase of a finished item", bf.Event{ID: "bad-buy-finished", Date: d, Type: bf.Purchase, Item: f, Qty: bf.Units(1), UnitCost: bf.Dollars(1)}, bf.KindInvalid},
		{"purchase of an assembly", bf.Event{ID: "bad-buy-asm", Date: d, Type: bf.Purchase, Item: a, Qty: bf.Units(1), UnitCost: bf.Dollars(1)}, bf.KindInvalid},
		{"start of a material", bf.Event{ID: "bad-start-mat", Date: d, Type: bf.Start, Item: m, Qty: bf.Units(1)}, bf.KindInvalid},
		{"completion of a material", bf.Event{ID: "bad-complete-mat", Date: d, Type: bf.Complete, Item: m, Qty: bf.Units(1)}, bf.KindInvalid},
		{"purchase of zero units", bf.Event{ID: "bad-zero", Date: d, Type: bf.Purchase, Item: m, UnitCost: bf.Dollars(1)}, bf.KindInvalid},
		{"negative count", bf.Event{ID: "bad-count", Date: d, Type: bf.Count, Item: m, Qty: -1}, bf.KindInvalid},
		{"conversion cost with an item", bf.Event{ID: "bad-conv", Date: d, Type: bf.ConversionCost, Item: m, Amount: 5}, bf.KindInvalid},
		{"event without a date", bf.Event{ID: "bad-nodate", Type: bf.Close}, bf.KindInvalid},
		// Amounts beyond the fixed-point range: refused after some books have posted.
		{"purchase overflowing the amount paid", bf.Event{ID: "bad-overflow-buy", Date: d, Type: bf.Purchase, Item: m,
			Qty: bf.Units(9_000_000_000_000), UnitCost: bf.Dollars(1_000_000)}, bf.KindInvalid},
		{"sale overflowing the revenue", bf.Event{ID: "bad-overflow-sale", Date: d, Type: bf.Sale, Item: f,
			Qty: bf.Units(9_000_000_000_000), UnitPrice: bf.Dollars(1_000_000)}, bf.KindInvalid},
	}
	// A completion whose components overflow, for an item using more than one
	// unit of some component.
	for _, x := range w.Items(bf.Assembly, bf.Finished) {
		for _, u := range w.S.Direct[x] {
			if u.Per > bf.Units(1) {
				out = append(out, ce{"completion overflowing the components", bf.Event{ID: "bad-components", Date: d, Type: bf.Complete,
					Item: w.ItemID(x), Qty: math.MaxInt64 - 1}, bf.KindInvalid})
				break
			}
		}
	}
	for _, ph := range w.Items(bf.Phantom) {
		out = append(out, ce{"sale of a phantom", bf.Event{ID: "bad-phantom", Date: d, Type: bf.Sale, Item: w.ItemID(ph), Qty: bf.Units(1)}, bf.KindInvalid})
		out = append(out, ce{"start of a phantom", bf.Event{ID: "bad-phantom-start", Date: d, Type: bf.Start, Item: w.ItemID(ph), Qty: bf.Units(1)}, bf.KindInvalid})
		break
	}
	if ct := w.L.ClosedThrough(); ct != 0 {
		out = append(out,
			ce{"purchase in a closed period", bf.Event{ID: "bad-closed", Date: ct, Type: bf.Purchase, Item: m, Qty: bf.Units(1), UnitCost: bf.Dollars(1)}, bf.KindClosedPeriod},
			ce{"close in a closed period", bf.Event{ID: "bad-closed-close", Date: ct - 3, Type: bf.Close}, bf.KindClosedPeriod})
	}
	if n := w.L.Len(); n > 0 {
		prev := *w.L.Event(int32(w.R.IntN(n)))
		other := prev
		other.Memo = "other content"
		other.Line = 99
		out = append(out, ce{"same id, other content", other, bf.KindConflict})
		moved := prev
		moved.Date = w.Day + 1
		out = append(out, ce{"same id, other date", moved, bf.KindConflict})
	}
	return out
}

func TestPropertyAtomicity(t *testing.T) { propAtomicity(t, false) }

// TestPropertyAtomicityOverflow posts events whose amounts overflow the
// fixed-point range. Post refuses them after some books have already posted
// their entries, so these exercise the rollback of every book.
func TestPropertyAtomicityOverflow(t *testing.T) { propAtomicity(t, true) }

func propAtomicity(t *testing.T, overflow bool) {
	refmodel.Seeds(t, propSeeds, func(t *testing.T, seed uint64) {
		w := newPropWorld(t, seed, bf.ClosePolicy(seed%2))
		for n := 10 + w.R.IntN(30); n > 0; n-- {
			w.Post(w.Next())
			if w.R.IntN(3) > 0 {
				continue
			}
			// Conversion is posted in every book: had a refused event
			// disturbed the entries of the last accepted one, it shows.
			w.Post(bf.Event{Type: bf.ConversionCost, Amount: bf.Money(1 + w.R.IntN(100_000))})
			for _, c := range w.invalidEvents() {
				// Overflowing amounts are refused only once some books have posted.
				if strings.HasPrefix(c.e.ID, "bad-overflow") != overflow {
					continue
				}
				if be := w.Refuse(c.name, c.e); be.Kind != c.kind {
					w.Fatalf("%s: error kind %s, want %s (%v)", c.name, be.Kind, c.kind, be)
				}
			}
			// Posting an accepted event again, even from another line, does nothing.
			again := *w.L.Event(int32(w.R.IntN(w.L.Len())))
			again.Line += 7
			s := w.Snapshot()
			if err := w.L.Post(&again); err != nil {
				w.Fatalf("re-posting %s: %v", refmodel.EventString(&again), err)
			}
			w.Unchanged("re-posting "+again.ID, s)
			w.check()
		}
		w.Post(bf.Event{Type: bf.Close})
	})
}

// TestPropertyProratedSharesFollowGoods: after every event of a random
// stream closed with prorate, the variance shares a book keeps in
// inventory are carried by goods on hand and by nothing else: a holding's
// carrying units never exceed its units on hand (or in process), a holding
// without units carries nothing, an outflow never leaves the remaining
// units carrying more per unit than before (beyond a cent of rounding),
// and each inventory account holds exactly the standard value of its goods
// plus the shares its holdings report — so an empty inventory holds none.
func TestPropertyProratedSharesFollowGoods(t *testing.T) {
	refmodel.Seeds(t, propSeeds, func(t *testing.T, seed uint64) {
		w := newPropWorld(t, seed, bf.CloseProrate)
		n := len(w.Plant.Items)
		prev := make([][]costing.HeldShare, len(w.L.Books))
		after := w.After
		w.After = func(e *bf.Event) {
			after(e)
			for bi, b := range w.L.Books {
				now := make([]costing.HeldShare, 2*n)
				var held [bf.NumAccounts]bf.Money
				for i := range n {
					st, pr := b.Prorated(int32(i))
					now[2*i], now[2*i+1] = st, pr
					for place, h := range []costing.HeldShare{st, pr} {
						have := w.L.OnHand(int32(i))
						if place == 1 {
							have = w.L.InProcess(int32(i))
						}
						if h.Units > max(have, 0) || (h.Units == 0 && h.Amount != 0) || h.Units < 0 {
							w.Fatalf("book %s, %s (place %d): a share of %s on %s units, %s on hand", b.Config.Name, w.ItemID(i), place, h.Amount.Format(2), h.Units, have)
						}
						if p := prev[bi]; p != nil && e.Type != bf.Close && h.Units < p[2*i+place].Units && h.Units > 0 {
							was := p[2*i+place]
							bound, _ := bf.MulDiv(int64(abs(was.Amount)), int64(h.Units), int64(was.Units))
							if int64(abs(h.Amount)) > bound+1 {
								w.Fatalf("book %s, %s: %s units carried %s; after %s %s units carry %s", b.Config.Name, w.ItemID(i), was.Units, was.Amount.Format(2), e.Type, h.Units, h.Amount.Format(2))
							}
						}
					}
					if b.Config.Method == bf.MethodSequential {
						held[stockOf(w.S.Kind[i])] += st.Amount
						held[bf.WIP] += pr.Amount
					} else {
						held[bf.FinishedGoods] += st.Amount
					}
				}
				std := w.standardInventory(bi)
				for _, a := range []bf.Account{bf.WIP, bf.FinishedGoods} {
					if got := b.Balance(a) - std[a]; got != held[a] {
						w.Fatalf("book %s: %s holds %s beyond the standard value of its goods; its holdings report %s", b.Config.Name, a, got.Format(2), held[a].Format(2))
					}
				}
				prev[bi] = now
			}
		}
		for k := 40 + w.R.IntN(60); k > 0; k-- {
			w.Post(w.Next())
		}
		w.Post(bf.Event{Type: bf.Close})
	})
}

func abs(m bf.Money) bf.Money { return max(m, -m) }

// stockOf is where a sequential book stocks an item of kind k.
func stockOf(k bf.ItemKind) bf.Account {
	switch k {
	case bf.Material:
		return bf.Materials
	case bf.Finished:
		return bf.FinishedGoods
	}
	return bf.WIP
}

// standardInventory is what book bi's WIP and finished goods hold at
// standard: the model's goods valued at the reference standards.
func (w *propWorld) standardInventory(bi int) [bf.NumAccounts]bf.Money {
	var v [bf.NumAccounts]bf.Money
	c, ps := w.cfg[bi], w.S
	for i, k := range ps.Kind {
		switch {
		case c.Method == bf.MethodSequential && (k == bf.Assembly || k == bf.Finished):
			v[stockOf(k)] += refmodel.Value(w.onHand[i], ps.Rolled(i))
			v[bf.WIP] += refmodel.Value(w.started[i], ps.Rolled(i)-ps.Own[i])
		case c.Method == bf.MethodBackflush && c.Triggers.Has(bf.TriggerCompletion) && k == bf.Finished:
			v[bf.FinishedGoods] += refmodel.Value(w.onHand[i], ps.Rolled(i))
		}
	}
	return v
}
