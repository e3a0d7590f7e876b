package eventio_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/eventio"
	"github.com/backflush/backflush/scenario"
)

func TestRoundTrip(t *testing.T) {
	for _, c := range []string{"acton", "bike", "svc"} {
		sc, err := scenario.Load("../testdata/" + c + "/scenario.yaml")
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := eventio.WriteJSONL(&buf, sc.Events, 2); err != nil {
			t.Fatal(err)
		}
		got, err := eventio.ReadJSONL("x.jsonl", &buf, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(sc.Events) {
			t.Fatalf("%s: %d events back, want %d", c, len(got), len(sc.Events))
		}
		for i := range got {
			if !got[i].SameContent(&sc.Events[i]) {
				t.Errorf("%s: event %d: got %+v, want %+v", c, i, got[i], sc.Events[i])
			}
			if got[i].Line != i+1 {
				t.Errorf("line %d, want %d", got[i].Line, i+1)
			}
		}
	}
}

func TestJSONNumbersStayExact(t *testing.T) {
	in := `{"id":"p1","date":"2026-08-01","type":"purchase","item":"dm","qty":0.1,"unit_cost":123456789.123456789}` + "\n"
	ev, err := eventio.ReadJSONL("x.jsonl", strings.NewReader(in), 2)
	if err != nil {
		t.Fatal(err)
	}
	if ev[0].Qty != 100_000 || ev[0].UnitCost != 123456789_123456789 {
		t.Errorf("qty %d, unit_cost %d", ev[0].Qty, ev[0].UnitCost)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{`{"id":"p1","date":"2026-08-01","type":"purchase","item":"dm","qty":1,"unit_cost":1}` + "\n\n" + `{"id":"p2","date":"2026-08-01","type":"purchase","item":"dm","qty":-1,"unit_cost":1}`,
			[]string{"ev.jsonl:3", `event "p2"`, "field qty", "must be positive"}},
		{`{"id":"p1","date":"2026-13-01","type":"purchase"}`, []string{"ev.jsonl:1", "field date", "YYYY-MM-DD"}},
		{`{"id":"p1","date":"2026-08-01","type":"purchase","colour":"red"}`, []string{"field colour", "not an event field"}},
		{`{"id":"p1","date":"2026-08-01","type":"sale","qty":1e3}`, []string{"field qty", "not a decimal number"}},
		{`{"id":"p1","date":"2026-08-01","type":"sale","qty":true}`, []string{"field qty", "string or a number"}},
		{`{"id":"p1","id":"p2"}`, []string{"field id", "given twice"}},
		{`[1,2]`, []string{"ev.jsonl:1", "JSON object"}},
		{`{"id":"p1"} {"id":"p2"}`, []string{"data after"}},
		{`{"id":"p1","date":"2026-08-01"}`, []string{"field type", "missing"}},
		{`{"id":"c1","date":"2026-08-01","type":"conversion_cost","amount":"10.001"}`, []string{"field amount", "more than 2 decimal places"}},
	}
	for _, tt := range tests {
		_, err := eventio.ReadJSONL("ev.jsonl", strings.NewReader(tt.in), 2)
		if err == nil {
			t.Errorf("%s: no error", tt.in)
			continue
		}
		var be *bf.Error
		if !errors.As(err, &be) || be.Kind != bf.KindInvalid {
			t.Errorf("%s: error %v is not an invalid *bf.Error", tt.in, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", tt.in, err, w)
			}
		}
	}
}

func FuzzReadJSONL(f *testing.F) {
	f.Add(`{"id":"p1","date":"2026-08-01","type":"purchase","item":"dm","qty":550000,"unit_cost":"1.00"}`)
	f.Add(`{"id":"f1","date":"2026-08-31","type":"complete","item":"cable","qty":"21000","scrap":"3"}`)
	f.Add(`{"id":"c1","date":"2026-08-31","type":"conversion_cost","amount":"440000.00","memo":"x"}`)
	f.Add(`{"id":"z1","date":"2026-08-31","type":"close"}` + "\n" + `{"id":"k","date":"2026-08-31","type":"count","item":"dm","qty":0}`)
	f.Fuzz(func(t *testing.T, in string) {
		evs, err := eventio.ReadJSONL("f.jsonl", strings.NewReader(in), 2)
		if err != nil {
			var be *bf.Error
			if !errors.As(err, &be) || be.File != "f.jsonl" || be.Line < 1 || be.Reason == "" {
				t.Fatalf("error without file, line or reason: %#v", err)
			}
			return
		}
		// What was accepted must survive a write and a read unchanged.
		var buf bytes.Buffer
		if err := eventio.WriteJSONL(&buf, evs, 2); err != nil {
			t.Fatal(err)
		}
		back, err := eventio.ReadJSONL("g.jsonl", &buf, 2)
		if err != nil {
			t.Fatalf("re-reading %q: %v", buf.String(), err)
		}
		if len(back) != len(evs) {
			t.Fatalf("%d events back, want %d", len(back), len(evs))
		}
		for i := range back {
			if !back[i].SameContent(&evs[i]) {
				t.Fatalf("event %d changed: %+v -> %+v", i, evs[i], back[i])
			}
		}
	})
}

func TestReadCSV(t *testing.T) {
	in := "id,date,type,item,qty,unit_cost,amount,memo\n" +
		"p1,2026-08-01,purchase,dm,550000,1.00,,\"first, with a comma\"\n" +
		"c1,2026-08-31,conversion_cost,,,,440000.00,\n"
	evs, err := eventio.ReadCSV("e.csv", strings.NewReader(in), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Qty != bf.Units(550000) || evs[0].Memo != "first, with a comma" || evs[1].Amount != 44000000 || evs[1].Line != 3 {
		t.Errorf("events %+v", evs)
	}
	for _, c := range []struct{ in, want string }{
		{"id,date,colour\n", "e.csv:1: field colour: is not an event field"},
		{"id,date\n", "field type: the header lacks this column"},
		{"id,date,type,item,qty\np1,2026-08-01,sale,x,-1\n", `e.csv:2: event "p1": field qty`},
		{"id,date,type\np1,2026-08-01\n", "e.csv:2: has 2 cells"},
		{"id,date,type\np1,2026-08-01,\"unclosed\n", "not valid CSV"},
	} {
		_, err := eventio.ReadCSV("e.csv", strings.NewReader(c.in), 2)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.in, err, c.want)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add("id,date,type,item,qty,unit_cost\np1,2026-08-01,purchase,dm,5,1.00\n")
	f.Add("id,date,type,amount,behavior\nc1,2026-08-31,conversion_cost,10.00,fixed\n")
	f.Fuzz(func(t *testing.T, in string) {
		evs, err := eventio.ReadCSV("f.csv", strings.NewReader(in), 2)
		if err != nil {
			var be *bf.Error
			if !errors.As(err, &be) || be.File != "f.csv" || be.Reason == "" {
				t.Fatalf("error without file or reason: %#v", err)
			}
			return
		}
		for _, e := range evs {
			if err := e.Validate(); err != nil {
				t.Fatalf("accepted an invalid event: %v", err)
			}
		}
	})
}

// TestControlCharacters: text with control characters, DEL and characters
// beyond U+FFFF survives a write and a read as valid JSON.
func TestControlCharacters(t *testing.T) {
	e := bf.Event{ID: "a\x01b", Date: 20000, Type: bf.Close, Memo: "tab\tnl\nnul\x00del\x7f emoji 😀 quote\" back\\"}
	var buf bytes.Buffer
	if err := eventio.WriteJSONL(&buf, []bf.Event{e}, 2); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(bytes.TrimSpace(buf.Bytes())) {
		t.Fatalf("invalid JSON: %s", buf.String())
	}
	back, err := eventio.ReadJSONL("x", &buf, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !back[0].SameContent(&e) {
		t.Errorf("round trip: %+v, want %+v", back[0], e)
	}
	bad := `{"id":"a","date":"2026-01-01","type":"close","memo":"` + "\xff" + `"}`
	if _, err := eventio.ReadJSONL("x", strings.NewReader(bad), 2); err == nil {
		t.Error("invalid UTF-8 accepted")
	}
}
