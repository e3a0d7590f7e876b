package export

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/scenariotest"
	"github.com/backflush/backflush/internal/testenv"
	"github.com/backflush/backflush/report"
)

func TestParseFormat(t *testing.T) {
	for _, n := range []string{"ledger", "hledger", "beancount", "csv", "xlsx"} {
		f, ok := ParseFormat(n)
		if !ok || f.String() != n {
			t.Errorf("%s: %v %v", n, f, ok)
		}
	}
	if _, ok := ParseFormat("ods"); ok {
		t.Error("ods parsed")
	}
}

// TestCSV checks that the CSV rows add up, per account, to the trial
// balance, and that every line of the journal is a row.
func TestCSV(t *testing.T) {
	sc, l := scenariotest.Build(t, "../testdata/bike/scenario.yaml")
	for _, b := range l.Books {
		var buf bytes.Buffer
		if err := Write(&buf, CSV, l, b, Options{Chart: &sc.Chart}); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(recs[0], ",") != strings.Join(CSVColumns, ",") {
			t.Fatalf("header %v", recs[0])
		}
		if len(recs)-1 != b.Journal.NumLines() {
			t.Errorf("%s: %d rows for %d lines", b.Config.Name, len(recs)-1, b.Journal.NumLines())
		}
		sum := map[string]bf.Money{}
		for _, r := range recs[1:] {
			for i, sign := range map[int]bf.Money{6: 1, 7: -1} {
				if r[i] == "" {
					continue
				}
				v, why := bf.ParseMoney(r[i], 2)
				if why != "" {
					t.Fatalf("amount %q %s", r[i], why)
				}
				sum[r[4]] += sign * v
			}
		}
		bal := report.Balances(&b.Journal)
		for a := bf.Account(0); a < bf.NumAccounts; a++ {
			if sum[a.String()] != bal[a] {
				t.Errorf("%s %s: CSV %d, book %d", b.Config.Name, a, sum[a.String()], bal[a])
			}
		}
	}
}

func TestPeriodOutOfRange(t *testing.T) {
	_, l := scenariotest.Build(t, "../testdata/acton/scenario.yaml")
	err := Write(io.Discard, Ledger, l, l.Books[0], Options{Period: 9})
	if bf.ErrorKind(err) != bf.KindNotFound || !strings.Contains(err.Error(), "no period 9") {
		t.Fatalf("period 9: %v", err)
	}
}

// TestPeriodOpening checks the opening entry of a later period: the
// balance sheet carried, earlier income in retained earnings, and nothing
// else.
func TestPeriodOpening(t *testing.T) {
	_, l := scenariotest.Build(t, "../testdata/bhimani/scenario.yaml")
	ps := report.Periods(l)
	if len(ps) < 2 {
		t.Fatalf("bhimani has %d period: the test needs two", len(ps))
	}
	b := l.Books[0]
	tb, err := TrialBalance(l, b, Options{Period: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := expected(l, b, 2)
	var total bf.Money
	for _, x := range tb.Rows {
		if x.Balance != want[x.Account] {
			t.Errorf("%s: %d, want %d", x.Code, x.Balance, want[x.Account])
		}
		total += x.Balance
	}
	if total != 0 {
		t.Errorf("the period's trial balance is off by %d", total)
	}
	var buf bytes.Buffer
	if err := Write(&buf, Ledger, l, b, Options{Period: 2}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "opening balances: the balance sheet at the close of period 1") ||
		!strings.Contains(buf.String(), "Equity:Retained earnings") {
		t.Errorf("no opening entry:\n%s", buf.String()[:min(buf.Len(), 2000)])
	}
}

// xlsxCell is a cell as read back from a worksheet.
type xlsxCell struct {
	Ref    string `xml:"r,attr"`
	Type   string `xml:"t,attr"`
	Style  string `xml:"s,attr"`
	Value  string `xml:"v"`
	Inline string `xml:"is>t"`
}

type xlsxSheet struct {
	Rows []struct {
		R     string     `xml:"r,attr"`
		Cells []xlsxCell `xml:"c"`
	} `xml:"sheetData>row"`
}

// TestXLSX reads the workbook back: every part is well-formed XML, every
// relationship points at a part, and the sheets hold the journal, the trial
// balance and the income statements with exact amounts.
func TestXLSX(t *testing.T) {
	sc, l := scenariotest.Build(t, "../testdata/bhimani/scenario.yaml")
	b := l.Books[0]
	var buf bytes.Buffer
	if err := Write(&buf, XLSX, l, b, Options{Chart: &sc.Chart}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		parts[f.Name] = data
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
		}
	}
	for _, p := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
		"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"} {
		if parts[p] == nil {
			t.Errorf("missing part %s", p)
		}
	}
	var rels struct {
		Rel []struct {
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(parts["xl/_rels/workbook.xml.rels"], &rels); err != nil {
		t.Fatal(err)
	}
	for _, r := range rels.Rel {
		if parts[path.Join("xl", r.Target)] == nil {
			t.Errorf("relationship to missing part %s", r.Target)
		}
		if !strings.Contains(string(parts["[Content_Types].xml"]), "/xl/"+r.Target) {
			t.Errorf("no content type for %s", r.Target)
		}
	}
	sheet := func(n string) xlsxSheet {
		var s xlsxSheet
		if err := xml.Unmarshal(parts["xl/worksheets/sheet"+n+".xml"], &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	// The journal: one row per line, debits equal credits, exact text.
	j := sheet("1")
	if len(j.Rows)-1 != b.Journal.NumLines() {
		t.Errorf("journal has %d rows for %d lines", len(j.Rows)-1, b.Journal.NumLines())
	}
	var dr, cr bf.Money
	for _, r := range j.Rows[1:] {
		for _, c := range r.Cells {
			col := strings.TrimRight(c.Ref, "0123456789")
			if col != "G" && col != "H" {
				continue
			}
			if c.Type != "" || c.Style != "1" {
				t.Fatalf("amount cell %s is %q style %q", c.Ref, c.Type, c.Style)
			}
			v, why := bf.ParseMoney(c.Value, 2)
			if why != "" {
				t.Fatalf("cell %s %q %s", c.Ref, c.Value, why)
			}
			if col == "G" {
				dr += v
			} else {
				cr += v
			}
		}
	}
	if dr != cr || dr == 0 {
		t.Errorf("journal debits %d, credits %d", dr, cr)
	}
	// The date of the first row is the first event's date as a serial.
	// (Excel's day 25569 is 1970-01-01, where bf.Date counts from.)
	first := l.Event(b.Journal.Entry(0).Event).Date
	if c := j.Rows[1].Cells[0]; c.Value != strconv.Itoa(int(first)+25569) || c.Style != "2" {
		t.Errorf("date cell %+v for %s", c, first)
	}
	// The trial balance: every used account, then the totals.
	tb := sheet("2")
	bal, used := report.Balances(&b.Journal), report.Used(&b.Journal)
	n := 0
	for a := bf.Account(0); a < bf.NumAccounts; a++ {
		if used[a] {
			n++
		}
	}
	if len(tb.Rows) != n+2 {
		t.Errorf("trial balance has %d rows for %d accounts", len(tb.Rows), n)
	}
	for _, r := range tb.Rows[1 : len(tb.Rows)-1] {
		a, ok := bf.ParseAccount(r.Cells[0].Inline)
		if !ok {
			t.Fatalf("account %q", r.Cells[0].Inline)
		}
		var v bf.Money
		for _, c := range r.Cells[2:] {
			x, _ := bf.ParseMoney(c.Value, 2)
			if strings.HasPrefix(c.Ref, "D") {
				x = -x
			}
			v += x
		}
		if v != bal[a] {
			t.Errorf("trial balance %s: %d, book %d", a, v, bal[a])
		}
	}
	// The income statements: every period's operating income.
	inc := sheet("3")
	text := string(parts["xl/worksheets/sheet3.xml"])
	for _, st := range report.IncomeStatements(l, b) {
		if !strings.Contains(text, "<v>"+st.OperatingIncome.Format(2)+"</v>") {
			t.Errorf("period %d operating income %s not in the sheet", st.Period.Number, st.OperatingIncome.Format(2))
		}
	}
	if len(inc.Rows) < 5 {
		t.Errorf("income sheet has %d rows", len(inc.Rows))
	}
}

func TestColName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := colName(i); got != want {
			t.Errorf("colName(%d) = %s, want %s", i, got, want)
		}
	}
}

// TestXLSXOpenpyxl opens the workbook with a spreadsheet library written
// independently of this package (Python's openpyxl, Debian package
// python3-openpyxl), when it is installed: the sheets, dates as dates and
// amounts as numbers. It runs under testenv's rule, like the tools' tests:
// .ci/run installs the package.
func TestXLSXOpenpyxl(t *testing.T) {
	py := testenv.Require(t, "python3 with openpyxl", "apt-get install python3-openpyxl", func() string {
		// The python3 on the PATH may be another installation than the
		// system's, which the Debian package serves.
		for _, py := range []string{"python3", "/usr/bin/python3"} {
			if p, err := exec.LookPath(py); err == nil && exec.Command(p, "-c", "import openpyxl").Run() == nil {
				return p
			}
		}
		return ""
	})
	sc, l := scenariotest.Build(t, "../testdata/bike/scenario.yaml")
	file := filepath.Join(t.TempDir(), "bike.xlsx")
	var buf bytes.Buffer
	if err := Write(&buf, XLSX, l, l.Books[0], Options{Chart: &sc.Chart}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `
import sys, openpyxl, datetime
wb = openpyxl.load_workbook(sys.argv[1])
print("|".join(wb.sheetnames))
j = wb["Journal"]
row = [c.value for c in j[2]]
assert isinstance(row[0], datetime.datetime), row
print(row[0].date().isoformat(), "%.2f" % row[6])
tb = wb["Trial balance"]
last = [c.value for c in tb[tb.max_row]]
print(last[0], last[2], last[3])
`
	out, err := exec.Command(py, "-c", script, file).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	j := &l.Books[0].Journal
	e := j.Entry(0)
	want0 := "Journal|Trial balance|Income statements"
	want1 := l.Event(e.Event).Date.String() + " " + j.Line(int(e.First)).Amount.Format(2)
	if len(lines) != 3 || lines[0] != want0 || lines[1] != want1 || !strings.HasPrefix(lines[2], "total ") {
		t.Errorf("openpyxl read:\n%s\nwant %q, %q, total …", out, want0, want1)
	}
}
