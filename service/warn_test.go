package service_test

import (
	"context"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/inmem"
)

// TestCloseWarnsExternalBook: a close that writes a material favourable
// variance off to COGS in a book kept for external reporting answers with
// a warning (the CLI prints it, the API returns it); the other book, not
// external, is not warned about.
func TestCloseWarnsExternalBook(t *testing.T) {
	ctx := context.Background()
	s := openWith(t, inmem.New(), strings.Replace(plant, "{name: seq, method: sequential}", "{name: seq, method: sequential, external: true}", 1))
	evs := []bf.Event{ev("p1", 1, bf.Purchase, "dm", 5000), ev("s1", 1, bf.Start, "cable", 200), ev("f1", 2, bf.Complete, "cable", 200),
		ev("x1", 3, bf.Sale, "cable", 100), {ID: "c1", Date: bf.Date(20669), Type: bf.ConversionCost, Amount: 300000}}
	if _, err := s.Ingest(ctx, evs); err != nil {
		t.Fatal(err)
	}
	// 4,000 allocated, 3,000 incurred: 1,000 favourable, half of it on the
	// 100 cables left.
	p, err := s.Close(ctx, bf.Date(20670), "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "book seq ") || !strings.Contains(p.Warnings[0], "1000.00") {
		t.Fatalf("warnings %q, want one for book seq's 1000.00", p.Warnings)
	}
}
