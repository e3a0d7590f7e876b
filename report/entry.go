package report

import (
	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// Entry is one journal entry as it is read: its place in the book's
// journal, the event that made it, the rule and its lines with their
// origins named (item ids and BOM paths rather than indexes), so that it
// can be laid out after the ledger is released.
type Entry struct {
	Index int // 0-based, in the book's journal (shown from 1)
	Date  bf.Date
	Event string // the id of the event that made it
	Kind  bf.EntryKind
	Memo  string // Memo of the entry: the rule, the event's item and memo
	Lines []EntryLine
}

// EntryLine is one posting of an Entry with its origin.
type EntryLine struct {
	Account bf.Account
	Amount  bf.Money // debit positive, credit negative
	Qty     bf.Qty   // the quantity behind the amount, zero when none
	Item    string   // the item it relieves or receives; empty when none
	Path    string   // the BOM path it points to; empty when none
}

// Debit returns the line's debit amount, zero for a credit.
func (ln EntryLine) Debit() bf.Money { return max(ln.Amount, 0) }

// Credit returns the line's credit amount, zero for a debit.
func (ln EntryLine) Credit() bf.Money { return max(-ln.Amount, 0) }

// EntryOf reads entry i of a book with its lines and their origins.
func EntryOf(l *costing.Ledger, b *costing.Book, i int) Entry {
	e := b.Journal.Entry(i)
	ev := l.Event(e.Event)
	lines := b.Journal.LinesOf(e)
	en := Entry{Index: i, Date: ev.Date, Event: ev.ID, Kind: e.Kind, Memo: Memo(l, e), Lines: make([]EntryLine, 0, len(lines))}
	for _, ln := range lines {
		el := EntryLine{Account: ln.Account, Amount: ln.Amount, Qty: ln.Qty}
		if ln.Item >= 0 {
			el.Item = l.Std.Item(ln.Item).ID
		}
		if ln.Path >= 0 {
			el.Path = l.Std.Paths[ln.Path]
		}
		en.Lines = append(en.Lines, el)
	}
	return en
}

// JSON renders the entry (numbered from 1) with its accounts named by the
// plant's chart and its amounts at the currency's scale.
func (e Entry) JSON(chart *bf.Chart, scale int) JSONEntry {
	je := JSONEntry{ID: e.Index + 1, Date: e.Date.String(), Event: e.Event, Kind: entryKindIDs[e.Kind], Memo: e.Memo,
		Lines: make([]JSONLine, 0, len(e.Lines))}
	for i := range e.Lines {
		ln := &e.Lines[i]
		jl := JSONLine{Account: chart.CodeOf(ln.Account), Debit: ln.Debit().Format(scale), Credit: ln.Credit().Format(scale),
			Item: ln.Item, Path: ln.Path}
		if ln.Qty != 0 {
			jl.Qty = ln.Qty.String()
		}
		je.Lines = append(je.Lines, jl)
	}
	return je
}
