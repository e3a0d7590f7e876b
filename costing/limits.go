package costing

import (
	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/textfmt"
)

// The limits. No figure a ledger keeps may pass its limit, either sign:
//
//	every balance of every book, line after line     bf.MaxBalance  (Book.fits)
//	a book's conversion under- or over-allocated     bf.MaxBalance  (Book.fits)
//	  since the first event, close entries left out
//	a sequential book's value in process, per item   bf.MaxBalance  (Book.wipFits)
//	  and over every item
//	an item's units in process in a sequential book  bf.MaxStock    (Book.wipFits)
//	an item's stock and units in process             bf.MaxStock    (Ledger.movable)
//	an event's quantity, a component's quantity      bf.MaxStock    (Ledger.check, components)
//	an actual-cost book's flows of the period,       bf.MaxStock    (actualFits)
//	  its layers' units and value per item           bf.MaxBalance
//
// An event that would take any of them past its limit is refused as
// invalid, in every book, and changes nothing: Post checks before it
// commits. The limits are 1/64 of the int64 range so that what the reports
// add up from them (a trial balance's totals, an income statement's lines,
// the difference between two books' statements, a GAAP reconciliation)
// stays exact; docs/accounting.md ("The limits") lists the sums.

// overKind says which limit an event would pass.
type overKind uint8

const (
	overBalance    overKind = iota // an account's balance
	overConversion                 // the conversion under- or over-allocated since the first event
	overWIPQty                     // an item's units in process (sequential book)
	overWIPValue                   // an item's value in process (sequential book)
	overWIPTotal                   // the value in process over every item (sequential book)
	overLayers                     // an item's carried units or value (actual-cost book)
	overFlow                       // an item's flow of the period (actual-cost book)
)

// overrun is what an event would take past a limit, in one book.
type overrun struct {
	what overKind
	acct bf.Account
	item int32
}

// overflowErr is the error of an event that would take a figure of book b
// past its limit: it names the event, the field it comes from, the figure
// and the limit.
func (l *Ledger) overflowErr(b *Book, p *posting) error {
	e, o := p.ev, b.over
	in := " in book " + b.Config.Name
	var what string
	limit := l.moneyLimit()
	switch o.what {
	case overBalance:
		what = "the balance of " + o.acct.String() + in
	case overConversion:
		what = "the conversion under- or over-allocated" + in + " since the first event"
	case overWIPQty:
		what, limit = "the units in process of "+l.Std.Item(o.item).ID+in, stockLimit()
	case overWIPValue:
		what = "the value in process of " + l.Std.Item(o.item).ID + in
	case overWIPTotal:
		what = "the value in process" + in
	case overLayers:
		what = "the units or value of " + l.Std.Item(o.item).ID + " carried" + in
	case overFlow:
		what, limit = "the units of "+l.Std.Item(o.item).ID+" moved this period"+in, stockLimit()
	}
	return bf.E("post", bf.KindInvalid, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field(amountField(e, o)),
		what+" would exceed "+limit)
}

// stockErr is the error of an event that would take a quantity past
// bf.MaxStock: what names the quantity, field the event's field.
func stockErr(e *bf.Event, field, what string) error {
	return bf.E("post", bf.KindInvalid, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field(field), what+" would exceed "+stockLimit())
}

// moneyLimit states bf.MaxBalance in the ledger's currency.
func (l *Ledger) moneyLimit() string {
	s := textfmt.Money(bf.MaxBalance, l.Std.Scale, textfmt.Hyphen)
	if c := l.Std.Plant.Currency.Code; c != "" {
		s += " " + c
	}
	return s + ", the largest amount a book holds"
}

// stockLimit states bf.MaxStock.
func stockLimit() string {
	return textfmt.Grouped(bf.MaxStock.String(), textfmt.Hyphen) + " units, the largest quantity the ledger holds"
}

// amountField names the field of an event that a figure grows with: the
// amount incurred, the units scrapped for scrap loss, else the units. A
// close, a reversal or a re-processing moves amounts already posted: no
// field of theirs is at fault.
func amountField(e *bf.Event, o overrun) string {
	switch e.Type {
	case bf.ConversionCost, bf.Expense:
		return "amount"
	case bf.Complete:
		if o.what == overBalance && o.acct == bf.ScrapLoss && e.ScrapQty != 0 {
			return "scrap"
		}
		return "qty"
	case bf.Purchase, bf.Start, bf.Sale, bf.Count:
		return "qty"
	}
	return ""
}
