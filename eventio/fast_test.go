package eventio

import (
	"testing"
	"unicode/utf8"

	bf "github.com/backflush/backflush"
)

// agree checks that whatever the fast decoder accepts, the general one
// decodes to the same event without error.
func agree(t *testing.T, in string) bool {
	t.Helper()
	if !utf8.ValidString(in) {
		return false
	}
	fast, ok := DecodeFast([]byte(in), 2)
	if !ok {
		return false
	}
	slow, err := decodeJSON([]byte(in), 2)
	if err != nil {
		t.Fatalf("%q: the fast decoder accepted it, the general one says %v", in, err)
	}
	if fast != slow {
		t.Fatalf("%q: fast %+v, general %+v", in, fast, slow)
	}
	return true
}

// TestFastAgrees: the shapes the fast decoder takes, and some it must
// leave to the general one.
func TestFastAgrees(t *testing.T) {
	for _, c := range []struct {
		in   string
		fast bool
	}{
		{`{"id":"p1","date":"2026-08-01","type":"purchase","item":"dm","qty":550000,"unit_cost":"1.00"}`, true},
		{` { "id" : "p1" ,	"date":"2026-08-01","type":"purchase","item":"dm","qty":"5","unit_cost":0.5 } `, true},
		{`{"id":"c1","date":"2026-08-31","type":"conversion_cost","amount":"440000.00","memo":"a \"quoted\" \\ memo\nline\/two\t\b\f\r"}`, true},
		{`{"id":"c1","date":"2026-08-31","type":"conversion_cost","amount":"1.00","memo":"caf\u00e9 \ud83d\ude00 \u0001"}`, true},
		{`{"id":"c1","date":"2026-08-31","type":"conversion_cost","amount":"1.00","memo":"\ud83d alone"}`, false},
		{`{"id":"c1","date":"2026-08-31","type":"conversion_cost","amount":"1.00","memo":"\ude00 alone"}`, false},
		{`{"id":"c1","date":"2026-08-31","type":"conversion_cost","amount":"1.00","memo":"bad \u00g9"}`, false},
		{`{"id":"p1","date":"2026-08-01","type":"purchase","item":"dm","qty":1e3,"unit_cost":"1"}`, false},
		{`{"id":"p1","date":"2026-08-01","type":"purchase","item":"dm","qty":01,"unit_cost":"1"}`, false},
		{`{"id":"p1","id":"p2","date":"2026-08-01","type":"close"}`, false},
		{`{"id":"p1","date":"2026-08-01","type":"close"} x`, false},
		{`{"id":"p1","date":"2026-08-01","type":"close",}`, false},
		{`{"id":"p1","date":"2026-08-01","type":"close","memo":true}`, false},
		{`{"id":"p1","date":"2026-08-01","type":"purchase"}`, false},
		{`{}`, false},
		{"\ufeff{\"id\":\"z\",\"date\":\"2026-08-01\",\"type\":\"close\"}", false},
	} {
		if got := agree(t, c.in); got != c.fast {
			t.Errorf("%q: fast decoder took it: %v, want %v", c.in, got, c.fast)
		}
	}
}

// FuzzDecodeFast: the fast decoder never accepts what the general one
// refuses, nor decodes anything differently.
func FuzzDecodeFast(f *testing.F) {
	f.Add(`{"id":"p1","date":"2026-08-01","type":"purchase","item":"dm","qty":550000,"unit_cost":"1.00"}`)
	f.Add(`{"id":"f1","date":"2026-08-31","type":"complete","item":"cable","qty":"21000","scrap":"3"}`)
	f.Add(`{"id":"c1","date":"2026-08-31","type":"conversion_cost","amount":-0.5,"memo":"x\"\\\/y"}`)
	f.Add(`{"id":"w","date":"2026-08-31","type":"wip_count","item":"a","qty":0,"materials_pct":100,"conversion_pct":"40.5"}`)
	f.Fuzz(func(t *testing.T, in string) { agree(t, in) })
}

// TestMaxFields keeps maxFields in step with the event's fields.
func TestMaxFields(t *testing.T) {
	if maxFields != len(bf.EventFields) {
		t.Fatalf("maxFields is %d, bf.EventFields has %d", maxFields, len(bf.EventFields))
	}
}

// BenchmarkDecode compares the fast decoder (DecodeJSON's common path)
// with the general one on a typical purchase.
func BenchmarkDecode(b *testing.B) {
	in := []byte(`{"id":"e123456","date":"2026-03-04","type":"purchase","item":"m1234","qty":"500","unit_cost":"12.3456"}`)
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := DecodeJSON(in, 2); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("general", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeJSON(in, 2); err != nil {
				b.Fatal(err)
			}
		}
	})
}
