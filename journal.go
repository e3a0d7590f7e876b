package backflush

import (
	"iter"

	"github.com/backflush/backflush/internal/chunked"
)

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
	EntryShare                                 // a prorated variance share following its goods (sold, completed, issued)
)

var entryKindMemos = [...]string{"", "materials received", "components issued to WIP", "conversion costs incurred",
	"conversion allocated", "transfer at standard", "backflush of completed units", "scrap written off",
	"WIP residue closed", "sale at selling price", "cost of goods sold", "physical count difference",
	"conversion variance closed", "period expense", "LCNRV adjustment", "actual cost true-up",
	"stock used at actual cost", "actual conversion allocated", "cost of goods completed",
	"queued shortfall re-processed", "reversal", "prorated variance follows the goods"}

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

// Entry is one balanced journal entry. Its lines are the journal's lines
// First to End (LinesOf): entries share the journal's line storage so that
// posting does not allocate per line.
type Entry struct {
	Event int32 // index of the event in the ledger's log
	Kind  EntryKind
	First int32
	End   int32
}

// lineChunk is a run of consecutive lines of a journal; first is the
// number of the first.
type lineChunk struct {
	first int
	lines []Line // len: the lines held; cap: the room
}

// lineChunkSize is the room of a chunk of lines (2 MiB); an event with more
// lines gets a chunk of its own size.
const lineChunkSize = 1 << 16

// Journal is an append-only list of entries and their lines. It grows by
// whole events (Append) and is cut back only to an event boundary
// (Truncate).
//
// It is held in chunks, never in one slice: a ledger keeps every line it
// posts, and a slice that large would be copied each time it grew (see
// package chunked). Lines are numbered from zero across the chunks; the
// lines of one event, hence of each of its entries, lie in one chunk, so
// LinesOf returns them as a slice without copying.
type Journal struct {
	entries chunked.Slice[Entry]
	chunks  []lineChunk
	spare   [][]Line // chunks allocated ahead (Reserve) or released by Truncate
}

// Len returns the number of entries.
func (j *Journal) Len() int { return j.entries.Len() }

// NumLines returns the number of lines.
func (j *Journal) NumLines() int {
	k := len(j.chunks) - 1
	if k < 0 {
		return 0
	}
	return j.chunks[k].first + len(j.chunks[k].lines)
}

// Entry returns entry i (0 ≤ i < Len).
func (j *Journal) Entry(i int) *Entry { return j.entries.At(i) }

// LinesOf returns the lines of e, an entry of this journal.
func (j *Journal) LinesOf(e *Entry) []Line {
	c := j.chunkOf(int(e.First))
	return c.lines[int(e.First)-c.first : int(e.End)-c.first]
}

// Line returns line i (0 ≤ i < NumLines).
func (j *Journal) Line(i int) *Line {
	c := j.chunkOf(i)
	return &c.lines[i-c.first]
}

// chunkOf returns the chunk holding line i.
func (j *Journal) chunkOf(i int) *lineChunk {
	// The newest chunk first: readers of recent entries, and the
	// reversal of a recent event, find it at once.
	lo, hi := 0, len(j.chunks)-1
	if j.chunks[hi].first <= i {
		return &j.chunks[hi]
	}
	for lo < hi { // the last chunk with first ≤ i
		m := int(uint(lo+hi+1) >> 1)
		if j.chunks[m].first <= i {
			lo = m
		} else {
			hi = m - 1
		}
	}
	return &j.chunks[lo]
}

// Entries yields every entry's index and the entry, in order.
func (j *Journal) Entries() iter.Seq2[int, *Entry] { return j.entries.All() }

// All yields every entry and its lines, in order.
func (j *Journal) All() iter.Seq2[*Entry, []Line] {
	return func(yield func(*Entry, []Line) bool) {
		c := 0
		for _, e := range j.entries.All() {
			for int(e.First) >= j.chunks[c].first+len(j.chunks[c].lines) {
				c++
			}
			k := &j.chunks[c]
			if !yield(e, k.lines[int(e.First)-k.first:int(e.End)-k.first]) {
				return
			}
		}
	}
}

// Lines yields every line, in order.
func (j *Journal) Lines() iter.Seq[*Line] {
	return func(yield func(*Line) bool) {
		for k := range j.chunks {
			ls := j.chunks[k].lines
			for i := range ls {
				if !yield(&ls[i]) {
					return
				}
			}
		}
	}
}

// Append adds an event's entries and lines. The entries' First and End
// index lines (they are numbered from zero); they are renumbered as the
// journal's.
func (j *Journal) Append(entries []Entry, lines []Line) {
	if len(entries) == 0 {
		return
	}
	base := j.NumLines()
	k := len(j.chunks) - 1
	if k < 0 || cap(j.chunks[k].lines)-len(j.chunks[k].lines) < len(lines) {
		j.chunks = append(j.chunks, lineChunk{first: base, lines: j.takeChunk(len(lines))})
		k++
	}
	c := &j.chunks[k]
	c.lines = append(c.lines, lines...)
	for i := range entries {
		e := j.entries.Add()
		*e = entries[i]
		e.First += int32(base)
		e.End += int32(base)
	}
}

// takeChunk returns an empty chunk with room for at least n lines. The
// first chunk of a journal starts small and the next ones double up to
// lineChunkSize, so a small journal stays small.
func (j *Journal) takeChunk(n int) []Line {
	if n <= lineChunkSize && len(j.spare) > 0 {
		c := j.spare[len(j.spare)-1]
		j.spare = j.spare[:len(j.spare)-1]
		return c[:0]
	}
	size := 256
	if k := len(j.chunks); k > 0 {
		size = min(lineChunkSize, 2*cap(j.chunks[k-1].lines))
	}
	return make([]Line, 0, max(size, n))
}

// Truncate cuts the journal back to its first entries entries and lines
// lines, which must be a boundary between events.
func (j *Journal) Truncate(entries, lines int) {
	j.entries.Truncate(entries)
	if lines >= j.NumLines() {
		return
	}
	k := len(j.chunks) - 1
	for ; k >= 0 && j.chunks[k].first >= lines; k-- {
		if cap(j.chunks[k].lines) == lineChunkSize {
			j.spare = append(j.spare, j.chunks[k].lines[:0])
		}
		j.chunks[k] = lineChunk{}
	}
	j.chunks = j.chunks[:k+1]
	if k >= 0 {
		j.chunks[k].lines = j.chunks[k].lines[:lines-j.chunks[k].first]
	}
}

// Reserve allocates ahead the room that entries more entries and lines
// more lines need, so that appending them allocates nothing.
func (j *Journal) Reserve(entries, lines int) {
	j.entries.Reserve(entries)
	if lines <= 0 {
		return
	}
	room := 0
	if k := len(j.chunks) - 1; k >= 0 {
		room = cap(j.chunks[k].lines) - len(j.chunks[k].lines)
	}
	room += len(j.spare) * lineChunkSize
	// An event's lines never straddle two chunks, so the end of a chunk
	// may go unused: one chunk more covers it.
	for ; room < lines+lineChunkSize; room += lineChunkSize {
		j.spare = append(j.spare, make([]Line, 0, lineChunkSize))
	}
	if n := len(j.chunks) + len(j.spare) + 1; cap(j.chunks) < n {
		c := make([]lineChunk, len(j.chunks), n)
		copy(c, j.chunks)
		j.chunks = c
	}
}
