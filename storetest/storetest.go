// Package storetest is the conformance suite every bf.Store adapter must
// pass: one suite, run by package sqlite on a temporary file, by package
// postgres on a fresh schema and by package inmem, so that the stores cannot
// drift apart.
//
// Besides what the bf.Store documentation says, the suite holds adapters to
// these rules, which the service relies on:
//   - Append validates every event (bf.Event.Validate) and refuses, with
//     KindInvalid, an event its stored encoding could not reproduce exactly;
//     an id given twice in one batch is a KindConflict like an id already in
//     the log. Errors are *bf.Error with Op and Reason; a conflict names the
//     event.
//   - Replay yields events equal to those appended except Line, which is a
//     position in a source file and is not stored (it replays as 0). Replay
//     sees the log as it was when Replay began: events appended meanwhile
//     (even by fn itself) are not replayed, and fn may call the store. Each
//     call of fn gets its own event, which fn may keep.
//   - SaveConfig assigns Version (1, 2, …) and ignores the one given; it sets
//     Created to the current time when zero; times are kept in UTC to the
//     microsecond and written back into the caller's value.
//   - Tokens are listed in order of hash. A token's hash must be 64
//     lowercase hex digits and its role one of the four roles (KindInvalid).
//   - A cancelled context fails the call with an error for which
//     errors.Is(err, context.Canceled) holds, and changes nothing; an Append
//     cancelled while it runs stores its batch wholly or not at all.
//   - Close may be called twice; calls after Close fail without panicking.
package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	bf "github.com/backflush/backflush"
)

// Run runs the suite. open is called with each subtest's t: the first call
// with a given t must return a store on fresh, empty storage; a later call
// with the same t (after the suite has closed the earlier store) must return
// a store on that same storage, which is how durability is tested. The suite
// closes every store it opens.
func Run(t *testing.T, open func(t *testing.T) bf.Store) {
	s := &suite{open: open}
	tests := []struct {
		name string
		fn   func(*testing.T)
	}{
		{"RoundTrip", s.roundTrip},
		{"Unstorable", s.unstorable},
		{"Atomicity", s.atomicity},
		{"Len", s.length},
		{"Durability", s.durability},
		{"Configs", s.configs},
		{"Tokens", s.tokens},
		{"Cancel", s.cancel},
		{"ReplayDuringAppend", s.replayReentrant},
		{"ConcurrentAppends", s.concurrent},
		{"ConcurrentConflicts", s.concurrentConflicts},
		{"LargeBatch", s.largeBatch},
		{"Closed", s.closed},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.fn)
	}
}

type suite struct {
	open func(t *testing.T) bf.Store
}

// store opens a store for t and closes it when t ends; closing twice is part
// of the contract, so the cleanup runs even if the test closed it already.
func (s *suite) store(t *testing.T) bf.Store {
	t.Helper()
	st := s.open(t)
	t.Cleanup(func() { st.Close() })
	return st
}

var bg = context.Background()

func day(s string) bf.Date {
	d, why := bf.ParseDate(s)
	if why != "" {
		panic(s + ": " + why)
	}
	return d
}

func qty(s string) bf.Qty {
	q, why := bf.ParseQty(s)
	if why != "" {
		panic(s + ": " + why)
	}
	return q
}

func cost(s string) bf.Cost {
	c, why := bf.ParseCost(s)
	if why != "" {
		panic(s + ": " + why)
	}
	return c
}

func pct(s string) bf.Pct {
	p, why := bf.ParsePct(s)
	if why != "" {
		panic(s + ": " + why)
	}
	return p
}

// everyKind returns events of every type with every field each type takes,
// at the edges of their ranges, with text that tests the encoding: quotes,
// backslashes, newlines, tabs, non-Latin scripts, emoji, combining marks,
// U+2028 and a literal U+FFFD.
func everyKind() []bf.Event {
	const memo = "Ünïcödé — 日本語 🚲 «quotes» \"double\" \\back\\ e\u0301 \u2028 \ufffd\nsecond line\ttab"
	return []bf.Event{
		{ID: "p1", Date: day("2024-01-02"), Type: bf.Purchase, Item: "steel-rod", Qty: qty("21000"), UnitCost: cost("1.125"), Memo: memo},
		{ID: "p-max", Date: day("9999-12-31"), Type: bf.Purchase, Item: "Schraube M8 ✓", Qty: bf.Qty(math.MaxInt64), UnitCost: bf.Cost(math.MaxInt64)},
		{ID: "p-min", Date: day("0001-01-01"), Type: bf.Purchase, Item: "x", Qty: 1, UnitCost: 0},
		{ID: "p-1969", Date: day("1969-12-31"), Type: bf.Purchase, Item: "x", Qty: qty("0.000001"), UnitCost: cost("0.000000001")},
		{ID: "s1", Date: day("2024-01-03"), Type: bf.Start, Item: "bike", Qty: qty("12.5")},
		{ID: "cc-var", Date: day("2024-01-04"), Type: bf.ConversionCost, Amount: 4_500_000, Behavior: bf.Variable},
		{ID: "cc-fixed", Date: day("2024-01-04"), Type: bf.ConversionCost, Amount: bf.Money(math.MaxInt64), Behavior: bf.Fixed},
		{ID: "cc-unset", Date: day("2024-01-04"), Type: bf.ConversionCost, Amount: 1},
		{ID: "c1", Date: day("2024-01-05"), Type: bf.Complete, Item: "bike", Qty: qty("10"), ScrapQty: qty("2.5")},
		{ID: "c-scrap-only", Date: day("2024-01-05"), Type: bf.Complete, Item: "bike", ScrapQty: qty("1")},
		{ID: "sale1", Date: day("2024-01-06"), Type: bf.Sale, Item: "bike", Qty: qty("3"), UnitPrice: cost("499.99")},
		{ID: "sale-list", Date: day("2024-01-06"), Type: bf.Sale, Item: "bike", Qty: qty("1")},
		{ID: "count1", Date: day("2024-01-07"), Type: bf.Count, Item: "steel-rod", Qty: qty("20950.5")},
		{ID: "count-zero", Date: day("2024-01-07"), Type: bf.Count, Item: "steel-rod"},
		{ID: "exp-var", Date: day("2024-01-08"), Type: bf.Expense, Amount: 12_345, Behavior: bf.Variable, Memo: "commissions"},
		{ID: "exp-fixed", Date: day("2024-01-08"), Type: bf.Expense, Amount: 99_999_999, Behavior: bf.Fixed},
		{ID: "wip1", Date: day("2024-01-09"), Type: bf.WIPCount, Item: "bike", Qty: qty("4"), MaterialsPct: pct("100"), ConversionPct: pct("12.345678")},
		{ID: "wip-zero", Date: day("2024-01-09"), Type: bf.WIPCount, Item: "bike"},
		{ID: "close-jan", Date: day("2024-01-31"), Type: bf.Close, Memo: "January"},
		{ID: `quote " back \ ünï 🚲`, Date: day("2024-02-01"), Type: bf.Start, Item: `it"em\`, Qty: 1, Memo: "\u00a0nbsp\u200bzero-width"},
	}
}

// batch returns n valid events with ids prefix-0 … prefix-(n-1).
func batch(prefix string, n int) []bf.Event {
	out := make([]bf.Event, n)
	for i := range out {
		out[i] = bf.Event{
			ID:       prefix + "-" + fmt.Sprint(i),
			Date:     day("2024-03-01") + bf.Date(i%28),
			Type:     bf.Purchase,
			Item:     "item-" + fmt.Sprint(i%50),
			Qty:      bf.Units(int64(i%1000 + 1)),
			UnitCost: bf.Cost(int64(i) * 1_000_003),
			Memo:     "batch " + prefix,
		}
	}
	return out
}

func replay(t *testing.T, st bf.Store) []bf.Event {
	t.Helper()
	var out []bf.Event
	if err := st.Replay(bg, func(e *bf.Event) error {
		out = append(out, *e)
		return nil
	}); err != nil {
		t.Fatalf("Replay: %v", err)
	}
	return out
}

func mustAppend(t *testing.T, st bf.Store, events []bf.Event) {
	t.Helper()
	if err := st.Append(bg, events); err != nil {
		t.Fatalf("Append: %v", err)
	}
}

func mustLen(t *testing.T, st bf.Store, want int64) {
	t.Helper()
	n, err := st.Len(bg)
	if err != nil {
		t.Fatalf("Len: %v", err)
	}
	if n != want {
		t.Fatalf("Len = %d, want %d", n, want)
	}
}

// sameLog fails unless got is want with Line cleared, in order.
func sameLog(t *testing.T, got, want []bf.Event) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("replayed %d events, want %d", len(got), len(want))
	}
	for i := range want {
		w := want[i]
		w.Line = 0
		if got[i] != w {
			t.Fatalf("event %d:\n got %+v\nwant %+v", i, got[i], w)
		}
	}
}

// wantErr fails unless err is an *bf.Error of the kind, with Op and Reason.
func wantErr(t *testing.T, err error, kind bf.Kind, what string) *bf.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want %s", what, kind)
	}
	var be *bf.Error
	if !errors.As(err, &be) {
		t.Fatalf("%s: error %T %v is not a *bf.Error", what, err, err)
	}
	if be.Kind != kind {
		t.Fatalf("%s: error kind %s (%v), want %s", what, be.Kind, err, kind)
	}
	if be.Op == "" || be.Reason == "" {
		t.Fatalf("%s: error %#v lacks Op or Reason", what, be)
	}
	return be
}

func (s *suite) roundTrip(t *testing.T) {
	st := s.store(t)
	if got := replay(t, st); len(got) != 0 {
		t.Fatalf("a new store replays %d events", len(got))
	}
	all := everyKind()
	all[0].Line = 42 // a source position: not stored
	mustAppend(t, st, all[:3])
	mustAppend(t, st, all[3:4])
	mustAppend(t, st, all[4:])
	mustAppend(t, st, nil) // an empty batch is a no-op
	sameLog(t, replay(t, st), all)
	mustLen(t, st, int64(len(all)))

	// An error from fn stops the replay and is returned as is.
	stop := errors.New("stop")
	calls := 0
	err := st.Replay(bg, func(*bf.Event) error {
		calls++
		if calls == 2 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 2 {
		t.Fatalf("Replay with fn failing at the 2nd event: err %v after %d calls, want %v after 2", err, calls, stop)
	}

	// Replay gives fn a fresh event each time, so keeping the pointer is safe.
	var kept []*bf.Event
	if err := st.Replay(bg, func(e *bf.Event) error { kept = append(kept, e); return nil }); err != nil {
		t.Fatal(err)
	}
	for i, e := range kept {
		if e.ID != all[i].ID {
			t.Fatalf("kept pointer %d has id %q, want %q: Replay reuses the event", i, e.ID, all[i].ID)
		}
	}
}

// unstorable: events the store must refuse, each in a batch with a good
// event before it, which must not be added either.
func (s *suite) unstorable(t *testing.T) {
	st := s.store(t)
	good := bf.Event{ID: "good", Date: day("2024-01-02"), Type: bf.Start, Item: "x", Qty: 1}
	cases := []struct {
		name  string
		e     bf.Event
		field string
	}{
		{"invalid qty", bf.Event{ID: "bad", Date: day("2024-01-02"), Type: bf.Purchase, Item: "x"}, "qty"},
		{"no type", bf.Event{ID: "bad", Date: day("2024-01-02"), Item: "x", Qty: 1}, "type"},
		{"no id", bf.Event{Date: day("2024-01-02"), Type: bf.Start, Item: "x", Qty: 1}, "id"},
		{"invalid UTF-8", bf.Event{ID: "bad\xff", Date: day("2024-01-02"), Type: bf.Start, Item: "x", Qty: 1}, "id"},
		{"year 10000", bf.Event{ID: "bad", Date: day("9999-12-31") + 1, Type: bf.Start, Item: "x", Qty: 1}, "date"},
	}
	for _, c := range cases {
		err := st.Append(bg, []bf.Event{good, c.e})
		be := wantErr(t, err, bf.KindInvalid, c.name)
		if be.Field != c.field {
			t.Errorf("%s: error names field %q, want %q (%v)", c.name, be.Field, c.field, err)
		}
	}
	mustLen(t, st, 0)
	// A memo with every character the encoding can take is accepted.
	ok := good
	ok.Memo = "tab\tnewline\nreturn\rformfeed\fbackspace\b bell\a nul\x00 del\x7f \u0085 \u00ad \U0001F6B2"
	mustAppend(t, st, []bf.Event{ok})
	sameLog(t, replay(t, st), []bf.Event{ok})
}

func (s *suite) atomicity(t *testing.T) {
	st := s.store(t)
	first := batch("a", 5)
	mustAppend(t, st, first)

	// The duplicate comes last, after rows a store may already have written.
	dupLog := append(batch("b", 4), first[2])
	be := wantErr(t, st.Append(bg, dupLog), bf.KindConflict, "id already in the log")
	if be.Event != first[2].ID {
		t.Errorf("conflict names event %q, want %q", be.Event, first[2].ID)
	}
	// Same id, same content: still a conflict at this level (idempotency is
	// the ingestion layer's business, which compares content).
	wantErr(t, st.Append(bg, first[:1]), bf.KindConflict, "same event again")

	dupBatch := batch("c", 4)
	dupBatch = append(dupBatch, dupBatch[1])
	be = wantErr(t, st.Append(bg, dupBatch), bf.KindConflict, "id twice in the batch")
	if be.Event != dupBatch[1].ID {
		t.Errorf("conflict names event %q, want %q", be.Event, dupBatch[1].ID)
	}

	mustLen(t, st, 5)
	sameLog(t, replay(t, st), first)

	// After refusals the log takes new batches and their ids normally.
	mustAppend(t, st, batch("b", 4))
	sameLog(t, replay(t, st), append(first, batch("b", 4)...))
}

func (s *suite) length(t *testing.T) {
	st := s.store(t)
	mustLen(t, st, 0)
	mustAppend(t, st, batch("a", 1))
	mustLen(t, st, 1)
	mustAppend(t, st, batch("b", 99))
	mustLen(t, st, 100)
	st.Append(bg, batch("a", 3)) // refused
	mustLen(t, st, 100)
}

func (s *suite) durability(t *testing.T) {
	st := s.store(t)
	events := everyKind()
	mustAppend(t, st, events)
	c := bf.ConfigVersion{Document: []byte("items: []\n"), Note: "first"}
	if err := st.SaveConfig(bg, &c); err != nil {
		t.Fatal(err)
	}
	tok := token("durable", bf.Admin)
	if err := st.PutToken(bg, &tok); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	st = s.store(t)
	sameLog(t, replay(t, st), events)
	mustLen(t, st, int64(len(events)))
	cs, err := st.Configs(bg)
	if err != nil || len(cs) != 1 || !sameConfig(cs[0], c) {
		t.Fatalf("configs after reopen: %+v, %v; want [%+v]", cs, err, c)
	}
	ts, err := st.Tokens(bg)
	if err != nil || len(ts) != 1 || !sameToken(ts[0], tok) {
		t.Fatalf("tokens after reopen: %+v, %v; want [%+v]", ts, err, tok)
	}
	// The reopened log still knows its ids and numbers on.
	wantErr(t, st.Append(bg, events[:1]), bf.KindConflict, "id from before the reopen")
	more := batch("after", 3)
	mustAppend(t, st, more)
	sameLog(t, replay(t, st), append(events, more...))
	c2 := bf.ConfigVersion{Document: []byte("v2")}
	if err := st.SaveConfig(bg, &c2); err != nil || c2.Version != 2 {
		t.Fatalf("SaveConfig after reopen: version %d, %v; want 2", c2.Version, err)
	}
}

func sameConfig(a, b bf.ConfigVersion) bool {
	return a.Version == b.Version && a.Effective == b.Effective && bytes.Equal(a.Document, b.Document) &&
		a.Note == b.Note && a.Created.Equal(b.Created)
}

func (s *suite) configs(t *testing.T) {
	st := s.store(t)
	cs, err := st.Configs(bg)
	if err != nil || len(cs) != 0 {
		t.Fatalf("Configs of a new store: %v, %v", cs, err)
	}
	every := make([]byte, 256*4)
	for i := range every {
		every[i] = byte(i)
	}
	big := bytes.Repeat([]byte("items:\n  - id: steel-rod\n    standard_cost: 1.125\n"), 1<<14)
	nanos := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("CEST", 2*3600))
	before := time.Now()
	in := []bf.ConfigVersion{
		{Document: []byte("items: [a]\nbooks: [sequential]\n"), Note: "initial plant"},
		{Effective: day("2024-02-01"), Document: every, Note: "Änderung der Standardkosten — 標準原価", Created: nanos},
		{Effective: day("2024-03-01"), Document: nil, Note: ""},
		{Effective: day("2024-04-01"), Document: big, Note: "big", Version: 1}, // a given version is ignored
	}
	for i := range in {
		orig := in[i].Created
		if err := st.SaveConfig(bg, &in[i]); err != nil {
			t.Fatalf("SaveConfig %d: %v", i, err)
		}
		if in[i].Version != i+1 {
			t.Fatalf("SaveConfig %d assigned version %d, want %d", i, in[i].Version, i+1)
		}
		c := in[i].Created
		switch {
		case orig.IsZero() && (c.Before(before.Add(-time.Second)) || c.After(time.Now().Add(time.Second))):
			t.Fatalf("SaveConfig %d set Created to %v, not about now", i, c)
		case !orig.IsZero() && (c.After(orig) || orig.Sub(c) >= time.Microsecond):
			t.Fatalf("SaveConfig %d changed Created from %v to %v (more than the microsecond)", i, orig, c)
		}
	}
	// The caller's buffers are not kept: changing them changes nothing.
	every[0] = 'X'
	want := make([]bf.ConfigVersion, len(in))
	copy(want, in)
	want[1].Document = append([]byte{0}, every[1:]...)
	check := func(when string) {
		t.Helper()
		cs, err := st.Configs(bg)
		if err != nil {
			t.Fatalf("Configs %s: %v", when, err)
		}
		if len(cs) != len(want) {
			t.Fatalf("Configs %s: %d versions, want %d", when, len(cs), len(want))
		}
		for i := range want {
			if !sameConfig(cs[i], want[i]) {
				t.Fatalf("Configs %s: version %d:\n got %+v\nwant %+v", when, i+1, cs[i], want[i])
			}
		}
		cs[1].Document[0] = 'Y' // the returned buffer is the caller's too
	}
	check("after saving")
	check("again")
}

func token(name string, role bf.Role) bf.Token {
	h := sha256.Sum256([]byte("secret of " + name))
	return bf.Token{Hash: hex.EncodeToString(h[:]), Name: name, Role: role}
}

func sameToken(a, b bf.Token) bool {
	return a.Hash == b.Hash && a.Name == b.Name && a.Role == b.Role && a.Created.Equal(b.Created)
}

func (s *suite) tokens(t *testing.T) {
	st := s.store(t)
	list := func() []bf.Token {
		t.Helper()
		ts, err := st.Tokens(bg)
		if err != nil {
			t.Fatalf("Tokens: %v", err)
		}
		return ts
	}
	same := func(got []bf.Token, want ...bf.Token) {
		t.Helper()
		sort.Slice(want, func(i, j int) bool { return want[i].Hash < want[j].Hash })
		if len(got) != len(want) {
			t.Fatalf("Tokens = %+v, want %+v", got, want)
		}
		for i := range want {
			if !sameToken(got[i], want[i]) {
				t.Fatalf("Tokens = %+v, want %+v (in order of hash)", got, want)
			}
		}
	}
	same(list())

	a, b, c := token("ci robot", bf.Operator), token("Zoë Controller", bf.Controller), token("viewer", bf.Viewer)
	b.Created = time.Date(2024, 1, 2, 3, 4, 5, 6_000, time.UTC)
	for _, tk := range []*bf.Token{&a, &b, &c} {
		if err := st.PutToken(bg, tk); err != nil {
			t.Fatalf("PutToken %s: %v", tk.Name, err)
		}
		if tk.Created.IsZero() {
			t.Fatalf("PutToken %s left Created zero", tk.Name)
		}
	}
	same(list(), a, b, c)

	// Replacing keeps one token per hash, with the new values.
	a2 := a
	a2.Name, a2.Role, a2.Created = "ci robot (admin now)", bf.Admin, time.Time{}
	if err := st.PutToken(bg, &a2); err != nil {
		t.Fatal(err)
	}
	same(list(), a2, b, c)

	if err := st.DeleteToken(bg, b.Hash); err != nil {
		t.Fatalf("DeleteToken: %v", err)
	}
	same(list(), a2, c)
	wantErr(t, st.DeleteToken(bg, b.Hash), bf.KindNotFound, "deleting a deleted token")
	wantErr(t, st.DeleteToken(bg, token("nobody", bf.Viewer).Hash), bf.KindNotFound, "deleting an unknown token")

	bad := []bf.Token{
		{Hash: "plain-secret", Name: "x", Role: bf.Viewer},
		{Hash: strings.ToUpper(a.Hash), Name: "x", Role: bf.Viewer},
		{Hash: a.Hash, Name: "x", Role: 0},
		{Hash: a.Hash, Name: "x", Role: bf.Admin + 1},
		{Hash: a.Hash, Name: "bad\xff", Role: bf.Viewer},
	}
	for _, tk := range bad {
		wantErr(t, st.PutToken(bg, &tk), bf.KindInvalid, fmt.Sprintf("PutToken(%+v)", tk))
	}
	same(list(), a2, c)
}

func (s *suite) cancel(t *testing.T) {
	st := s.store(t)
	cancelled, cancel := context.WithCancel(bg)
	cancel()
	expired, cancel2 := context.WithDeadline(bg, time.Now().Add(-time.Second))
	defer cancel2()
	isCancelled := func(err error, what string) {
		t.Helper()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("%s with a cancelled context: %v, want context.Canceled", what, err)
		}
	}

	isCancelled(st.Append(cancelled, batch("x", 3)), "Append")
	if err := st.Append(expired, batch("x", 3)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Append past its deadline: %v, want context.DeadlineExceeded", err)
	}
	_, err := st.Len(cancelled)
	isCancelled(err, "Len")
	c := bf.ConfigVersion{Document: []byte("x")}
	isCancelled(st.SaveConfig(cancelled, &c), "SaveConfig")
	_, err = st.Configs(cancelled)
	isCancelled(err, "Configs")
	tk := token("t", bf.Viewer)
	isCancelled(st.PutToken(cancelled, &tk), "PutToken")
	_, err = st.Tokens(cancelled)
	isCancelled(err, "Tokens")
	isCancelled(st.DeleteToken(cancelled, tk.Hash), "DeleteToken")
	isCancelled(st.Replay(cancelled, func(*bf.Event) error { return nil }), "Replay")

	// Nothing of the above happened.
	mustLen(t, st, 0)
	if cs, err := st.Configs(bg); err != nil || len(cs) != 0 {
		t.Fatalf("Configs after cancelled SaveConfig: %v, %v", cs, err)
	}
	if ts, err := st.Tokens(bg); err != nil || len(ts) != 0 {
		t.Fatalf("Tokens after cancelled PutToken: %v, %v", ts, err)
	}

	// Cancelled while it runs, a batch is stored wholly or not at all, and
	// the error, if any, says it was cancelled.
	for _, after := range []time.Duration{time.Millisecond, 30 * time.Millisecond, 60 * time.Millisecond, 120 * time.Millisecond, 250 * time.Millisecond} {
		ctx, cancel := context.WithTimeout(bg, after)
		err := st.Append(ctx, batch(fmt.Sprintf("mid%d", after), 20_000))
		cancel()
		n, lerr := st.Len(bg)
		if lerr != nil {
			t.Fatal(lerr)
		}
		switch {
		case err == nil && n == 20_000:
			t.Logf("Append with a %v deadline finished in time", after)
		case err != nil && n == 0:
			t.Logf("Append with a %v deadline was cut short: %v", after, err)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Append cut short after %v: %v, want context.DeadlineExceeded", after, err)
			}
		default:
			t.Fatalf("Append cut short after %v: error %v with %d events in the log, want all 20000 or none", after, err, n)
		}
		if n == 20_000 {
			break // the store outran the deadline; the rest would too
		}
	}
	n, _ := st.Len(bg)

	// Cancelling during a replay stops it before the next event.
	mustAppend(t, st, batch("r", 10_000))
	ctx, cancel3 := context.WithCancel(bg)
	defer cancel3()
	calls := 0
	err = st.Replay(ctx, func(*bf.Event) error {
		calls++
		if calls == 3 {
			cancel3()
		}
		return nil
	})
	isCancelled(err, "Replay cancelled by fn")
	if calls != 3 {
		t.Fatalf("Replay called fn %d times, want 3: it went on after the cancel", calls)
	}
	if err := st.Append(bg, batch("after", 1)); err != nil {
		t.Fatalf("Append after cancelled calls: %v", err)
	}
	mustLen(t, st, n+10_001)
}

// replayReentrant: fn may call the store, including Append, without
// deadlock; the replay does not see what was appended after it began.
func (s *suite) replayReentrant(t *testing.T) {
	st := s.store(t)
	first := batch("a", 5000)
	mustAppend(t, st, first)
	var got []bf.Event
	err := st.Replay(bg, func(e *bf.Event) error {
		got = append(got, *e)
		if len(got) == 1 {
			if err := st.Append(bg, batch("during", 2)); err != nil {
				return err
			}
			if n, err := st.Len(bg); err != nil || n != 5002 {
				return fmt.Errorf("len during replay: %d, %v", n, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sameLog(t, got, first)
	sameLog(t, replay(t, st), append(first, batch("during", 2)...))
}

// concurrent: goroutines append batches at once; every event lands once and
// each batch stays contiguous and in its goroutine's order.
func (s *suite) concurrent(t *testing.T) {
	st := s.store(t)
	const workers, batches, size = 6, 15, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				if err := st.Append(bg, batch(fmt.Sprintf("w%d.b%d", w, b), size)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent Append: %v", err)
	}
	mustLen(t, st, workers*batches*size)
	got := replay(t, st)
	if len(got) != workers*batches*size {
		t.Fatalf("replayed %d events, want %d", len(got), workers*batches*size)
	}
	next := make([]int, workers) // the next batch expected of each worker
	for i := 0; i < len(got); i += size {
		var w, b int
		if _, err := fmt.Sscanf(got[i].ID, "w%d.b%d-0", &w, &b); err != nil {
			t.Fatalf("event %d (%s) does not start a batch: batches interleave", i, got[i].ID)
		}
		if b != next[w] {
			t.Fatalf("worker %d's batch %d replays before its batch %d", w, b, next[w])
		}
		next[w]++
		sameLog(t, got[i:i+size], batch(fmt.Sprintf("w%d.b%d", w, b), size))
	}
}

// concurrentConflicts: racing batches that share an id; exactly one wins.
func (s *suite) concurrentConflicts(t *testing.T) {
	st := s.store(t)
	const racers = 6
	shared := batch("shared", 1)[0]
	var wg sync.WaitGroup
	results := make([]error, racers)
	for r := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[r] = st.Append(bg, append(batch(fmt.Sprintf("r%d", r), 3), shared))
		}()
	}
	wg.Wait()
	won := 0
	for r, err := range results {
		if err == nil {
			won++
			continue
		}
		wantErr(t, err, bf.KindConflict, fmt.Sprintf("racer %d", r))
	}
	if won != 1 {
		t.Fatalf("%d racers appended the shared id, want exactly 1", won)
	}
	mustLen(t, st, 4)
}

func (s *suite) largeBatch(t *testing.T) {
	st := s.store(t)
	const n = 50_000
	events := batch("big", n)
	mustAppend(t, st, events)
	mustLen(t, st, n)
	sameLog(t, replay(t, st), events)
}

func (s *suite) closed(t *testing.T) {
	st := s.store(t)
	mustAppend(t, st, batch("a", 1))
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	tk := token("x", bf.Viewer)
	c := bf.ConfigVersion{}
	for name, err := range map[string]error{
		"Append":      st.Append(bg, batch("b", 1)),
		"Replay":      st.Replay(bg, func(*bf.Event) error { return nil }),
		"SaveConfig":  st.SaveConfig(bg, &c),
		"PutToken":    st.PutToken(bg, &tk),
		"DeleteToken": st.DeleteToken(bg, tk.Hash),
	} {
		if err == nil {
			t.Errorf("%s on a closed store succeeded", name)
		}
	}
	if _, err := st.Len(bg); err == nil {
		t.Error("Len on a closed store succeeded")
	}
	if _, err := st.Configs(bg); err == nil {
		t.Error("Configs on a closed store succeeded")
	}
	if _, err := st.Tokens(bg); err == nil {
		t.Error("Tokens on a closed store succeeded")
	}
	if err := st.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
