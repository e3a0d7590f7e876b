package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/sqlite"
)

// TestConflictInLargeStatement: Append inserts many rows per statement; an
// id already in the log inside one of those statements is still a conflict
// naming that event, and nothing of the batch is stored.
func TestConflictInLargeStatement(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "backflush.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	mk := func(prefix string, n int) []bf.Event {
		evs := make([]bf.Event, n)
		for i := range evs {
			evs[i] = bf.Event{ID: fmt.Sprintf("%s%d", prefix, i), Date: 20600, Type: bf.Purchase, Item: "m", Qty: bf.Units(1), UnitCost: bf.Dollars(2)}
		}
		return evs
	}
	first := mk("a", 300)
	if err := st.Append(ctx, first); err != nil {
		t.Fatal(err)
	}
	second := mk("b", 600)
	second[100] = first[7] // inside the first 256-row statement
	err = st.Append(ctx, second)
	var be *bf.Error
	if bf.ErrorKind(err) != bf.KindConflict || !errors.As(err, &be) || be.Event != first[7].ID {
		t.Fatalf("Append with %s already in the log: %v, want a conflict naming it", first[7].ID, err)
	}
	if n, err := st.Len(ctx); err != nil || n != 300 {
		t.Fatalf("the log holds %d events after a refused batch (%v), want 300", n, err)
	}
	second[100].ID = "b100"
	if err := st.Append(ctx, second); err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := st.Replay(ctx, func(e *bf.Event) error { got = append(got, e.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 900 || got[299] != "a299" || got[300] != "b0" || got[899] != "b599" {
		t.Fatalf("replayed %d events in the wrong order", len(got))
	}
}
