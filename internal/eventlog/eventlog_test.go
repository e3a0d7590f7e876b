package eventlog

import (
	"testing"
	"unicode/utf8"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/eventio"
)

func seeds() []bf.Event {
	return []bf.Event{
		{ID: "p1", Date: 19000, Type: bf.Purchase, Item: "steel", Qty: 21_000_000_000, UnitCost: 1_125_000_000, Memo: "Ünïcödé 日本語 🚲 \"q\" \\ \n\t"},
		{ID: "cc", Date: 19001, Type: bf.ConversionCost, Amount: 4_500_000, Behavior: bf.Fixed},
		{ID: "x", Date: 19002, Type: bf.Expense, Amount: 1, Behavior: bf.Variable},
		{ID: "w", Date: 19003, Type: bf.WIPCount, Item: "bike", Qty: 4_000_000, MaterialsPct: 100_000_000, ConversionPct: 12_345_678},
		{ID: "c", Date: 19004, Type: bf.Complete, Item: "bike", ScrapQty: 1},
		{ID: "close", Date: 19005, Type: bf.Close, Memo: "\u2028\u00ad"},
	}
}

// TestDecodeStored: the fast decoder takes every payload Encode writes, so
// a replay never needs the general one.
func TestDecodeStored(t *testing.T) {
	events := seeds()
	b, err := Encode("test", events)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range b.Payloads {
		got, ok := eventio.DecodeFast([]byte(p), MoneyScale)
		if !ok || !got.SameContent(&events[i]) {
			t.Errorf("DecodeFast(%s) = %+v, %v; want %+v", p, got, ok, events[i])
		}
	}
}

// FuzzDecode: whatever the bytes (a payload changed in the database
// included), Decode reads what eventio.DecodeJSON reads, or refuses it as
// an internal error as DecodeJSON does.
func FuzzDecode(f *testing.F) {
	events := seeds()
	for i := range events {
		f.Add(eventio.AppendJSON(nil, &events[i], MoneyScale))
	}
	f.Add([]byte(`{"id":"a\/b","date":"2024-01-01","type":"close"}`))
	f.Add([]byte(`{"id":"a\x41","date":"2024-01-01","type":"close"}`))
	f.Add([]byte(`{"id":"\ud83d\ude00","date":"2024-01-01","type":"close"}`))
	f.Fuzz(func(t *testing.T, p []byte) {
		got, err := Decode("replay", 1, p)
		want, werr := eventio.DecodeJSON(p, MoneyScale)
		if (err != nil) != (werr != nil) || (err == nil && got != want) {
			t.Fatalf("Decode(%q) = %+v, %v; DecodeJSON = %+v, %v", p, got, err, want, werr)
		}
		if err != nil && bf.ErrorKind(err) != bf.KindInternal {
			t.Fatalf("Decode(%q): %v is not internal", p, err)
		}
	})
}

// FuzzEncode: an event Encode accepts replays exactly; one it refuses is
// refused as invalid, naming a field.
func FuzzEncode(f *testing.F) {
	f.Add("p1", "steel", "memo", int32(19000))
	f.Add("a\x01", "x", "", int32(19000))
	f.Add("a", "\xff", "\a", int32(-800000))
	f.Add("é", "🚲", "\U000E0001", int32(3000000))
	f.Fuzz(func(t *testing.T, id, item, memo string, date int32) {
		e := bf.Event{ID: id, Date: bf.Date(date), Type: bf.Start, Item: item, Qty: 1, Memo: memo}
		if e.Validate() != nil {
			return
		}
		b, err := Encode("test", []bf.Event{e})
		if err != nil {
			if be, ok := bf.AsError(err); !ok || be.Kind != bf.KindInvalid || be.Field == "" {
				t.Fatalf("Encode(%+v): %v, want KindInvalid naming a field", e, err)
			}
			if utf8.ValidString(id+item+memo) && printable(id+item+memo) && plain(&e) {
				t.Fatalf("Encode refused a plain event %+v: %v", e, err)
			}
			return
		}
		got, err := Decode("test", 1, []byte(b.Payloads[0]))
		if err != nil || !got.SameContent(&e) {
			t.Fatalf("Encode/Decode(%+v) = %+v, %v", e, got, err)
		}
	})
}
