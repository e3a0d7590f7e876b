package csvio

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
)

const goodItems = `id,description,type,unit,standard_cost,price,conversion_cost
steel,Steel,material,kg,2.00,,
bolt,Bolt,material,ea,0.10,,
frame,Frame,assembly,ea,,,5.00
bike,Bike,finished,ea,,150,12.00
`

const goodBOM = `parent,component,qty,scrap_pct
frame,steel,3,10
frame,bolt,4,
bike,frame,1,
bike,bolt,6,5
`

func readPlant(items, bom string, o Options) (*bf.Plant, Errors, error) {
	return ReadPlant(Source{"items.csv", strings.NewReader(items)}, Source{"bom.csv", strings.NewReader(bom)}, "test", o)
}

// want is one expected error: its file:line, field and a piece of its reason.
type want struct {
	at, field, reason string
}

func checkErrs(t *testing.T, err error, wants []want) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", wants)
	}
	var es Errors
	if !errors.As(err, &es) {
		var e *bf.Error
		if !errors.As(err, &e) {
			t.Fatalf("%T %v is not a *bf.Error", err, err)
		}
		es = Errors{e}
	}
	if len(es) != len(wants) {
		t.Errorf("%d errors, want %d:\n%v", len(es), len(wants), err)
	}
	for i, w := range wants {
		if i >= len(es) {
			break
		}
		e := es[i]
		at := e.File + ":" + strconv.Itoa(e.Line)
		if at != w.at || e.Field != w.field || !strings.Contains(e.Reason, w.reason) {
			t.Errorf("error %d is %s field %q: %q; want %s field %q: …%q…", i, at, e.Field, e.Reason, w.at, w.field, w.reason)
		}
	}
}

func TestGoodPlant(t *testing.T) {
	p, skipped, err := readPlant(goodItems, goodBOM, Options{})
	if err != nil || len(skipped) > 0 {
		t.Fatal(err, skipped)
	}
	if len(p.Items) != 4 || len(p.Items[3].BOM) != 2 || p.Items[2].BOM[0].ScrapPct != 10_000_000 {
		t.Fatalf("%+v", p.Items)
	}
	if p.Items[0].Line != 2 || p.Items[3].BOM[1].Line != 5 {
		t.Errorf("lines %d %d", p.Items[0].Line, p.Items[3].BOM[1].Line)
	}
}

func TestMalformedMasterData(t *testing.T) {
	tests := []struct {
		name       string
		items, bom string
		wants      []want
	}{
		{"missing column", "id,description,standard_cost\nsteel,Steel,2\n", goodBOM,
			[]want{{"items.csv:1", "type", `missing column "type"`}}},
		{"missing bom column", goodItems, "parent,component\nframe,steel\n",
			[]want{{"bom.csv:1", "qty", `missing column "qty"`}}},
		{"empty file", "", goodBOM, []want{{"items.csv:1", "", "is empty"}}},
		{"bad numbers, all of them",
			"id,type,standard_cost,price\nsteel,material,2.0.0,\nbolt,material,1e3,\nnut,material,\"1,5\",\nframe,assembly,,abc\n",
			"parent,component,qty\nframe,steel,x\nframe,bolt,-1\n",
			[]want{
				{"items.csv:2", "standard_cost", "is not a decimal number"},
				{"items.csv:3", "standard_cost", "is not a decimal number"},
				{"items.csv:4", "standard_cost", "--decimal-comma"},
				{"items.csv:5", "price", "is not a decimal number"},
				{"bom.csv:2", "qty", "is not a decimal number"},
				{"bom.csv:3", "qty", "must be positive"},
			}},
		{"unknown parent and component", goodItems, goodBOM + "wheel,steel,2,\nbike,spoke,36,\n",
			[]want{
				{"bom.csv:6", "parent", `unknown parent "wheel"`},
				{"bom.csv:7", "component", `unknown component "spoke"`},
			}},
		{"BOM cycle", goodItems, goodBOM + "frame,bike,1,\n",
			[]want{{"bom.csv:6", "component", "BOM cycle bike > frame > bike"}}},
		{"material with BOM, made item without", goodItems + "wheel,Wheel,assembly,ea,,,\n", goodBOM + "steel,bolt,1,\n",
			[]want{
				{"items.csv:6", "bom", `no line of bom.csv has parent "wheel"`},
				{"bom.csv:6", "parent", "steel is a material"},
			}},
		{"duplicate id and bad kind", goodItems + "steel,Again,material,kg,3,,\nrim,Rim,ROH,ea,1,,\n", goodBOM,
			[]want{
				{"items.csv:6", "id", "duplicates the item at line 2"},
				{"items.csv:7", "type", `type[ROH]=material`},
			}},
		{"rows of the wrong width and bad CSV", goodItems + "wheel,Wheel\nnut,\"Nut,material,ea,1,,\n", goodBOM,
			[]want{
				{"items.csv:6", "", "has 2 cells; the header has 7"},
				{"items.csv:7", "", "is not valid CSV"},
			}},
		{"invalid UTF-8", goodItems + "nut,N\xe9,material,ea,1,,\n", goodBOM,
			[]want{{"items.csv:6", "", "not valid UTF-8"}}},
		{"material without cost, fixed part too big", goodItems + "nut,Nut,material,ea,,,\n" + "axle,Axle,assembly,ea,,,1\n",
			strings.Replace(goodBOM, "bike,bolt,6,5\n", "bike,bolt,6,5\naxle,steel,1,\n", 1),
			[]want{{"items.csv:6", "standard_cost", "positive standard cost"}}},
		{"negative scrap", goodItems, goodBOM + "bike,steel,1,-2\n",
			[]want{{"bom.csv:6", "scrap_pct", "must not be negative"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _, err := readPlant(tt.items, tt.bom, Options{})
			if p != nil {
				t.Errorf("a file with errors imported %d items", len(p.Items))
			}
			checkErrs(t, err, tt.wants)
		})
	}
}

func TestFixedOverheadColumns(t *testing.T) {
	items := "id,type,standard_cost,conversion_cost,fixed_budget,denominator,fixed_conversion\n" +
		"steel,material,2,,,,\nframe,assembly,,5,1000,500,\nbike,finished,,9,100,3,1\n"
	bom := "parent,component,qty\nframe,steel,1\nbike,frame,1\n"
	_, _, err := readPlant(items, bom, Options{})
	checkErrs(t, err, []want{{"items.csv:4", "fixed_conversion", "fixed_budget over denominator is 33.333333333"}})
	items = strings.Replace(items, "bike,finished,,9,100,3,1", "bike,finished,,9,,,4", 1)
	p, _, err := readPlant(items, bom, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f := p.Items[1].FixedConversion; f != bf.Dollars(2) {
		t.Errorf("frame fixed rate %s, want 2", f)
	}
}

// TestSkipBadRows: the good rows come in, every row left out is reported,
// and rows that needed a skipped row are skipped in turn, named under the
// row they depended on rather than each as an error of its own. A parent
// that loses a BOM line is left out too: its standard would be wrong.
func TestSkipBadRows(t *testing.T) {
	items := goodItems + "wheel,Wheel,assembly,ea,,,3\nrim,Rim,material,ea,abc,,\ncart,Cart,finished,ea,,,1\n"
	bom := goodBOM + "wheel,rim,1,\ncart,wheel,2,\ncart,bolt,4,\n"
	p, skipped, err := readPlant(items, bom, Options{SkipBadRows: true})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range p.Items {
		ids = append(ids, it.ID)
	}
	if strings.Join(ids, ",") != "steel,bolt,frame,bike" {
		t.Errorf("imported %v", ids)
	}
	if n := len(p.Items[3].BOM); n != 2 {
		t.Errorf("bike has %d BOM lines", n)
	}
	checkErrs(t, skipped, []want{{"items.csv:7", "standard_cost", "is not a decimal number"}})
	for _, dep := range []string{"bom.csv:6", "items.csv:6", "bom.csv:7", "items.csv:8", "bom.csv:8"} {
		if !strings.Contains(skipped[0].Reason, dep) {
			t.Errorf("the root cause does not name %s: %s", dep, skipped[0].Reason)
		}
	}
	// Without skipping, the same one error, and nothing imported.
	_, _, err = readPlant(items, bom, Options{})
	checkErrs(t, err, []want{{"items.csv:7", "standard_cost", "left out with it"}})
}

// TestERPMapping reads an SAP-like export: German headers, semicolons,
// decimal commas, item types to translate, a mapping file's worth of
// options given in code.
func TestERPMapping(t *testing.T) {
	items := "\ufeffMATNR;MAKTX;MTART;MEINS;STPRS;VKPRS;KONV\n" +
		"000000000000100234;Stahl;ROH;KG;1.234,50;;\n" +
		"000000000000200100;Rahmen;HALB;ST;9.999,00;;5,25\n"
	bom := "MATNR;IDNRK;MENGE;AUSCH\n000000000000200100;000000000000100234;3,5;2,5%\n"
	var m Mapping
	if err := m.ParseMap("id=MATNR,items.description=MAKTX,type=MTART,unit=MEINS,standard_cost=STPRS,price=VKPRS,conversion_cost=KONV," +
		"type[ROH]=material,type[HALB]=assembly,bom.parent=MATNR,component=IDNRK,qty=MENGE,scrap_pct=AUSCH"); err != nil {
		t.Fatal(err)
	}
	p, _, err := readPlant(items, bom, Options{Map: m, Delimiter: ';', DecimalComma: true})
	if err != nil {
		t.Fatal(err)
	}
	st, fr := p.Items[0], p.Items[1]
	if st.ID != "000000000000100234" || st.Name != "Stahl" || st.Kind != bf.Material || st.StandardCost.String() != "1234.50" || st.UOM != "KG" {
		t.Errorf("steel %+v", st)
	}
	if fr.Kind != bf.Assembly || fr.ConversionCost.String() != "5.25" || fr.StandardCost != 0 || fr.BOM[0].Qty.String() != "3.5" || fr.BOM[0].ScrapPct.String() != "2.5" {
		t.Errorf("frame %+v", fr)
	}
	// A mapping naming a column the file lacks is an error, not a silent default.
	var m2 Mapping
	m2.ParseMap("id=MATNR,type=ART")
	_, _, err = readPlant(items, bom, Options{Map: m2, Delimiter: ';'})
	checkErrs(t, err, []want{{"items.csv:1", "type", `the mapping names column "ART"`}})
}

func TestParseMapErrors(t *testing.T) {
	for s, reason := range map[string]string{
		"idd=MATNR":         "idd is not a field of any file",
		"items.qty=MENGE":   "is not a field of items",
		"stock.id=X":        "names no file",
		"id":                "must be field=COLUMN",
		"type[ROH=material": "field[VALUE]=value",
	} {
		var m Mapping
		err := m.ParseMap(s)
		if err == nil || !strings.Contains(err.Error(), reason) || bf.ErrorKind(err) != bf.KindInvalid {
			t.Errorf("%q: %v, want …%s…", s, err, reason)
		}
	}
}

func TestEvents(t *testing.T) {
	p, _, err := readPlant(goodItems, goodBOM, Options{})
	if err != nil {
		t.Fatal(err)
	}
	csv := "BELNR;BUDAT;BWART;MATNR;MENGE;PREIS;BETRAG;TEXT\n" +
		"p1;01.05.2026;101;steel;400;2,10;;first delivery\n" +
		"c1;02.05.2026;CONV;;;;1.250,50;wages\n" +
		"s1;03.05.2026;START;bike;10;;;\n"
	var m Mapping
	m.ParseMap("id=BELNR,date=BUDAT,events.type=BWART,item=MATNR,qty=MENGE,unit_cost=PREIS,amount=BETRAG,memo=TEXT," +
		"type[101]=purchase,type[CONV]=conversion_cost,type[START]=start")
	o := Options{Map: m, Delimiter: ';', DecimalComma: true, DateFormat: "DD.MM.YYYY"}
	evs, _, err := ReadEvents(Source{"ev.csv", strings.NewReader(csv)}, p, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 3 || evs[0].UnitCost.String() != "2.10" || evs[1].Amount != 125050 || evs[0].Date.String() != "2026-05-01" || evs[2].Line != 4 || evs[0].Memo != "first delivery" {
		t.Fatalf("%+v", evs)
	}
	bad := "BELNR;BUDAT;BWART;MATNR;MENGE;PREIS;BETRAG;TEXT\n" +
		"p1;01.05.2026;101;steel;400;2,10;;\n" +
		"p2;31.02.2026;101;steel;1;1;;\n" +
		"p3;01.05.2026;999;steel;1;1;;\n" +
		"p4;01.05.2026;101;steel;-1;1;;\n" +
		"p1;01.05.2026;101;steel;401;2,10;;\n" +
		"p5;01.05.2026;101;;1;1;;\n"
	_, _, err = ReadEvents(Source{"ev.csv", strings.NewReader(bad)}, p, o)
	checkErrs(t, err, []want{
		{"ev.csv:3", "date", "31.02.2026: February 2026 has 28 days"},
		{"ev.csv:4", "type", `"999" must be purchase`},
		{"ev.csv:5", "qty", "must be positive"},
		{"ev.csv:6", "id", "repeats the id of the event at line 2"},
		{"ev.csv:7", "item", "is missing"},
	})
	if bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("kind %v", bf.ErrorKind(err))
	}
	// Rows that are well-formed but cannot post: an unknown item, a date
	// in a closed period (events post in date order, the file's order
	// within a day). Skipping keeps the others.
	post := "id,date,type,item,qty,unit_cost\n" +
		"p1,2026-05-01,purchase,steel,10,2\n" +
		"z1,2026-05-31,close,,,\n" +
		"p2,2026-05-31,purchase,steel,1,2\n" +
		"p3,2026-06-01,purchase,wood,1,2\n" +
		"p4,2026-06-01,purchase,bolt,5,0.1\n"
	_, _, err = ReadEvents(Source{"ev.csv", strings.NewReader(post)}, p, Options{})
	checkErrs(t, err, []want{
		{"ev.csv:4", "date", "closed through 2026-05-31"},
		{"ev.csv:5", "item", "unknown item wood"},
	})
	evs, skipped, err := ReadEvents(Source{"ev.csv", strings.NewReader(post)}, p, Options{SkipBadRows: true})
	if err != nil || len(evs) != 3 || len(skipped) != 2 {
		t.Fatalf("skip: %d events, skipped %v, %v", len(evs), skipped, err)
	}
}

func TestChartFiles(t *testing.T) {
	c, err := ReadChart(Source{"chart.csv", strings.NewReader("account,code,name\ncogs,5000,Cost of sales\nfinished_goods,1300,\n")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Code[bf.COGS] != "5000" || c.Name[bf.COGS] != "Cost of sales" || c.Code[bf.FinishedGoods] != "1300" {
		t.Errorf("%+v", c)
	}
	_, err = ReadChart(Source{"chart.csv", strings.NewReader("account,code\ncogs,5000\nstock,1\nwip,5000\ncogs,5001\n")}, Options{})
	checkErrs(t, err, []want{
		{"chart.csv:3", "account", `unknown account "stock"`},
		{"chart.csv:4", "account", `gives code "5000" to wip; cogs has it at line 2`},
		{"chart.csv:5", "account", "mapped at line 2 already"},
	})
	c2, err := DecodeChartYAML("chart.yaml", []byte("accounts:\n  cogs: \"5000\"\n  finished_goods: {code: \"1300\", name: Finished goods}\n"))
	if err != nil || c2.Code[bf.COGS] != "5000" || c2.Name[bf.FinishedGoods] != "Finished goods" {
		t.Fatalf("%v %+v", err, c2)
	}
	_, err = DecodeChartYAML("chart.yaml", []byte("cogs: 5000\nnope: 1\n"))
	checkErrs(t, err, []want{{"chart.yaml:2", "accounts", `unknown account "nope"`}})
	m := MergeChart(c, c2)
	if m.Name[bf.COGS] != "" || m.Name[bf.FinishedGoods] != "Finished goods" {
		t.Errorf("merge %+v", m)
	}
}
