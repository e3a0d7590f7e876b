package backflush_test

import (
	"errors"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/scenario"
)

// TestLCNRVPolicyIAS2Total: IAS 2.29 writes inventories down item by item
// or by groups of similar items, never in total. The policy, a book, a
// report's override and a scenario all refuse it, naming the field and the
// paragraph; US GAAP in total (ASC 330-10-35-8) and IAS 2 by item or class
// are accepted.
func TestLCNRVPolicyIAS2Total(t *testing.T) {
	says := func(what string, err error, field string, line int) {
		t.Helper()
		var be *bf.Error
		if !errors.As(err, &be) || be.Kind != bf.KindInvalid || be.Field != field || be.Line != line ||
			!strings.Contains(err.Error(), "IAS 2.29") || !strings.Contains(err.Error(), "field "+field) {
			t.Errorf("%s: %v; want an invalid-input error at line %d naming field %s and IAS 2.29", what, err, line, field)
		}
	}
	p := bf.LCNRVPolicy{Basis: bf.LCNRVTotal, Standard: bf.IAS2}
	says("Validate", p.Validate(), "basis", 0)
	c := bf.BookConfig{Name: "ifrs", Method: bf.MethodSequential, LCNRV: &p}
	says("BookConfig.Validate", c.Validate(), "lcnrv.basis", 0)
	_, err := bf.LCNRVPolicy{Basis: bf.LCNRVByItem, Standard: bf.USGAAP}.Override("total", "ias2")
	says("Override(total, ias2)", err, "basis", 0)
	_, err = bf.LCNRVPolicy{Basis: bf.LCNRVTotal, Standard: bf.USGAAP}.Override("", "ias2")
	says("Override of a total policy with ias2", err, "basis", 0)
	doc := "items:\n  - {id: m, kind: material, standard_cost: 1, nrv: 1}\nbooks:\n  - name: ifrs\n    method: sequential\n    lcnrv:\n      standard: ias2\n      basis: total\n"
	_, err = scenario.Decode("plant.yaml", []byte(doc))
	says("Decode", err, "lcnrv.basis", 8)
	if err == nil || !strings.HasPrefix(err.Error(), "plant.yaml:8: ") {
		t.Errorf("Decode: %v; want it to name plant.yaml:8", err)
	}
	for _, ok := range []bf.LCNRVPolicy{{Basis: bf.LCNRVTotal, Standard: bf.USGAAP}, {Basis: bf.LCNRVByItem, Standard: bf.IAS2}, {Basis: bf.LCNRVByClass, Standard: bf.IAS2}} {
		if err := ok.Validate(); err != nil {
			t.Errorf("%s under %s: %v", ok.Basis, ok.Standard, err)
		}
	}
}

// TestFiscalYearStart: the fiscal year start is a day of the year as MM-DD;
// a date's fiscal year is named by the calendar year it starts in; a
// scenario reads it from lcnrv.fiscal_year_start and refuses what is not a
// day of every year.
func TestFiscalYearStart(t *testing.T) {
	for s, want := range map[string]bf.MonthDay{"01-01": {1, 1}, "07-01": {7, 1}, "12-31": {12, 31}, "02-28": {2, 28}} {
		if got, ok := bf.ParseMonthDay(s); !ok || got != want || got.String() != s {
			t.Errorf("ParseMonthDay(%q) = %v, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "7-1", "00-01", "13-01", "02-29", "04-31", "01-00", "0a-01", "01/01", "2026-07-01"} {
		if _, ok := bf.ParseMonthDay(s); ok {
			t.Errorf("ParseMonthDay(%q) accepted", s)
		}
	}
	for _, c := range []struct {
		start string
		date  string
		year  int
	}{
		{"01-01", "2026-01-01", 2026}, {"01-01", "2026-12-31", 2026},
		{"07-01", "2026-06-30", 2025}, {"07-01", "2026-07-01", 2026}, {"07-01", "2027-03-31", 2026},
		{"10-15", "2026-10-14", 2025}, {"10-15", "2026-10-15", 2026},
	} {
		m, _ := bf.ParseMonthDay(c.start)
		d, _ := bf.ParseDate(c.date)
		if got := m.FiscalYear(d); got != c.year {
			t.Errorf("fiscal year from %s of %s: %d, want %d", c.start, c.date, got, c.year)
		}
	}
	if y := (bf.MonthDay{}).FiscalYear(1000); y != 0 {
		t.Errorf("no fiscal year start: year %d, want 0", y)
	}
	doc := "items:\n  - {id: m, kind: material, standard_cost: 1, nrv: 1}\nbooks:\n  - {name: gaap, method: sequential, lcnrv: {basis: item, standard: us_gaap, fiscal_year_start: %s}}\n"
	sc, err := scenario.Decode("plant.yaml", []byte(strings.Replace(doc, "%s", "07-01", 1)))
	if err != nil || sc.Books[0].LCNRV.FiscalYearStart != (bf.MonthDay{Month: 7, Day: 1}) {
		t.Fatalf("Decode with fiscal_year_start 07-01: %v", err)
	}
	_, err = scenario.Decode("plant.yaml", []byte(strings.Replace(doc, "%s", "02-29", 1)))
	var be *bf.Error
	if !errors.As(err, &be) || be.Field != "lcnrv.fiscal_year_start" || be.Line != 4 || !strings.Contains(err.Error(), "MM-DD") {
		t.Errorf("Decode with fiscal_year_start 02-29: %v; want plant.yaml:4, field lcnrv.fiscal_year_start, MM-DD", err)
	}
	bad := bf.LCNRVPolicy{Basis: bf.LCNRVByItem, Standard: bf.USGAAP, FiscalYearStart: bf.MonthDay{Month: 2, Day: 30}}
	if err := bad.Validate(); !errors.As(err, &be) || be.Field != "fiscal_year_start" {
		t.Errorf("Validate with fiscal year start 02-30: %v", err)
	}
}
