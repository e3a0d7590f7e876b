package backflush_test

import (
	"math/rand/v2"
	"testing"

	bf "github.com/backflush/backflush"
)

// journalModel is a journal held the plain way: one slice of entries and
// one of lines, with the event boundaries for truncation.
type journalModel struct {
	entries []bf.Entry
	lines   []bf.Line
	marks   [][2]int // entries and lines before each event
}

// randomEvent returns an event's entries (lines numbered from zero) and
// lines: one to three entries of two to many lines, now and then one
// larger than a chunk of the journal when big.
func randomEvent(r *rand.Rand, event int32, big bool) ([]bf.Entry, []bf.Line) {
	var es []bf.Entry
	var ls []bf.Line
	for range 1 + r.IntN(3) {
		n := 2 + r.IntN(40)
		if big && r.IntN(50) == 0 {
			n = 70_000 + r.IntN(10_000)
		}
		e := bf.Entry{Event: event, Kind: bf.EntryKind(1 + r.IntN(5)), First: int32(len(ls))}
		for range n {
			ls = append(ls, bf.Line{Account: bf.Account(r.IntN(int(bf.NumAccounts))), Amount: bf.Money(r.Int64N(1e9)), Item: int32(len(ls))})
		}
		e.End = int32(len(ls))
		es = append(es, e)
	}
	return es, ls
}

// TestJournalMatchesModel drives a Journal and a model with the same random
// events, truncations and reservations, over many chunks, and checks every
// way of reading the journal against the model.
func TestJournalMatchesModel(t *testing.T) {
	for seed := range uint64(4) {
		r := rand.New(rand.NewPCG(seed, 2))
		var j bf.Journal
		var m journalModel
		event := int32(0)
		for step := range 400 {
			switch k := r.IntN(20); {
			case k < 17:
				es, ls := randomEvent(r, event, true)
				event++
				m.marks = append(m.marks, [2]int{len(m.entries), len(m.lines)})
				for _, e := range es {
					e.First += int32(len(m.lines))
					e.End += int32(len(m.lines))
					m.entries = append(m.entries, e)
				}
				m.lines = append(m.lines, ls...)
				j.Append(es, ls)
			case k < 19 && len(m.marks) > 0:
				k := r.IntN(len(m.marks))
				mk := m.marks[k]
				m.entries, m.lines, m.marks = m.entries[:mk[0]], m.lines[:mk[1]], m.marks[:k]
				j.Truncate(mk[0], mk[1])
			default:
				j.Reserve(r.IntN(1000), r.IntN(200_000))
			}
			checkJournal(t, seed, step, &j, &m)
		}
	}
}

func checkJournal(t *testing.T, seed uint64, step int, j *bf.Journal, m *journalModel) {
	t.Helper()
	if j.Len() != len(m.entries) || j.NumLines() != len(m.lines) {
		t.Fatalf("seed %d step %d: %d entries and %d lines, want %d and %d", seed, step, j.Len(), j.NumLines(), len(m.entries), len(m.lines))
	}
	for i := range m.entries {
		if *j.Entry(i) != m.entries[i] {
			t.Fatalf("seed %d step %d: entry %d is %+v, want %+v", seed, step, i, *j.Entry(i), m.entries[i])
		}
	}
	// Spot checks of random access; the iterators below read every line.
	for i := 0; i < len(m.lines); i += 997 {
		if *j.Line(i) != m.lines[i] {
			t.Fatalf("seed %d step %d: line %d differs", seed, step, i)
		}
	}
	k := 0
	for e, lines := range j.All() {
		want := &m.entries[k]
		if *e != *want || len(lines) != int(want.End-want.First) {
			t.Fatalf("seed %d step %d: All yields entry %d as %+v with %d lines", seed, step, k, *e, len(lines))
		}
		for i := range lines {
			if lines[i] != m.lines[int(want.First)+i] {
				t.Fatalf("seed %d step %d: entry %d line %d differs", seed, step, k, i)
			}
		}
		if got := j.LinesOf(e); len(got) != len(lines) || (len(got) > 0 && &got[0] != &lines[0]) {
			t.Fatalf("seed %d step %d: LinesOf(entry %d) is not All's slice", seed, step, k)
		}
		k++
	}
	if k != len(m.entries) {
		t.Fatalf("seed %d step %d: All yields %d entries, want %d", seed, step, k, len(m.entries))
	}
	n := 0
	for ln := range j.Lines() {
		if *ln != m.lines[n] {
			t.Fatalf("seed %d step %d: Lines yields line %d wrong", seed, step, n)
		}
		n++
	}
	if n != len(m.lines) {
		t.Fatalf("seed %d step %d: Lines yields %d lines, want %d", seed, step, n, len(m.lines))
	}
}

// TestJournalReserveAllocs: once room is reserved, appending events
// allocates nothing, though they fill several chunks.
func TestJournalReserveAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	var evs [][2]any
	lines := 0
	for len(evs) < 20_000 {
		es, ls := randomEvent(r, int32(len(evs)), false)
		evs = append(evs, [2]any{es, ls})
		lines += len(ls)
	}
	var j bf.Journal
	j.Reserve(2*3*len(evs), 2*lines) // AllocsPerRun runs once more to warm up
	if a := testing.AllocsPerRun(1, func() {
		for _, ev := range evs {
			j.Append(ev[0].([]bf.Entry), ev[1].([]bf.Line))
		}
	}); a != 0 {
		t.Fatalf("%v allocations appending %d events into reserved room", a, len(evs))
	}
}
