package httpapi

import (
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/report"
)

// TestNiceRange: the inventory charts' scale runs between multiples of a
// round step (1, 2 or 5 times a power of ten) that hold every value, in
// about four steps.
func TestNiceRange(t *testing.T) {
	cases := []struct {
		lo, hi          int64
		wlo, whi, wstep int64
	}{
		{0, 44766240, 0, 60000000, 20000000},                 // 447,662.40 → 0 to 600,000 by 200,000
		{-23300000, 50000000, -40000000, 60000000, 20000000}, // WIP −233,000 → −400,000 to 600,000 by 200,000
		{0, 100, 0, 100, 50},                                 // 1.00 → 0 to 1.00 by 0.50
		{0, 0, 0, 1, 1},                                      // every balance zero: one cent above
		{0, 7, 0, 8, 2},
		{-5, 0, -6, 0, 2},
		{0, 1_000_000_000_000, 0, 1_000_000_000_000, 500_000_000_000},
	}
	for _, c := range cases {
		lo, hi, step := niceRange(c.lo, c.hi, 4)
		if lo != c.wlo || hi != c.whi || step != c.wstep {
			t.Errorf("niceRange(%d, %d) = %d, %d by %d; want %d, %d by %d", c.lo, c.hi, lo, hi, step, c.wlo, c.whi, c.wstep)
		}
		if lo > c.lo || hi < c.hi || lo%step != 0 || hi%step != 0 || (hi-lo)/step > 6 {
			t.Errorf("niceRange(%d, %d) = %d, %d by %d: not a round range holding the values in at most 6 steps", c.lo, c.hi, lo, hi, step)
		}
		m := step
		for m%10 == 0 {
			m /= 10
		}
		if m != 1 && m != 2 && m != 5 {
			t.Errorf("niceRange(%d, %d): step %d is not 1, 2 or 5 times a power of ten", c.lo, c.hi, step)
		}
	}
}

// TestSharedScale: the charts of several books share one scale, which
// holds every book's values, and its tick labels drop the cents when the
// step is in whole units.
func TestSharedScale(t *testing.T) {
	series := []report.InventorySeries{
		{Book: "a", Accounts: []bf.Account{bf.WIP}, Dates: []bf.Date{10, 20}, Values: [][]bf.Money{{-23300000, -23300000}, {100, 100}}},
		{Book: "b", Accounts: []bf.Account{bf.FinishedGoods}, Dates: []bf.Date{15, 30}, Values: [][]bf.Money{{44766240, 44766240}, {0, 0}}},
		{Book: "c"},
	}
	sc, ok := sharedScale(series)
	if !ok || sc.d0 != 10 || sc.d1 != 30 || sc.lo != -40000000 || sc.hi != 60000000 || sc.step != 20000000 {
		t.Fatalf("shared scale %+v", sc)
	}
	if got := tickLabel(-20000000, sc.step, 2); got != "-200,000" {
		t.Errorf("tick label %q", got)
	}
	if got := tickLabel(50, 50, 2); got != "0.50" {
		t.Errorf("tick label of half a unit %q", got)
	}
	if _, ok := sharedScale([]report.InventorySeries{{Book: "empty"}}); ok {
		t.Error("a scale for books without a day")
	}
}

// TestHumanize: JSON names in words, both spellings alike.
func TestHumanize(t *testing.T) {
	for in, want := range map[string]string{
		"inventory_ratio": "Inventory ratio", "InventoryRatio": "Inventory ratio", "GAAPIncome": "GAAP income",
		"BookInventory": "Book inventory", "nrv": "NRV", "allowance_held": "Allowance held", "cost_per_eu": "Cost per EU",
		"lcnrv": "LCNRV", "ytd": "YTD", "boms": "BOMs", "fiscal_year_start": "Fiscal year start",
	} {
		if got := humanize(in); got != want {
			t.Errorf("humanize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestInert: a CSV cell that a spreadsheet would read as a formula is
// made text; other cells are left alone.
func TestInert(t *testing.T) {
	for in, want := range map[string]string{"=HYPERLINK(1)": "'=HYPERLINK(1)", "+1": "'+1", "@x": "'@x", "-x": "'-x", "p1": "p1", "": "", "cable>board": "cable>board"} {
		if got := inert(in); got != want {
			t.Errorf("inert(%q) = %q, want %q", in, got, want)
		}
	}
}
