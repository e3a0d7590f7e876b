package costing_test

import (
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// plant is a one-level plant: product p takes 2 of m (queue policy), 1 of r
// (reject policy) and 1 of a (allow).
func queuePlant(t *testing.T) *costing.Ledger {
	t.Helper()
	p := &bf.Plant{Currency: bf.Currency{Code: "USD", Scale: 2}, Items: []bf.Item{
		{ID: "m", Kind: bf.Material, StandardCost: bf.Dollars(5), Shortage: bf.ShortageQueue},
		{ID: "r", Kind: bf.Material, StandardCost: bf.Dollars(1), Shortage: bf.ShortageReject},
		{ID: "a", Kind: bf.Material, StandardCost: bf.Dollars(1)},
		{ID: "p", Kind: bf.Finished, ConversionCost: bf.Dollars(3), Price: bf.Dollars(40),
			BOM: []bf.BOMLine{{Item: "m", Qty: bf.Units(2)}, {Item: "r", Qty: bf.Units(1)}, {Item: "a", Qty: bf.Units(1)}}},
	}}
	std, err := costing.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	l, err := costing.NewLedger(std, []bf.BookConfig{
		{Name: "seq", Method: bf.MethodSequential},
		{Name: "pc", Method: bf.MethodBackflush, Triggers: bf.TriggerPurchase | bf.TriggerCompletion},
	}, bf.CloseToCOGS)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func ev(id string, day int, typ bf.EventType, item string, qty int64) *bf.Event {
	return &bf.Event{ID: id, Date: bf.Date(20600 + day), Type: typ, Item: item, Qty: bf.Units(qty)}
}

func mustPost(t *testing.T, l *costing.Ledger, e *bf.Event) {
	t.Helper()
	if e.Type == bf.Purchase && e.UnitCost == 0 {
		e.UnitCost = l.Std.Item(must(l.Std.Lookup(e.Item))).StandardCost
	}
	if err := l.Post(e); err != nil {
		t.Fatalf("post %s: %v", e.ID, err)
	}
}

func must(i int32, ok bool) int32 {
	if !ok {
		panic("unknown item")
	}
	return i
}

func bal(l *costing.Ledger, book string, a bf.Account) string {
	return l.Book(book).Balance(a).Format(2)
}

// TestQueue works a failed backflush by hand: 8 units need 16 m; 10 are on
// hand, so 10 are issued (50.00) and 6 wait (30.00 in backflush_clearing).
// A purchase of 4 re-processes 4 of them at once (20.00 from clearing to
// materials); the close is refused while 2 still wait, unless given a
// reason; a purchase of 5 clears the queue and leaves 3 on hand.
func TestQueue(t *testing.T) {
	l := queuePlant(t)
	mustPost(t, l, ev("p1", 1, bf.Purchase, "m", 10))
	mustPost(t, l, ev("p2", 1, bf.Purchase, "r", 8))
	mustPost(t, l, ev("s1", 2, bf.Start, "p", 8))
	m := must(l.Std.Lookup("m"))
	if q := l.Queue(); len(q) != 1 || q[0].Comp != m || q[0].Qty != bf.Units(6) {
		t.Fatalf("queue %+v, want 6 of m", q)
	}
	if l.OnHand(m) != 0 {
		t.Errorf("m on hand %s, want 0", l.OnHand(m))
	}
	if got := bal(l, "seq", bf.BackflushClearing); got != "-30.00" {
		t.Errorf("clearing %s, want -30.00", got)
	}
	if got := bal(l, "seq", bf.Materials); got != "-8.00" { // m 50−50, r 8−8, a 0−8
		t.Errorf("materials %s, want -8.00", got)
	}
	mustPost(t, l, ev("p3", 3, bf.Purchase, "m", 4))
	if q := l.Queue(); len(q) != 1 || q[0].Qty != bf.Units(2) {
		t.Fatalf("queue after 4 arrive: %+v, want 2 of m", q)
	}
	if got := bal(l, "seq", bf.BackflushClearing); got != "-10.00" {
		t.Errorf("clearing %s, want -10.00", got)
	}
	if l.OnHand(m) != 0 {
		t.Errorf("m on hand %s, want 0", l.OnHand(m))
	}
	before := l.Book("seq").Journal.Len()
	err := l.Post(&bf.Event{ID: "z1", Date: 20610, Type: bf.Close})
	if bf.ErrorKind(err) != bf.KindConflict {
		t.Fatalf("close with a queue: %v, want a conflict", err)
	}
	if l.Book("seq").Journal.Len() != before || l.ClosedThrough() != 0 {
		t.Error("a refused close changed the books")
	}
	mustPost(t, l, ev("p4", 4, bf.Purchase, "m", 5))
	if len(l.Queue()) != 0 || l.OnHand(m) != bf.Units(3) {
		t.Errorf("queue %+v, m on hand %s; want empty and 3", l.Queue(), l.OnHand(m))
	}
	if got := bal(l, "seq", bf.BackflushClearing); got != "0.00" {
		t.Errorf("clearing %s, want 0.00", got)
	}
	mustPost(t, l, &bf.Event{ID: "z1", Date: 20610, Type: bf.Close})
}

func TestQueueCloseWithReason(t *testing.T) {
	l := queuePlant(t)
	mustPost(t, l, ev("p2", 1, bf.Purchase, "r", 8))
	mustPost(t, l, ev("s1", 2, bf.Start, "p", 1))
	if len(l.Queue()) != 1 {
		t.Fatalf("queue %+v", l.Queue())
	}
	mustPost(t, l, &bf.Event{ID: "z1", Date: 20610, Type: bf.Close, Reason: "supplier delivery due on the 2nd; checked by the controller"})
	// A reprocess event retries after stock arrives by a count.
	mustPost(t, l, &bf.Event{ID: "k1", Date: 20611, Type: bf.Count, Item: "m", Qty: bf.Units(5)})
	if len(l.Queue()) != 0 || l.OnHand(must(l.Std.Lookup("m"))) != bf.Units(3) {
		t.Errorf("after a count of 5: queue %+v, on hand %s", l.Queue(), l.OnHand(must(l.Std.Lookup("m"))))
	}
}

func TestReject(t *testing.T) {
	l := queuePlant(t)
	mustPost(t, l, ev("p1", 1, bf.Purchase, "m", 100))
	mustPost(t, l, ev("p2", 1, bf.Purchase, "r", 3))
	n := l.Book("seq").Journal.NumLines()
	err := l.Post(ev("s1", 2, bf.Start, "p", 4))
	if bf.ErrorKind(err) != bf.KindInsufficient {
		t.Fatalf("start needing 4 r with 3 on hand: %v, want insufficient stock", err)
	}
	if l.Book("seq").Journal.NumLines() != n || l.OnHand(must(l.Std.Lookup("m"))) != bf.Units(100) {
		t.Error("a rejected start changed the books or the stock")
	}
	mustPost(t, l, ev("s1", 2, bf.Start, "p", 3))
}

// TestReverseRestores checks that an event followed by its reversal leaves
// every balance and every stock as if the event had never been posted, for
// each kind of event, and that the reversal negates the original line by line.
func TestReverseRestores(t *testing.T) {
	base := []*bf.Event{
		ev("p1", 1, bf.Purchase, "m", 40), ev("p2", 1, bf.Purchase, "r", 20), ev("p3", 1, bf.Purchase, "a", 20),
		ev("s1", 2, bf.Start, "p", 5),
		{ID: "c1", Date: 20603, Type: bf.ConversionCost, Amount: 5000},
		{ID: "f1", Date: 20604, Type: bf.Complete, Item: "p", Qty: bf.Units(4), ScrapQty: bf.Units(1)},
		ev("x1", 5, bf.Sale, "p", 2),
	}
	extra := []*bf.Event{
		{ID: "e", Date: 20606, Type: bf.Purchase, Item: "m", Qty: bf.Units(3), UnitCost: bf.Dollars(6)},
		ev("e", 6, bf.Start, "p", 2),
		{ID: "e", Date: 20606, Type: bf.Complete, Item: "p", Qty: bf.Units(3)}, // 1 started left + 2 issued now
		ev("e", 6, bf.Sale, "p", 1),
		ev("e", 6, bf.Count, "a", 7),
		{ID: "e", Date: 20606, Type: bf.ConversionCost, Amount: 1234},
	}
	for _, x := range extra {
		t.Run(x.Type.String(), func(t *testing.T) {
			without, with := queuePlant(t), queuePlant(t)
			for _, e := range base {
				c := *e
				mustPost(t, without, &c)
				d := *e
				mustPost(t, with, &d)
			}
			mustPost(t, with, x)
			mustPost(t, with, &bf.Event{ID: "rev", Date: 20607, Type: bf.Reverse, Reverses: "e"})
			for _, b := range with.Books {
				wb := without.Book(b.Config.Name)
				if b.Balances() != wb.Balances() {
					t.Errorf("book %s: balances %v, want %v", b.Config.Name, b.Balances(), wb.Balances())
				}
			}
			for i := range with.Std.Plant.Items {
				if with.OnHand(int32(i)) != without.OnHand(int32(i)) || with.InProcess(int32(i)) != without.InProcess(int32(i)) {
					t.Errorf("item %d: on hand %s/%s, in process %s/%s", i, with.OnHand(int32(i)), without.OnHand(int32(i)),
						with.InProcess(int32(i)), without.InProcess(int32(i)))
				}
			}
			if r, ok := with.Reversed(int32(len(base))); !ok || r != int32(len(base)+1) {
				t.Errorf("Reversed = %d, %v", r, ok)
			}
			err := with.Post(&bf.Event{ID: "rev2", Date: 20608, Type: bf.Reverse, Reverses: "e"})
			if bf.ErrorKind(err) != bf.KindConflict {
				t.Errorf("second reversal: %v, want a conflict", err)
			}
		})
	}
}

func TestReverseRefusals(t *testing.T) {
	l := queuePlant(t)
	mustPost(t, l, ev("p1", 1, bf.Purchase, "m", 40))
	mustPost(t, l, &bf.Event{ID: "z1", Date: 20602, Type: bf.Close})
	for _, c := range []struct {
		target string
		kind   bf.Kind
	}{{"nope", bf.KindNotFound}, {"z1", bf.KindInvalid}} {
		err := l.Post(&bf.Event{ID: "r-" + c.target, Date: 20603, Type: bf.Reverse, Reverses: c.target})
		if bf.ErrorKind(err) != c.kind {
			t.Errorf("reverse %s: %v, want %s", c.target, err, c.kind)
		}
	}
	// A purchase of a closed period is reversed in the open period.
	mustPost(t, l, &bf.Event{ID: "r1", Date: 20603, Type: bf.Reverse, Reverses: "p1"})
	if got := bal(l, "seq", bf.Materials); got != "0.00" {
		t.Errorf("materials after reversing p1: %s", got)
	}
	// The closed period's entries are untouched: p1's entry is still first.
	if e := l.Book("seq").Journal.Entry(0); e.Event != 0 || e.Kind != bf.EntryReceipt {
		t.Errorf("first entry %+v", e)
	}
}

// TestCheckpointRestore posts a batch, restores, and compares with a ledger
// that never saw the batch.
func TestCheckpointRestore(t *testing.T) {
	a, b := queuePlant(t), queuePlant(t)
	pre := []*bf.Event{ev("p1", 1, bf.Purchase, "m", 10), ev("p2", 1, bf.Purchase, "r", 9), ev("s1", 2, bf.Start, "p", 8)}
	for _, e := range pre {
		c := *e
		mustPost(t, a, &c)
		d := *e
		mustPost(t, b, &d)
	}
	cp := a.Checkpoint()
	mustPost(t, a, ev("p3", 3, bf.Purchase, "m", 4))
	mustPost(t, a, &bf.Event{ID: "r1", Date: 20604, Type: bf.Reverse, Reverses: "p2"})
	mustPost(t, a, &bf.Event{ID: "z1", Date: 20605, Type: bf.Close, Reason: "test"})
	a.Restore(cp)
	if a.Len() != 3 || a.ClosedThrough() != 0 || len(a.Queue()) != 1 || a.Queue()[0].Qty != bf.Units(6) {
		t.Fatalf("after restore: %d events, closed %s, queue %+v", a.Len(), a.ClosedThrough(), a.Queue())
	}
	for _, bk := range a.Books {
		if bk.Balances() != b.Book(bk.Config.Name).Balances() || bk.Journal.NumLines() != b.Book(bk.Config.Name).Journal.NumLines() {
			t.Errorf("book %s differs after restore", bk.Config.Name)
		}
	}
	// The ids posted after the checkpoint are free again.
	mustPost(t, a, ev("p3", 3, bf.Purchase, "m", 4))
	if _, ok := a.Reversed(1); ok {
		t.Error("the restored reversal is still recorded")
	}
}

// TestSwitchStandards re-costs from a date: completions dated from then on
// use the new conversion rate; BOM paths posted before keep their names.
func TestSwitchStandards(t *testing.T) {
	l := queuePlant(t)
	mustPost(t, l, ev("p1", 1, bf.Purchase, "m", 40))
	mustPost(t, l, ev("p2", 1, bf.Purchase, "r", 20))
	mustPost(t, l, ev("f1", 2, bf.Complete, "p", 2))
	var before []string
	for ln := range l.Book("pc").Journal.Lines() {
		if ln.Path >= 0 {
			before = append(before, l.Std.Paths[ln.Path])
		}
	}
	if len(before) == 0 {
		t.Fatal("no BOM paths posted")
	}
	p2 := *l.Std.Plant
	p2.Items = append([]bf.Item(nil), p2.Items...)
	p2.Items[3].ConversionCost = bf.Dollars(4)
	p2.Items = append(p2.Items, bf.Item{ID: "n", Kind: bf.Material, StandardCost: bf.Dollars(2)})
	std2, err := costing.CompileFrom(&p2, l.Std)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.SwitchStandards(std2, ev("", 3, 0, "", 0).Date); err != nil {
		t.Fatal(err)
	}
	mustPost(t, l, ev("f2", 3, bf.Complete, "p", 1))
	mustPost(t, l, ev("p3", 3, bf.Purchase, "n", 5))
	// Conversion allocated: 2 × 3 + 1 × 4 = 10.
	if got := bal(l, "pc", bf.ConversionAllocated); got != "-10.00" {
		t.Errorf("conversion allocated %s, want -10.00", got)
	}
	k := 0
	for ln := range l.Book("pc").Journal.Lines() {
		if ln.Path >= 0 && k < len(before) {
			if got := l.Std.Paths[ln.Path]; got != before[k] {
				t.Errorf("line path %d reads %s after the switch, was %s", k, got, before[k])
			}
			k++
		}
	}
	bad := p2
	bad.Items = bad.Items[1:]
	if _, err := costing.CompileFrom(&bad, l.Std); bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("a version dropping an item: %v", err)
	}
}
