package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const acton = "../../testdata/acton/scenario.yaml"

func TestExportFormats(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ to, file, want string }{
		{"ledger", "a.ledger", "Assets:Inventory:Finished goods"},
		{"hledger", "a.journal", "decimal-mark ."},
		{"beancount", "a.beancount", "open Assets:Inventory:Finished-Goods USD"},
		{"csv", "a.csv", "date,entry,event,memo,account,account_name,debit,credit,item,path,qty"},
		{"xlsx", "a.xlsx", "PK"},
	} {
		out := filepath.Join(dir, tt.file)
		code, _, stderr := runMain(t, "export", acton, "--book", "purchase+completion", "--to", tt.to, "-o", out)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tt.to, code, stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil || !strings.Contains(string(data), tt.want) {
			t.Errorf("%s: file lacks %q (%v)", tt.to, tt.want, err)
		}
	}
	// Standard output, with a period.
	code, out, stderr := runMain(t, "export", acton, "--book", "sequential", "--to", "csv", "--period", "1")
	if code != 0 || !strings.Contains(out, "finished_goods,Finished goods,") {
		t.Errorf("exit %d: %s%s", code, out, stderr)
	}
}

func TestExportErrors(t *testing.T) {
	dir := t.TempDir()
	badChart := filepath.Join(dir, "chart.csv")
	os.WriteFile(badChart, []byte("account,code\ncogs,5000\nstock,1\n"), 0o644)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"export", acton, "--book", "sequential"}, 2, "export needs --to"},
		{[]string{"export", acton, "--book", "sequential", "--to", "ods"}, 2, "--to must be"},
		{[]string{"export", acton, "--to", "ledger"}, 2, "choose one with --book (sequential, purchase+completion"},
		{[]string{"export", acton, "--book", "nope", "--to", "ledger"}, 4, "no book named nope"},
		{[]string{"export", acton, "--book", "sequential", "--to", "ledger", "--period", "2"}, 4, "no period 2"},
		{[]string{"export", acton, "--book", "sequential", "--to", "xlsx"}, 2, "-o FILE.xlsx"},
		{[]string{"export", acton, "--to", "master"}, 2, "-o DIR"},
		{[]string{"export", acton, "--book", "sequential", "--to", "ledger", "--chart", badChart}, 4, badChart + ":3"},
		{[]string{"export", "testdata/nope.yaml", "--to", "ledger"}, 4, "testdata/nope.yaml"},
	}
	for _, tt := range tests {
		code, _, stderr := runMain(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, want %d; stderr %q lacks %q", tt.args, code, tt.code, stderr, tt.want)
		}
	}
}

// TestChartFlag: a chart file changes the codes every report and export
// shows.
func TestChartFlag(t *testing.T) {
	dir := t.TempDir()
	csvChart := filepath.Join(dir, "chart.csv")
	os.WriteFile(csvChart, []byte("account,code,name\nfinished_goods,1300,Finished goods\ncogs,5000,Cost of sales\n"), 0o644)
	yamlChart := filepath.Join(dir, "chart.yaml")
	os.WriteFile(yamlChart, []byte("accounts:\n  finished_goods: {code: \"1300\"}\n  materials_in_process: \"1200\"\n"), 0o644)
	checks := []struct {
		args []string
		want []string
	}{
		{[]string{"run", acton, "--book", "purchase+completion", "--chart", csvChart}, []string{"Dr 1300", "inventory: 1300"}},
		{[]string{"run", acton, "--format", "json", "--chart", yamlChart}, []string{`"1300": "45000.00"`, `"1200"`}},
		{[]string{"why", acton, "--book", "sequential", "--account", "cogs", "--chart", csvChart}, []string{"5000"}},
		{[]string{"report", "reconcile", acton, "--chart", csvChart}, []string{"1300"}},
		{[]string{"export", acton, "--book", "sequential", "--to", "csv", "--chart", csvChart}, []string{"1300,Finished goods", "5000,Cost of sales"}},
		{[]string{"export", acton, "--book", "sequential", "--to", "ledger", "--chart", csvChart}, []string{"Assets:Inventory:1300 Finished goods", "Expenses:Cost of sales:5000 Cost of sales"}},
	}
	for _, c := range checks {
		code, out, stderr := runMain(t, c.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q", c.args, w)
			}
		}
	}
}

// booksJSON returns the books of `run --format json`, the journals and
// balances.
func booksJSON(t *testing.T, file string) any {
	t.Helper()
	code, out, stderr := runMain(t, "run", file, "--book", "sequential", "--format", "json")
	if code != 0 {
		t.Fatalf("run %s: exit %d: %s", file, code, stderr)
	}
	var doc struct {
		Books any `json:"books"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Books
}

// TestImportRoundTrip: a case's master data and events exported as CSV and
// imported again cost to the same journal and balances.
func TestImportRoundTrip(t *testing.T) {
	for _, c := range []string{"acton", "bike", "hepworth", "svc"} {
		src := "../../testdata/" + c + "/scenario.yaml"
		dir := t.TempDir()
		if code, _, stderr := runMain(t, "export", src, "--to", "master", "-o", dir); code != 0 {
			t.Fatalf("%s: export: exit %d: %s", c, code, stderr)
		}
		out := filepath.Join(dir, "scenario.yaml")
		code, stdout, stderr := runMain(t, "import", "--items", filepath.Join(dir, "items.csv"), "--bom", filepath.Join(dir, "bom.csv"),
			"--events", filepath.Join(dir, "events.csv"), "-o", out)
		if code != 0 || !strings.Contains(stdout, "imported") {
			t.Fatalf("%s: import: exit %d: %s%s", c, code, stdout, stderr)
		}
		if !reflect.DeepEqual(booksJSON(t, src), booksJSON(t, out)) {
			t.Errorf("%s: the imported scenario costs differently", c)
		}
	}
}

// TestImportERP reads an SAP-like export through a mapping: semicolons,
// decimal commas, German headers and item types, dates as DD.MM.YYYY.
func TestImportERP(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	items := write("mara.csv", "MATNR;MAKTX;MTART;MEINS;STPRS;VKPRS;KONV\n"+
		"100234;Stahl;ROH;KG;2,00;;\n100300;Schraube;ROH;ST;0,10;;\n200100;Rahmen;HALB;ST;;;5,00\n300100;Fahrrad;FERT;ST;;150,00;12,00\n")
	bom := write("stpo.csv", "MATNR;IDNRK;MENGE;AUSCH\n200100;100234;3;10\n200100;100300;4;\n300100;200100;1;\n300100;100300;6;5\n")
	mapping := write("map.yaml", "items:\n  id: MATNR\n  description: MAKTX\n  type: {column: MTART, values: {ROH: material, HALB: assembly, FERT: finished}}\n"+
		"  unit: MEINS\n  standard_cost: STPRS\n  price: VKPRS\n  conversion_cost: KONV\n"+
		"bom: {parent: MATNR, component: IDNRK, qty: MENGE, scrap_pct: AUSCH}\n"+
		"events: {id: BELNR, date: BUDAT, item: MATNR, qty: MENGE, unit_cost: PREIS}\n"+
		"delimiter: \";\"\ndecimal: \",\"\ndate_format: DD.MM.YYYY\n")
	events := write("mseg.csv", "BELNR;BUDAT;type;MATNR;MENGE;PREIS\n4711;04.05.2026;purchase;100234;400;2,10\n4712;05.05.2026;start;200100;100;\n")
	out := filepath.Join(dir, "plant.yaml")
	code, stdout, stderr := runMain(t, "import", "--items", items, "--bom", bom, "--events", events, "--map-file", mapping, "--currency", "EUR", "--name", "Fahrradwerk", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "4 items, 4 BOM lines, 2 events (1 purchase, 1 start), 0 warnings, 0 rows skipped, 0 rows filtered out") {
		t.Errorf("stdout %q", stdout)
	}
	data, _ := os.ReadFile(out)
	for _, w := range []string{`name: "Fahrradwerk"`, "currency: EUR", `id: "100234"`, "standard_cost: 2.00", "kind: assembly", `{item: "100234", qty: 3, scrap_pct: 10}`, "unit_cost: 2.10"} {
		if !strings.Contains(string(data), w) {
			t.Errorf("scenario lacks %q:\n%s", w, data)
		}
	}
	code, _, stderr = runMain(t, "run", out, "--book", "sequential")
	if code != 0 {
		t.Errorf("run the imported scenario: exit %d: %s", code, stderr)
	}
	// The same through --map flags.
	code, _, stderr = runMain(t, "import", "--items", items, "--bom", bom, "--delimiter", ";", "--decimal-comma",
		"--map", "id=MATNR,description=MAKTX,type=MTART,unit=MEINS,standard_cost=STPRS,price=VKPRS,conversion_cost=KONV",
		"--map", "type[ROH]=material,type[HALB]=assembly,type[FERT]=finished,bom.parent=MATNR,component=IDNRK,qty=MENGE,scrap_pct=AUSCH",
		"-o", filepath.Join(dir, "flags.yaml"))
	if code != 0 {
		t.Errorf("--map flags: exit %d: %s", code, stderr)
	}
}

// TestImportBadRows: every bad row is reported with its file and line and
// nothing is written; --skip-bad-rows writes the good rows and lists the
// others.
func TestImportBadRows(t *testing.T) {
	dir := t.TempDir()
	items := filepath.Join(dir, "items.csv")
	bom := filepath.Join(dir, "bom.csv")
	os.WriteFile(items, []byte("id,type,standard_cost\nsteel,material,2\nbolt,material,x\nframe,assembly,\nwheel,assembly,\n"), 0o644)
	os.WriteFile(bom, []byte("parent,component,qty\nframe,steel,3\nframe,bolt,4\nwheel,rim,1\nframe,frame,1\n"), 0o644)
	out := filepath.Join(dir, "out.yaml")
	code, _, stderr := runMain(t, "import", "--items", items, "--bom", bom, "-o", out)
	if code != 3 {
		t.Errorf("exit %d, want 3: %s", code, stderr)
	}
	for _, w := range []string{"nothing imported", items + ":3: item \"bolt\": field standard_cost: is not a decimal number",
		bom + ":4: item \"wheel\": field component: unknown component \"rim\"", bom + ":5", items + ":5"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a scenario was written from files with errors")
	}
	// Skipping writes the good rows but exits 8, so a nightly job notices
	// the rows dropped, unless --allow-skipped accepts them.
	code, stdout, stderr := runMain(t, "import", "--items", items, "--bom", bom, "--skip-bad-rows", "-o", out)
	if code != 8 || !strings.Contains(stdout, "1 items, 0 BOM lines, 0 events, 0 warnings, 7 rows skipped") || !strings.Contains(stderr, "skipped: "+items+":3") {
		t.Errorf("skip: exit %d: %s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("skip: no scenario written: %v", err)
	}
	code, _, stderr = runMain(t, "import", "--items", items, "--bom", bom, "--skip-bad-rows", "--allow-skipped", "-o", out)
	if code != 0 {
		t.Errorf("--allow-skipped: exit %d: %s", code, stderr)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import", "--items", items, "-o", out}, 2, "import needs --items FILE, --bom FILE"},
		{[]string{"import", "--items", filepath.Join(dir, "nope.csv"), "--bom", bom, "-o", out}, 4, "nope.csv"},
		{[]string{"import", "--items", items, "--bom", bom, "--map", "idd=X", "-o", out}, 3, "idd is not a field"},
		{[]string{"import", "--items", items, "--bom", bom, "--currency", "euro", "-o", out}, 2, "--currency"},
		{[]string{"import", "--items", items, "--bom", bom, "--date-format", "D/M/Y", "-o", out}, 2, "--date-format"},
	} {
		code, _, stderr := runMain(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, want %d; stderr %q lacks %q", tt.args, code, tt.code, stderr, tt.want)
		}
	}
}
