package scenario_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/scenario"
)

const fuzzFile = "plant.yaml"

// fuzzSeeds are the published scenarios and variants of Acton that take the
// decoder down its error paths and its less common paths.
func fuzzSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	paths, err := filepath.Glob("../testdata/*/scenario.yaml")
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no scenarios under ../testdata: %v", err)
	}
	var out [][]byte
	var acton string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
		if strings.Contains(p, "acton") {
			acton = string(b)
		}
	}
	if acton == "" {
		tb.Fatal("testdata/acton/scenario.yaml is missing")
	}
	for _, m := range [][2]string{
		{"qty: 25}", "qty: 1e5}"},
		{"qty: 25}", "qty: 0.0000001}"},
		{"qty: 25}", "qty: -25}"},
		{"qty: 25}", "qty: 25, scrap_pct: 2.5}"},
		{"standard_cost: 1.00}", "standard_cost: 0}"},
		{"bom: [{item: dm, qty: 25}]", "bom: [{item: cable, qty: 1}]"},
		{"bom: [{item: dm, qty: 25}]", "bom: []"},
		{"{item: dm", "{item: nope"},
		{"kind: finished", "kind: phantom"},
		{"currency: USD", "currency: JPY"},
		{"currency: USD", "currency: KWD"},
		{"currency: USD", "currency: usd"},
		{"conversion_variance: cogs", "conversion_variance: prorate"},
		{"triggers: [completion, sale]", "triggers: [delivery]"},
		{"method: sequential}", "method: sequential, triggers: [sale]}"},
		{"id: s1,", "id: p1,"},
		{"2026-08-31, type: close", "2026-08-01, type: close"},
		{"type: sale, item: cable", "type: sale, item: dm"},
		{"type: start, item: cable", "type: start, item: ghost"},
		{"amount: 440000", "amount: 440000.001"},
		{"unit_price: 60}", "unit_price: 60, scrap: 1}"},
		{"- {id: z1, date: 2026-08-31, type: close}", "- {id: z1, date: 2026-08-31, type: close}\n  - {id: z2, date: 2026-08-31, type: close}"},
		{"- {id: z1, date: 2026-08-31, type: close}", "- &e {id: z1, date: 2026-08-31, type: close}\n  - *e"},
		{"name: Acton Corporation, August", "name: Acton\n---\nname: again"},
		{"items:", "items: &i"},
		{"events:", "accounts: {cogs: 5000, wip: {code: '1400', name: Work in process}}\nevents:"},
		{"events:", "colour: red\nevents:"},
		{"  - {id: dm,", "\t- {id: dm,"},
	} {
		if !strings.Contains(acton, m[0]) {
			tb.Fatalf("acton scenario has no %q to mutate", m[0])
		}
		out = append(out, []byte(strings.Replace(acton, m[0], m[1], 1)))
	}
	out = append(out, []byte(""), []byte("items: []"), []byte("- 1\n- 2"), []byte("{items: [{id: m, kind: material, standard_cost: 1}]}"))
	return out
}

func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<14 {
			return // scenario files of interest are small; keep each run fast
		}
		sc, err := scenario.Decode(fuzzFile, data)
		if err != nil {
			fuzzCheckErr(t, "Decode", err)
			return
		}
		l, err := fuzzBuild(t, sc)
		if err != nil {
			fuzzCheckErr(t, "Build", err)
			return
		}
		fuzzCheckBooks(t, l)
	})
}

// fuzzBuild runs Build, turning a panic into a test failure with the input.
func fuzzBuild(t *testing.T, sc *bf.Config) (l *costing.Ledger, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("Build panicked: %v", r)
		}
	}()
	return costing.Build(sc, fuzzFile)
}

func fuzzCheckErr(t *testing.T, op string, err error) {
	t.Helper()
	var e *bf.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: error %T is not a *bf.Error: %v", op, err, err)
	}
	if e.File != fuzzFile {
		t.Fatalf("%s: error names file %q, want %q: %v", op, e.File, fuzzFile, err)
	}
	if strings.TrimSpace(e.Reason) == "" {
		t.Fatalf("%s: error has no reason: %#v", op, e)
	}
	if e.Line < 0 {
		t.Fatalf("%s: error line %d: %v", op, e.Line, err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, fuzzFile) {
		t.Fatalf("%s: message %q does not start with the file name", op, msg)
	}
}

// fuzzCheckBooks checks that every entry balances, that the entries cover
// the lines, and that the running balances are the sums of the lines.
func fuzzCheckBooks(t *testing.T, l *costing.Ledger) {
	t.Helper()
	for _, b := range l.Books {
		var sums [bf.NumAccounts]bf.Money
		next := int32(0)
		for i, e := range b.Journal.Entries() {
			if e.First != next || e.End <= e.First {
				t.Fatalf("book %s: entry %d spans [%d,%d) after %d", b.Config.Name, i, e.First, e.End, next)
			}
			var s bf.Money
			for _, ln := range b.Journal.LinesOf(e) {
				s += ln.Amount
				sums[ln.Account] += ln.Amount
			}
			if s != 0 {
				t.Fatalf("book %s: entry %d (%s) sums to %s", b.Config.Name, i, e.Kind, s.Format(2))
			}
			next = e.End
		}
		if int(next) != b.Journal.NumLines() {
			t.Fatalf("book %s: %d lines, entries cover %d", b.Config.Name, b.Journal.NumLines(), next)
		}
		if sums != b.Balances() {
			t.Fatalf("book %s: balances %v, lines sum to %v", b.Config.Name, b.Balances(), sums)
		}
	}
}

// TestFuzzSeedsDecode runs the seeds as a plain test, so that go test without
// -fuzz exercises them and they cannot rot: most variants must fail with the
// reason expected, the clean ones must build.
func TestFuzzSeedsDecode(t *testing.T) {
	built := 0
	for i, s := range fuzzSeeds(t) {
		sc, err := scenario.Decode(fuzzFile, s)
		if err != nil {
			fuzzCheckErr(t, "Decode seed "+strconv.Itoa(i), err)
			continue
		}
		l, err := fuzzBuild(t, sc)
		if err != nil {
			fuzzCheckErr(t, "Build seed "+strconv.Itoa(i), err)
			continue
		}
		fuzzCheckBooks(t, l)
		built++
	}
	if built < 5 {
		t.Errorf("only %d seeds built; the published scenarios at least should", built)
	}
}

// decodeErrLine returns the 1-based line of the first line holding "#<".
func decodeErrLine(t *testing.T, src string) int {
	t.Helper()
	for i, l := range strings.Split(src, "\n") {
		if strings.Contains(l, "#<") {
			return i + 1
		}
	}
	t.Fatalf("no #< marker in\n%s", src)
	return 0
}

// The error cases mark the line the error must name with "#<".
var decodeErrCases = []struct {
	name   string
	src    string
	build  bool // the error comes from Build (events are posted there)
	kind   bf.Kind
	field  string
	item   string
	event  string
	reason string
}{
	{name: "unknown scenario field", kind: bf.KindInvalid, field: "colour", reason: "is not a scenario field", src: `
name: t
colour: red #<
items:
  - {id: m, kind: material, standard_cost: 1}
`},
	{name: "unknown item field", kind: bf.KindInvalid, field: "colour", reason: "is not an item field", src: `
items:
  - id: m
    kind: material
    standard_cost: 1
    colour: red #<
`},
	{name: "unknown item in a BOM", kind: bf.KindNotFound, field: "bom.item", item: "f", reason: `unknown item "nope"`, src: `
items:
  - {id: m, kind: material, standard_cost: 1}
  - id: f
    kind: finished
    bom:
      - {item: m, qty: 1}
      - {item: nope, qty: 2} #<
`},
	{name: "BOM cycle", kind: bf.KindInvalid, field: "bom", item: "a", reason: "BOM cycle a > b > a", src: `
items:
  - {id: m, kind: material, standard_cost: 1}
  - id: b
    kind: assembly
    bom: [{item: a, qty: 1}]
  - id: a #<
    kind: assembly
    bom: [{item: b, qty: 1}, {item: m, qty: 1}]
`},
	{name: "duplicate item id", kind: bf.KindInvalid, field: "id", item: "m", reason: "duplicates the item at position 1", src: `
items:
  - {id: m, kind: material, standard_cost: 1}
  - {id: f, kind: finished, bom: [{item: m, qty: 1}]}
  - {id: m, kind: material, standard_cost: 2} #<
`},
	{name: "made item without a BOM", kind: bf.KindInvalid, field: "bom", item: "f", reason: "a made item needs a BOM", src: `
items:
  - {id: m, kind: material, standard_cost: 1}
  - {id: f, kind: finished, price: 3} #<
`},
	{name: "material without a standard cost", kind: bf.KindInvalid, field: "standard_cost", item: "m", reason: "a material needs a positive standard cost", src: `
items:
  - {id: m, kind: material} #<
`},
	{name: "negative BOM quantity", kind: bf.KindInvalid, field: "bom.qty", item: "f", reason: "must be positive", src: `
items:
  - {id: m, kind: material, standard_cost: 1}
  - id: f
    kind: finished
    bom:
      - {item: m, qty: -2} #<
`},
	{name: "negative scrap", kind: bf.KindInvalid, field: "bom.scrap_pct", item: "f", reason: "must not be negative", src: `
items:
  - {id: m, kind: material, standard_cost: 1}
  - id: f
    kind: finished
    bom:
      - {item: m, qty: 2, scrap_pct: -5} #<
`},
	{name: "negative event quantity", kind: bf.KindInvalid, field: "qty", event: "p1", reason: "must be positive", src: `
items:
  - {id: m, kind: material, standard_cost: 1}
events:
  - {id: p0, date: 2026-01-01, type: purchase, item: m, qty: 5, unit_cost: 1}
  - {id: p1, date: 2026-01-01, type: purchase, item: m, qty: -5, unit_cost: 1} #<
`},
	{name: "bad date", kind: bf.KindInvalid, field: "date", event: "p1", reason: "is not a date of the form YYYY-MM-DD", src: `
items:
  - {id: m, kind: material, standard_cost: 1}
events:
  - id: p1
    date: 2026-13-01 #<
    type: purchase
`},
	{name: "exponent in a number", kind: bf.KindInvalid, field: "qty", event: "p1", reason: "is not a decimal number", src: `
items:
  - {id: m, kind: material, standard_cost: 1}
events:
  - id: p1
    date: 2026-01-02
    type: purchase
    item: m
    qty: 1e5 #<
`},
	{name: "too many decimals in a cost", kind: bf.KindInvalid, field: "standard_cost", item: "m", reason: "has more than 9 decimal places", src: `
items:
  - id: m
    kind: material
    standard_cost: 1.0000000001 #<
`},
	{name: "too many decimals in an amount (JPY)", kind: bf.KindInvalid, field: "amount", event: "c1", reason: "has more than 0 decimal places", src: `
currency: JPY
items:
  - {id: m, kind: material, standard_cost: 1}
events:
  - {id: c1, date: 2026-01-02, type: conversion_cost, amount: 12.5} #<
`},
	{name: "unknown event type", kind: bf.KindInvalid, field: "type", event: "x1", reason: "must be purchase, start, conversion_cost, complete, sale, count, close, expense, wip_count, reverse or reprocess", src: `
items:
  - {id: m, kind: material, standard_cost: 1}
events:
  - id: x1
    date: 2026-01-02
    type: ship #<
`},
	{name: "unknown trigger", kind: bf.KindInvalid, field: "triggers", reason: "must be purchase, completion or sale", src: `
items:
  - {id: m, kind: material, standard_cost: 1}
books:
  - name: bf
    method: backflush
    triggers:
      - purchase
      - delivery #<
`},
	{name: "sequential book with triggers", kind: bf.KindInvalid, field: "triggers", reason: "a sequential book records every stage and takes no triggers", src: `
items:
  - {id: m, kind: material, standard_cost: 1}
books:
  - name: seq
    method: sequential
    triggers: [purchase] #<
`},
	{name: "duplicate event id with other content", kind: bf.KindConflict, field: "id", event: "p1", reason: "repeats the id of the event at line 4 with other content", src: `
items:
  - {id: m, kind: material, standard_cost: 1}
events:
  - {id: p1, date: 2026-01-01, type: purchase, item: m, qty: 5, unit_cost: 1}
  - {id: p1, date: 2026-01-01, type: purchase, item: m, qty: 6, unit_cost: 1} #<
`},
	{name: "unknown currency", kind: bf.KindInvalid, field: "currency", reason: "must be a three-letter ISO 4217 code", src: `
name: t
currency: dollars #<
items:
  - {id: m, kind: material, standard_cost: 1}
`},
	{name: "field given twice", kind: bf.KindInvalid, field: "kind", reason: "is given twice", src: `
items:
  - id: m
    kind: material
    standard_cost: 1
    kind: assembly #<
`},
	{name: "event of an unknown item", build: true, kind: bf.KindNotFound, field: "item", event: "s1", reason: "unknown item ghost", src: `
items:
  - {id: m, kind: material, standard_cost: 1}
  - {id: f, kind: finished, bom: [{item: m, qty: 1}]}
events:
  - {id: p1, date: 2026-01-01, type: purchase, item: m, qty: 5, unit_cost: 1}
  - {id: s1, date: 2026-01-02, type: start, item: ghost, qty: 1} #<
`},
	{name: "purchase of a finished item", build: true, kind: bf.KindInvalid, field: "item", event: "p2", reason: "only materials are purchased", src: `
items:
  - {id: m, kind: material, standard_cost: 1}
  - {id: f, kind: finished, bom: [{item: m, qty: 1}]}
events:
  - {id: p1, date: 2026-01-01, type: purchase, item: m, qty: 5, unit_cost: 1}
  - {id: p2, date: 2026-01-02, type: purchase, item: f, qty: 1, unit_cost: 1} #<
`},
	{name: "event in a closed period", build: true, kind: bf.KindClosedPeriod, field: "date", event: "p2", reason: "the period is closed through 2026-01-31", src: `
items:
  - {id: m, kind: material, standard_cost: 1}
events:
  - {id: p1, date: 2026-01-01, type: purchase, item: m, qty: 5, unit_cost: 1}
  - {id: z1, date: 2026-01-31, type: close}
  - {id: p2, date: 2026-01-31, type: purchase, item: m, qty: 1, unit_cost: 1} #<
`},
	{name: "not valid YAML", kind: bf.KindInvalid, reason: "not valid YAML", src: `
items:
  - {id: m, kind: material, standard_cost: 1}
events: [ #<
`},
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range decodeErrCases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.TrimPrefix(c.src, "\n")
			line := decodeErrLine(t, src)
			sc, err := scenario.Decode(fuzzFile, []byte(src))
			if c.build {
				if err != nil {
					t.Fatalf("Decode: %v (the error belongs to Build)", err)
				}
				_, err = costing.Build(sc, fuzzFile)
			}
			if err == nil {
				t.Fatalf("accepted:\n%s", src)
			}
			var e *bf.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not a *bf.Error: %v", err, err)
			}
			msg := err.Error()
			if e.Kind != c.kind {
				t.Errorf("kind %s, want %s: %s", e.Kind, c.kind, msg)
			}
			if e.File != fuzzFile || e.Line != line {
				t.Errorf("at %s:%d, want %s:%d: %s", e.File, e.Line, fuzzFile, line, msg)
			}
			if e.Field != c.field {
				t.Errorf("field %q, want %q: %s", e.Field, c.field, msg)
			}
			if e.Item != c.item {
				t.Errorf("item %q, want %q: %s", e.Item, c.item, msg)
			}
			if e.Event != c.event {
				t.Errorf("event %q, want %q: %s", e.Event, c.event, msg)
			}
			if !strings.Contains(e.Reason, c.reason) {
				t.Errorf("reason %q, want it to say %q", e.Reason, c.reason)
			}
			// The message a user reads carries all of it.
			wantPrefix := fuzzFile + ":" + strconv.Itoa(line) + ": "
			if !strings.HasPrefix(msg, wantPrefix) {
				t.Errorf("message %q does not start with %q", msg, wantPrefix)
			}
			for _, part := range []string{c.reason, fieldPart(c.field), quotedPart("item", c.item), quotedPart("event", c.event)} {
				if !strings.Contains(msg, part) {
					t.Errorf("message %q does not contain %q", msg, part)
				}
			}
		})
	}
}

func fieldPart(f string) string {
	if f == "" {
		return ""
	}
	return "field " + f + ": "
}

func quotedPart(what, id string) string {
	if id == "" {
		return ""
	}
	return what + " " + strconv.Quote(id) + ": "
}

// TestBuildHugeAmounts posts amounts that each fit the fixed-point range but
// whose running totals do not. Build must refuse the event that would
// overflow (or keep exact balances); it must neither panic nor wrap around.
func TestBuildHugeAmounts(t *testing.T) {
	cases := []struct{ name, src string }{
		{"prorated close over balances summing past int64", `
items:
  - {id: m, kind: material, standard_cost: 10000}
  - {id: f, kind: finished, bom: [{item: m, qty: 1}]}
books:
  - {name: sequential, method: sequential}
close: {conversion_variance: prorate}
events:
  - {id: p1, date: 2026-01-01, type: purchase, item: m, qty: 5000000000000, unit_cost: 10000}
  - {id: c1, date: 2026-01-01, type: complete, item: f, qty: 5000000000000}
  - {id: s1, date: 2026-01-01, type: sale, item: f, qty: 5000000000000, unit_price: 1}
  - {id: p2, date: 2026-01-01, type: purchase, item: m, qty: 5000000000000, unit_cost: 10000}
  - {id: c2, date: 2026-01-01, type: complete, item: f, qty: 5000000000000}
  - {id: cc, date: 2026-01-01, type: conversion_cost, amount: 1}
  - {id: z, date: 2026-01-01, type: close}
`},
		{"two purchases whose total passes int64", `
items:
  - {id: m, kind: material, standard_cost: 10000}
books:
  - {name: sequential, method: sequential}
events:
  - {id: p1, date: 2026-01-01, type: purchase, item: m, qty: 5000000000000, unit_cost: 10000}
  - {id: p2, date: 2026-01-01, type: purchase, item: m, qty: 5000000000000, unit_cost: 10000}
`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc, err := scenario.Decode(fuzzFile, []byte(strings.TrimPrefix(c.src, "\n")))
			if err != nil {
				t.Fatal(err)
			}
			l, err := fuzzBuild(t, sc)
			if err != nil {
				fuzzCheckErr(t, "Build", err)
				if k := bf.ErrorKind(err); k != bf.KindInvalid {
					t.Errorf("kind %s, want invalid: %v", k, err)
				}
				return
			}
			fuzzCheckBooks(t, l)
			// Accepted: then every balance must be the true sum, and stock
			// must not have wrapped either.
			for _, b := range l.Books {
				for a := bf.Account(0); a < bf.NumAccounts; a++ {
					if a.Class() == bf.ClassInventory && b.Balance(a) < 0 {
						t.Errorf("book %s: %s = %s after buying and making only", b.Config.Name, a, b.Balance(a).Format(2))
					}
				}
			}
			for i := 0; i < l.Std.NumItems(); i++ {
				if q := l.OnHand(int32(i)); q < 0 {
					t.Errorf("on hand of %s = %s after buying and making only", l.Std.Item(int32(i)).ID, q)
				}
			}
		})
	}
}

// TestDecodeTrailingDocument: a scenario is one YAML document. A second one
// is refused whether or not it parses; a broken one must not slip through
// because the decoder stopped reading at the first.
func TestDecodeTrailingDocument(t *testing.T) {
	for _, tail := range []string{"---\nname: again\n", "---\n", "---\n[unclosed\n", "---\n{a: 1\n"} {
		src := "items: [{id: m, kind: material, standard_cost: 1}]\n" + tail
		_, err := scenario.Decode(fuzzFile, []byte(src))
		if err == nil {
			t.Errorf("Decode accepted a second document:\n%s", src)
			continue
		}
		fuzzCheckErr(t, "Decode", err)
		var e *bf.Error
		if errors.As(err, &e) && e.Line < 2 {
			t.Errorf("error %q names line %d, want the second document's (2 or later)", err, e.Line)
		}
	}
}
