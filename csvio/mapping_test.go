package csvio

import (
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
)

// TestMappingFeatures reads an Odoo-like export through every general
// mapping feature at once: references, fill-down, row filters, type rules
// over two columns with a per-type field map, a composite id, a computed
// unit cost and datetimes.
func TestMappingFeatures(t *testing.T) {
	o, err := ParseOptions("map.yaml", []byte(`
date_format: YYYY-MM-DD hh:mm:ss
items:
  where_not: {Archived: ["True"]}
  id: Ref
  type: {column: Kind}
  standard_cost: Cost
bom:
  fill_down: [parent, base_qty]
  parent: {column: Product, ref: true}
  base_qty: Quantity
  component: {column: Lines/Component, ref: true}
  qty: Lines/Quantity
events:
  id: {columns: [Doc, Line]}
  date: Date
  item: {column: Product, ref: true}
  qty: Qty
  unit_cost: {divide: [Value, Qty]}
  type:
    rules:
      - {when: {From: "Vendors", To: "WH/*"}, value: purchase}
      - {when: {From: "Production"}, value: complete, fields: {unit_cost: ""}}
      - {when: {From: "WH/*", To: "Customers"}, value: sale, fields: {unit_cost: "", unit_price: Price}}
      - {when: {From: "WH/*", To: "WH/*"}, value: skip}
`))
	if err != nil {
		t.Fatal(err)
	}
	items := "Ref,Kind,Cost,Archived\nsteel,material,2.00,False\nold,material,1.00,True\nframe,assembly,,False\n"
	bom := "Product,Quantity,Lines/Component,Lines/Quantity\n[frame] Frame,4,[steel] Steel,12\n,,[steel] Steel,2\n"
	r, err := loadPlant(Source{"items.csv", strings.NewReader(items)}, Source{"bom.csv", strings.NewReader(bom)}, "t", &o)
	if err != nil || len(r.errs) > 0 {
		t.Fatal(err, r.errs)
	}
	if r.filtered != 1 || len(r.p.Items) != 2 || len(r.p.Items[1].BOM) != 2 || r.p.Items[1].BOM[0].Qty.String() != "3" || r.p.Items[1].BOM[1].Qty.String() != "0.5" {
		t.Fatalf("filtered %d, items %+v", r.filtered, r.p.Items)
	}
	evs := "Doc,Line,Date,Product,Qty,Value,Price,From,To\n" +
		"OUT/1,1,2026-05-09 10:00:00,[frame] Frame,2,,40,WH/Stock,Customers\n" +
		"IN/1,10,2026-05-01 08:00:00,[steel] Steel,3,10.00,,Vendors,WH/Stock\n" +
		"IN/1,9,2026-05-01 08:00:00,[steel] Steel,100,200.00,,Vendors,WH/Stock\n" +
		"MO/1,1,2026-05-02 17:00:00,[frame] Frame,5,99,,Production,WH/Stock\n" +
		"INT/1,1,2026-05-03 09:00:00,[steel] Steel,5,,,WH/Stock,WH/Shelf\n"
	er, err := loadEvents(Source{"ev.csv", strings.NewReader(evs)}, r.p, nil, &o)
	if err != nil || len(er.errs) > 0 {
		t.Fatal(err, er.errs)
	}
	var got []string
	for _, e := range er.events {
		got = append(got, e.ID+" "+e.Type.String()+" "+e.Item+" "+e.Qty.String()+" "+e.UnitCost.String()+" "+e.UnitPrice.String())
	}
	want := []string{
		"IN/1-9 purchase steel 100 2.00 0.00",       // line 9 before line 10: numbers as numbers
		"IN/1-10 purchase steel 3 3.333333333 0.00", // 10.00 ÷ 3, to nine decimals
		"MO/1-1 complete frame 5 0.00 0.00",
		"OUT/1-1 sale frame 2 0.00 40.00",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if er.filtered != 1 {
		t.Errorf("filtered %d, want the internal transfer", er.filtered)
	}
}

// TestReceiptsAtStandard: a receipt without a price is refused, or valued
// at standard with a warning when asked.
func TestReceiptsAtStandard(t *testing.T) {
	p, _, err := readPlant(goodItems, goodBOM, Options{})
	if err != nil {
		t.Fatal(err)
	}
	evs := "id,date,type,item,qty,unit_cost\np1,2026-05-01,purchase,steel,10,\n"
	_, _, err = ReadEvents(Source{"ev.csv", strings.NewReader(evs)}, p, Options{})
	checkErrs(t, err, []want{{"ev.csv:2", "unit_cost", "a receipt without a price"}})
	o := Options{ReceiptsAtStandard: true}
	r, err := loadEvents(Source{"ev.csv", strings.NewReader(evs)}, p, nil, &o)
	if err != nil || len(r.errs) > 0 || len(r.events) != 1 || r.events[0].UnitCost != bf.Dollars(2) || len(r.warnings) != 1 ||
		!strings.Contains(r.warnings[0].Reason, "valued at the standard cost 2.00") {
		t.Fatalf("%v %v %+v %v", err, r.errs, r.events, r.warnings)
	}
}

// TestOnePass: errors of the item master and of the events come in one
// report, and events on a refused item are named under its error instead
// of each being an "unknown item".
func TestOnePass(t *testing.T) {
	items := goodItems + "rim,Rim,material,ea,abc,,\n"
	p := Source{"items.csv", strings.NewReader(items)}
	o := Options{}
	r, err := loadPlant(p, Source{"bom.csv", strings.NewReader(goodBOM)}, "t", &o)
	if err != nil {
		t.Fatal(err)
	}
	evs := "id,date,type,item,qty,unit_cost\np1,2026-05-01,purchase,rim,10,1\np2,2026-05-01,purchase,steel,x,1\np3,2026-05-01,purchase,steel,1,1\n"
	er, err := loadEvents(Source{"ev.csv", strings.NewReader(evs)}, r.p, r.out, &o)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range r.roots {
		x.finish()
	}
	all := append(append(Errors(nil), r.errs...), er.errs...)
	checkErrs(t, all, []want{
		{"items.csv:6", "standard_cost", "[left out with it, depending on it: ev.csv:2]"},
		{"ev.csv:3", "qty", "is not a decimal number"},
	})
	if len(er.events) != 1 || er.skipped != 2 {
		t.Errorf("events %d, skipped %d", len(er.events), er.skipped)
	}
}
