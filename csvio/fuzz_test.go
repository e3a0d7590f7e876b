package csvio

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/eventio"
)

// FuzzReadPlant: any item master and BOM either import as a valid plant
// that survives its own round trip, or are refused with errors that all
// name a file and a line; never a panic.
func FuzzReadPlant(f *testing.F) {
	f.Add(goodItems, goodBOM, false)
	f.Add(goodItems+"wheel,Wheel,assembly,ea,,,3\nrim,Rim,material,ea,abc,,\n", goodBOM+"wheel,rim,1,\nbike,wheel,2,\nframe,bike,1,\n", true)
	f.Add("id,type,standard_cost,fixed_budget,denominator\na,material,1,,\nb,finished,,10,0\n", "parent,component,qty\nb,a,1\n", false)
	f.Add("\ufeffid;type;standard_cost\n\"a\"\"\";material;1\n", "parent;component;qty\n", true)
	f.Add("id,type,standard_cost\na,material,\"1\n", "parent,component,qty,scrap_pct\nb,a,1,2%\n", false)
	f.Fuzz(func(t *testing.T, items, bom string, skip bool) {
		o := Options{SkipBadRows: skip}
		if strings.Contains(items, ";") {
			o.Delimiter = ';'
		}
		p, skipped, err := ReadPlant(Source{"items.csv", strings.NewReader(items)}, Source{"bom.csv", strings.NewReader(bom)}, "fuzz", o)
		if err != nil {
			if p != nil {
				t.Fatal("a plant and an error")
			}
			var es Errors
			if errors.As(err, &es) {
				for _, e := range es {
					if e.File == "" || e.Line <= 0 || e.Reason == "" {
						t.Fatalf("error without file:line or reason: %#v", e)
					}
				}
			}
			return
		}
		if !skip && len(skipped) > 0 {
			t.Fatal("rows skipped without SkipBadRows")
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("imported an invalid plant: %v", err)
		}
		var ib, bb bytes.Buffer
		if err := WriteItems(&ib, p); err != nil {
			t.Fatal(err)
		}
		if err := WriteBOM(&bb, p); err != nil {
			t.Fatal(err)
		}
		back, _, err := ReadPlant(Source{"i", &ib}, Source{"b", &bb}, "fuzz", Options{})
		if err != nil {
			t.Fatalf("own output refused: %v", err)
		}
		if !reflect.DeepEqual(stripLines(back), stripLines(p)) {
			t.Fatal("round trip differs")
		}
	})
}

// FuzzReadEvents: any events file is read or refused with located errors;
// events read survive the CSV writer.
func FuzzReadEvents(f *testing.F) {
	f.Add("id,date,type,item,qty,unit_cost\np1,2026-05-01,purchase,steel,10,2\nz1,2026-05-31,close,,,\n", false)
	f.Add("id,date,type,item,qty,unit_cost\np1,2026-05-01,purchase,wood,10,2\np1,2026-05-01,purchase,steel,1,1\n", true)
	f.Add("id,date,type,amount,behavior,memo\nc1,2026-05-02,conversion_cost,12.50,fixed,\"a\nb\"\n", false)
	f.Add("id,date,type,item,qty,materials_pct,conversion_pct\nw1,2026-05-02,wip_count,frame,0,50%,100\n", false)
	p, _, err := readPlant(goodItems, goodBOM, Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data string, skip bool) {
		evs, _, err := ReadEvents(Source{"ev.csv", strings.NewReader(data)}, p, Options{SkipBadRows: skip})
		if err != nil {
			var e *bf.Error
			if !errors.As(err, &e) || e.File == "" {
				t.Fatalf("error without a file: %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := eventio.WriteCSV(&buf, evs, 2); err != nil {
			t.Fatal(err)
		}
		back, _, err := ReadEvents(Source{"back.csv", &buf}, p, Options{})
		if err != nil {
			t.Fatalf("own output refused: %v\n%s", err, buf.String())
		}
		if !reflect.DeepEqual(stripEvents(back), stripEvents(evs)) {
			t.Fatal("round trip differs")
		}
	})
}

// FuzzReadChart: any chart file is read or refused, never a panic.
func FuzzReadChart(f *testing.F) {
	f.Add("account,code,name\ncogs,5000,Cost of sales\n")
	f.Add("account,code\ncogs,5000\nwip,5000\n")
	f.Add("account\n")
	f.Fuzz(func(t *testing.T, data string) {
		c, err := ReadChart(Source{"chart.csv", strings.NewReader(data)}, Options{})
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteChart(&buf, &c); err != nil {
			t.Fatal(err)
		}
		back, err := ReadChart(Source{"back.csv", &buf}, Options{})
		if err != nil && c != (bf.Chart{}) {
			t.Fatalf("own output refused: %v", err)
		}
		if err == nil && back != c {
			t.Fatal("round trip differs")
		}
	})
}

// FuzzReadMapped: an events file read through every mapping feature (a
// composite id, rules, a quotient, references, fill-down, filters and a
// datetime) is read or refused with located errors, never a panic.
func FuzzReadMapped(f *testing.F) {
	o, err := ParseOptions("map.yaml", []byte(`
date_format: DD.MM.YYYY hh:mm
decimal: ","
delimiter: ";"
events:
  fill_down: [date]
  where_not: {X: ["1"]}
  id: {columns: [D, L]}
  date: T
  item: {column: P, ref: true}
  qty: Q
  unit: U
  unit_cost: {divide: [V, Q]}
  order: O
  type:
    rules:
      - {when: {K: "1", O: "*"}, value: purchase}
      - {when: {K: "2"}, value: sale, fields: {unit_cost: ""}}
      - {when: {K: "3"}, value: "skip: three"}
      - {when: {K: "4"}, value: issue, fields: {unit_cost: ""}}
      - {when: {K: "5"}, value: count-, fields: {unit_cost: ""}}
      - {when: {K: "6"}, value: complete, fields: {unit_cost: ""}}
      - {when: {K: "*"}, value: "error: other"}
`))
	if err != nil {
		f.Fatal(err)
	}
	f.Add("D;L;T;P;Q;U;V;K;O;X\n1;2;01.05.2026 10:00;[steel] S;1.000;G;2,00;1;a;\n;;;[bike] B;1;;;2;;\n")
	f.Add("D;L;T;P;Q;U;V;K;O;X\n9;10;31.04.2026 10:00;steel;4.20;KG;0;1;a;\n")
	f.Add("D;L;T;P;Q;U;V;K;O;X\n1;1;01.05.2026 10:00;steel;40;KG;80;1;a;\n1;2;02.05.2026 10:00;steel;31;KG;;4;o1;\n1;3;02.05.2026 10:00;frame;10;;;6;o1;\n1;4;03.05.2026 10:00;steel;2;;;5;;\n")
	p, _, err := readPlant(goodItems, goodBOM, Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data string) {
		oo := o
		r, err := loadEvents(Source{"ev.csv", strings.NewReader(data)}, p, nil, &oo)
		if err == nil {
			checkLocated(t, nil, r.errs)
			return
		}
		checkLocated(t, err, nil)
	})
}

// FuzzJoin: an item master joined with another table (filtered, on a
// column both have) is read or refused with located errors, never a panic.
func FuzzJoin(f *testing.F) {
	o, err := ParseOptions("map.yaml", []byte(`
items:
  join:
    - {table: MBEW, on: [MATNR], where: {BWKEY: ["1000"]}}
  id: MATNR
  type: MTART
  standard_cost: STPRS
  price_unit: PEINH
`))
	if err != nil {
		f.Fatal(err)
	}
	f.Add("MATNR,MTART\nsteel,material\n", "MATNR,BWKEY,STPRS,PEINH\nsteel,1000,12.50,1000\nsteel,2000,1,1\n")
	f.Add("MATNR,MTART,MATNR\nsteel,material,x\n", "MATNR,BWKEY,STPRS\n\"steel,1000,1\n")
	f.Fuzz(func(t *testing.T, items, mbew string) {
		oo := o
		oo.Tables = map[string]TableData{"MBEW": {File: "mbew.csv", Data: []byte(mbew)}}
		r, err := loadPlant(Source{"mara.csv", strings.NewReader(items)}, Source{"bom.csv", strings.NewReader("parent,component,qty\n")}, "fuzz", &oo)
		if err == nil {
			checkLocated(t, nil, r.errs)
			return
		}
		checkLocated(t, err, nil)
	})
}

// checkLocated fails unless an error, and every row error, names its file.
func checkLocated(t *testing.T, err error, rows Errors) {
	t.Helper()
	if err != nil {
		var e *bf.Error
		if !errors.As(err, &e) || e.File == "" {
			t.Fatalf("error without a file: %v", err)
		}
	}
	for _, e := range rows {
		if e.File == "" {
			t.Fatalf("row error without a file: %v", e)
		}
	}
}
