package backflush_test

import (
	"bytes"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/report"
)

// The controller's reports (issue 13, 6a and 6e) on testdata/controller,
// worked by hand in docs/cases.md ("The cart, worked by hand"). Goldens
// refresh with go test -run TestController -update.

// TestControllerVariances checks every variance line of the cart plant's
// two books against the hand-worked figures, then pins the text and JSON.
func TestControllerVariances(t *testing.T) {
	sc, l := load(t, "controller")
	// period, item, cause → amount (positive unfavourable) and events.
	want := []string{
		"1 steel material_price 40.00 p1",      // 400 kg × (2.10 − 2.00)
		"1 bolt material_price -5.00 p2",       // 500 × (0.09 − 0.10)
		"1 bolt material_usage 0.50 k1",        // (500 − 400) − 95 = 5 short × 0.10
		"1 cart scrap 25.60 c1",                // 4 × (21.40 − 15.00 own conversion)
		"1  conversion 40.00 v1,c1",            // 520 − 96 × 5.00
		"1  fixed_overhead_spending 100.00 x1", // 1,100 − 1,000 budget
		"1  production_volume 40.00 c1",        // 1,000 − 96 × 10.00
		"2 steel material_price -15.00 p3",     // 300 × (1.95 − 2.00); p4 at standard: no line
		"2 steel material_usage -4.00 k2",      // 72 counted − (100 + 300 − 330) = 2 over × 2.00
		"2  conversion -60.00 v2,c2",           // 490 − 110 × 5.00
		"2  fixed_overhead_spending 0.00 x2",   // 1,000 − 1,000
		"2  production_volume -100.00 c2",      // 1,000 − 110 × 10.00
		"3 bolt material_price 4.00 p5,p6,r1",  // 200 × 0.02; p6's 5.00 reversed by r1
		"3  conversion 300.00 v3",              // open: nothing allocated yet
		"3  fixed_overhead_spending -1000.00 ", // open, no fixed overhead yet: 0 − 1,000
		"3  production_volume 1000.00 ",        // 1,000 − 0 allocated
	}
	for _, name := range []string{"sequential", "backflush"} {
		v := checkVarianceLines(t, l, name, want)
		// The accounts: price 24.00, usage −3.50, scrap 25.60; variable
		// conversion 40 − 60 closed, 300 open; fixed 140 − 100 closed.
		for k, w := range []string{"24.00", "-3.50", "25.60", "280.00", "40.00"} {
			if a := v.Accounts[k]; a.Book.Format(2) != w || a.Lines != a.Book {
				t.Errorf("book %s: %v: lines %s, book %s, want %s", name, a.Accounts, a.Lines.Format(2), a.Book.Format(2), w)
			}
		}
	}
	pinVariances(t, sc, l, "controller")
}

// TestControllerIncomeColumns checks the columns layout of the cart plant
// (a year end between the periods) and of Bhimani's published quarter,
// whose year to date is the sum of the published months.
func TestControllerIncomeColumns(t *testing.T) {
	for _, c := range []struct {
		name, book string
		columns    []string
		income     []string // operating income per column
		inventory  []string
	}{
		{"controller", "sequential", []string{"P1", "YTD 2025", "P2", "P3 open", "YTD 2026"},
			[]string{"3232.90", "3232.90", "4039.00", "82.00", "4121.00"},
			[]string{"337.90", "337.90", "491.90", "297.90", "297.90"}},
		// Bhimani et al.: 280,000 + 290,000 + 826,000; 160,000 + 260,000 + 960,000.
		{"bhimani", "absorption", []string{"P1", "P2", "P3", "YTD 2026"},
			[]string{"280000.00", "290000.00", "826000.00", "1396000.00"},
			[]string{"390000.00", "420000.00", "61000.00", "61000.00"}},
		{"bhimani", "variable", []string{"P1", "P2", "P3", "YTD 2026"},
			[]string{"160000.00", "260000.00", "960000.00", "1380000.00"},
			[]string{"270000.00", "270000.00", "45000.00", "45000.00"}},
	} {
		_, l := load(t, c.name)
		ic, err := report.IncomeByColumns(l, l.Book(c.book), report.YearStart{Month: 1, Day: 1})
		if err != nil {
			t.Fatal(err)
		}
		var labels, inc, inv []string
		for _, col := range ic.Columns {
			labels = append(labels, col.Label)
		}
		last := ic.Rows[len(ic.Rows)-1]
		for k := range ic.Columns {
			inc = append(inc, last.Amounts[k].Format(2))
			inv = append(inv, ic.Inventory[k].Format(2))
		}
		if !slices.Equal(labels, c.columns) || !slices.Equal(inc, c.income) || !slices.Equal(inv, c.inventory) {
			t.Errorf("%s %s: columns %v, operating income %v, inventory %v; want %v, %v, %v", c.name, c.book, labels, inc, inv, c.columns, c.income, c.inventory)
		}
	}
	for _, g := range []struct {
		name, file, yearStart string
		json                  bool
	}{
		{"controller", "expected-income-columns.txt", "", false},
		{"controller", "expected-income-columns.json", "", true},
		{"controller", "expected-income-columns-0201.txt", "02-01", false},
		{"bhimani", "expected-income-columns.txt", "", false},
	} {
		sc, l := load(t, g.name)
		var out bytes.Buffer
		req := report.Request{Kind: report.KindIncome, JSON: g.json, Columns: true, YearStart: g.yearStart, Options: report.Options{Title: sc.Name, Chart: &sc.Chart}}
		if err := report.Write(&out, l, req); err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("testdata", g.name, g.file), out.Bytes())
	}
}

// TestConversionRateEfficiency checks the split of the conversion variance
// by the hours worked on Webb's direct manufacturing labour (Horngren ch. 7:
// $18,000 U rate, $20,000 U efficiency) and the two hand-worked months after
// it (docs/cases.md), in both books, then pins the text and JSON. Goldens
// refresh with go test -run TestConversionRateEfficiency -update.
func TestConversionRateEfficiency(t *testing.T) {
	sc, l := load(t, "webb-labour")
	want := []string{
		"1  conversion_rate 18000.00 c1",               // 198,000 − 9,000 h × 20
		"1  conversion_efficiency 20000.00 c1,f1",      // (9,000 − 10,000 × 0.80) × 20
		"2  conversion_rate -2000.00 c2,c3,r1",         // 50,000 − 2,600 h × 20 (c3 and its hours reversed)
		"2  conversion_efficiency 4000.00 c2,c3,r1,f2", // (2,600 − 3,000 × 0.80) × 20
		"3  conversion 1000.00 c4",                     // c4 records no hours: in total
	}
	for _, name := range []string{"sequential", "backflush"} {
		v := checkVarianceLines(t, l, name, want)
		var split []string
		for _, c := range v.Conversion {
			split = append(split, strings.Join([]string{strconv.Itoa(c.Period), c.ActualHours.String(), c.StandardHours.String(), c.Actual.Format(2), c.Applied.Format(2)}, " "))
		}
		if w := []string{"1 9000 8000 198000.00 160000.00", "2 2600 2400 50000.00 48000.00"}; !slices.Equal(split, w) {
			t.Errorf("book %s: hours %v, want %v", name, split, w)
		}
		if n := v.Notes; len(n) != 1 || !strings.Contains(n[0], "conversion cost c4 records no hours") {
			t.Errorf("book %s: notes %q, want one naming c4", name, n)
		}
	}
	pinVariances(t, sc, l, "webb-labour")
}

// checkVarianceLines checks the variance lines of book name, each as
// "period item cause amount events", and returns the report.
func checkVarianceLines(t *testing.T, l *costing.Ledger, name string, want []string) *costing.Variances {
	t.Helper()
	v, err := costing.BookVariances(l, l.Book(name))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ln := range v.Lines {
		got = append(got, strings.Join([]string{strconv.Itoa(ln.Period), ln.Item, ln.Cause.String(), ln.Amount.Format(2), strings.Join(ln.Events, ",")}, " "))
	}
	if !slices.Equal(got, want) {
		t.Errorf("book %s: variance lines\n  %s\nwant\n  %s", name, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	return v
}

// pinVariances pins the variance report of testdata/name in text and JSON.
func pinVariances(t *testing.T, sc *bf.Config, l *costing.Ledger, name string) {
	t.Helper()
	for _, f := range []struct {
		file string
		json bool
	}{{"expected-variances.txt", false}, {"expected-variances.json", true}} {
		var out bytes.Buffer
		req := report.Request{Kind: report.KindVariances, JSON: f.json, Options: report.Options{Title: sc.Name, Chart: &sc.Chart}}
		if err := report.Write(&out, l, req); err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("testdata", name, f.file), out.Bytes())
	}
}
