package backflush

// EntryKind says which posting rule made an entry; reports turn it into a memo.
type EntryKind uint8

// The entry kinds.
const (
	EntryReceipt          EntryKind = iota + 1 // materials received (purchase trigger)
	EntryIssue                                 // components issued to work in process
	EntryConversion                            // actual conversion costs incurred
	EntryAllocate                              // conversion allocated to work in process
	EntryTransfer                              // completed units moved on at standard
	EntryBackflush                             // completed units recorded and their costs flushed
	EntryScrap                                 // reported scrap written off
	EntryResidue                               // rounding left in work in process when a job empties
	EntryRevenue                               // a sale at selling price
	EntryCostOfSale                            // the standard cost of units sold
	EntryCount                                 // a physical count differing from the book
	EntryClose                                 // under- or over-allocated conversion disposed of
	EntryExpense                               // marketing or administration, a period cost
	EntryWritedown                             // inventory written down (or back up) to LCNRV
	EntryActual                                // an actual-cost true-up (a deficit filled at another cost)
	EntryActualIssue                           // stock used, sold or short, at actual cost (actual-cost books, at close)
	EntryActualConversion                      // the period's actual conversion allocated to the work done
	EntryManufactured                          // cost of goods completed at actual cost (process costing)
	EntryQueued                                // a queued component shortfall re-processed
	EntryReversal                              // an earlier entry undone by a reverse event
)

var entryKindMemos = [...]string{"", "materials received", "components issued to WIP", "conversion costs incurred",
	"conversion allocated", "transfer at standard", "backflush of completed units", "scrap written off",
	"WIP residue closed", "sale at selling price", "cost of goods sold", "physical count difference",
	"conversion variance closed", "period expense", "LCNRV adjustment", "actual cost true-up",
	"stock used at actual cost", "actual conversion allocated", "cost of goods completed",
	"queued shortfall re-processed", "reversal"}

// String describes the kind in words.
func (k EntryKind) String() string {
	if int(k) < len(entryKindMemos) {
		return entryKindMemos[k]
	}
	return "?"
}

// Line is one posting of an entry. It links back to its origin: the entry's
// event, and for costed quantities the item and BOM path that it relieves.
type Line struct {
	Account Account
	Amount  Money // debit positive, credit negative
	Qty     Qty   // the quantity behind the amount, zero when none
	Item    int32 // index of the item in the plant, -1 when none
	Path    int32 // index of the BOM path in the standards, -1 when none
}

// Debit returns the debit amount of the line, zero for a credit.
func (l *Line) Debit() Money {
	if l.Amount > 0 {
		return l.Amount
	}
	return 0
}

// Credit returns the credit amount of the line as a positive number.
func (l *Line) Credit() Money {
	if l.Amount < 0 {
		return -l.Amount
	}
	return 0
}

// Entry is one balanced journal entry. Its lines are Lines[First:End] of the
// journal holding it: entries share one backing slice so that posting does
// not allocate per line.
type Entry struct {
	Event int32 // index of the event in the ledger's log
	Kind  EntryKind
	First int32
	End   int32
}

// Journal is an append-only list of entries and their lines.
type Journal struct {
	Entries []Entry
	Lines   []Line
}

// LinesOf returns the lines of e.
func (j *Journal) LinesOf(e *Entry) []Line { return j.Lines[e.First:e.End] }
