package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/scenariotest"
	"github.com/backflush/backflush/internal/testenv"
	"github.com/backflush/backflush/report"
	"github.com/backflush/backflush/sim"
)

// The exports are checked by the tools accountants use: ledger, hledger,
// bean-check and bean-query read every export of every book of the
// textbook cases and of a generated month, and the balances they report
// must equal Backflush's trial balance to the cent. The tests are skipped
// with -short, or locally when a tool is not installed, and fail in CI
// (CI=true) without one: .ci/run installs the Debian packages.

// tools are the paths of the programs the real-tool tests run.
type tools struct{ ledger, hledger, beanCheck, beanQuery string }

// needTools returns the tools, under testenv's rule: the test is skipped
// with -short or when one is missing, except in CI (CI=true), where a
// missing tool fails it.
func needTools(t *testing.T) tools {
	t.Helper()
	return tools{
		ledger:    testenv.RequireTool(t, "ledger", "ledger"),
		hledger:   testenv.RequireTool(t, "hledger", "hledger"),
		beanCheck: testenv.RequireTool(t, "bean-check", "beancount"),
		beanQuery: testenv.RequireTool(t, "bean-query", "beancount"),
	}
}

// tool runs a command, failing the test with its output when it fails or
// prints to standard error.
func tool(t *testing.T, file string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil || errb.Len() > 0 {
		data, _ := os.ReadFile(file)
		if len(data) > 4000 {
			data = data[:4000]
		}
		t.Fatalf("%s %s: %v\n%s%s\nfile starts:\n%s", name, strings.Join(args, " "), err, errb.String(), out.String(), data)
	}
	return out.String()
}

// parseAmount reads a tool's "12000.00 USD" (or "0", or empty) as Money.
func parseAmount(t *testing.T, s, currency string, scale int) bf.Money {
	t.Helper()
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), currency))
	s = strings.ReplaceAll(s, ",", "")
	if s == "" || s == "0" {
		return 0
	}
	m, why := bf.ParseMoney(s, scale)
	if why != "" {
		t.Fatalf("tool amount %q %s", s, why)
	}
	return m
}

// toolBalances runs the tools of a format on a file and returns each
// tool's balance per account name.
func toolBalances(t *testing.T, tl tools, f Format, file, cur string, scale int) map[string]map[string]bf.Money {
	out := map[string]map[string]bf.Money{}
	add := func(prog, acct, amt string) {
		if out[prog] == nil {
			out[prog] = map[string]bf.Money{}
		}
		out[prog][strings.TrimSpace(acct)] += parseAmount(t, amt, cur, scale)
	}
	switch f {
	case Ledger:
		txt := tool(t, file, tl.ledger, "-f", file, "--pedantic", "--flat", "--no-total", "--empty", "bal",
			"--balance-format", "%(account)\t%(display_total)\n")
		for _, ln := range strings.Split(strings.TrimSpace(txt), "\n") {
			if ln == "" {
				continue // a book without entries
			}
			acct, amt, _ := strings.Cut(ln, "\t")
			add("ledger", acct, amt)
		}
	case HLedger:
		txt := tool(t, file, tl.hledger, "-f", file, "--strict", "bal", "--flat", "--no-total", "--empty", "-O", "csv")
		for _, rec := range readCSV(t, txt)[1:] {
			add("hledger", rec[0], rec[1])
		}
	case Beancount:
		tool(t, file, tl.beanCheck, file)
		txt := tool(t, file, tl.beanQuery, "-f", "csv", file, "SELECT account, sum(position) GROUP BY account")
		for _, rec := range readCSV(t, txt)[1:] {
			add("bean-query", rec[0], rec[1])
		}
	}
	return out
}

func readCSV(t *testing.T, s string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("tool CSV %q: %v", s, err)
	}
	return recs
}

// expected is Backflush's trial balance for an export, worked out from the
// book's journal by the report package: the whole journal's balances, or
// for a period the balance sheet at its end, the income accounts' movements
// in it and the earlier income as retained earnings.
func expected(l *costing.Ledger, b *costing.Book, period int) [numAccounts]bf.Money {
	var want [numAccounts]bf.Money
	if period == 0 {
		bal := report.Balances(&b.Journal)
		copy(want[:], bal[:])
		return want
	}
	ps := report.Periods(l)
	p := ps[period-1]
	end, mov := report.BalancesAt(b, p), report.Movements(b, p)
	for a := bf.Account(0); a < bf.NumAccounts; a++ {
		if a.InIncome() {
			want[a] = mov[a]
		} else {
			want[a] = end[a]
		}
	}
	if period > 1 {
		prev := report.BalancesAt(b, ps[period-2])
		for a := bf.Account(0); a < bf.NumAccounts; a++ {
			if a.InIncome() {
				want[retained] += prev[a]
			}
		}
	}
	return want
}

// checkBook exports one book (whole, or one period) in every plain-text
// format and compares every tool's balances with the trial balance.
func checkBook(t *testing.T, tl tools, dir string, l *costing.Ledger, b *costing.Book, chart *bf.Chart, period int) {
	want := expected(l, b, period)
	cur, scale := l.Std.Plant.Currency.Code, l.Std.Scale
	var total bf.Money
	for _, v := range want {
		total += v
	}
	if total != 0 {
		t.Fatalf("the expected trial balance does not balance: %d", total)
	}
	for _, f := range []Format{Ledger, HLedger, Beancount} {
		var buf bytes.Buffer
		if err := Write(&buf, f, l, b, Options{Period: period, Chart: chart, Title: "tool test"}); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		file := filepath.Join(dir, fmt.Sprintf("%s-p%d.%s", safeName(b.Config.Name), period, f))
		if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		byName := map[string]bf.Account{}
		for a := range numAccounts {
			byName[AccountName(f, bf.Account(a), chart)] = bf.Account(a)
		}
		for prog, got := range toolBalances(t, tl, f, file, cur, scale) {
			seen := 0
			for name, v := range got {
				a, ok := byName[name]
				if !ok {
					t.Errorf("%s %s period %d: %s reports unknown account %q", b.Config.Name, f, period, prog, name)
					continue
				}
				if v != want[a] {
					t.Errorf("%s %s period %d: %s says %s = %s, Backflush %s", b.Config.Name, f, period, prog, name, v.Format(scale), want[a].Format(scale))
				}
				if want[a] != 0 {
					seen++
				}
			}
			for a := range numAccounts {
				if want[a] != 0 {
					if _, ok := got[AccountName(f, bf.Account(a), chart)]; !ok {
						t.Errorf("%s %s period %d: %s lacks %s (Backflush %s)", b.Config.Name, f, period, prog, AccountName(f, bf.Account(a), chart), want[a].Format(scale))
					}
				}
			}
			if seen == 0 && l.Len() > 0 && b.Journal.NumLines() > 0 && period == 0 {
				t.Errorf("%s %s: %s reports no balance", b.Config.Name, f, prog)
			}
		}
	}
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '+' || r == ' ' {
			return '_'
		}
		return r
	}, s)
}

// checkLedger checks every book of a ledger, whole and period by period.
func checkLedger(t *testing.T, tl tools, l *costing.Ledger, chart *bf.Chart) {
	periods := len(report.Periods(l))
	dir := t.TempDir()
	for _, b := range l.Books {
		t.Run(safeName(b.Config.Name), func(t *testing.T) {
			t.Parallel()
			checkBook(t, tl, dir, l, b, chart, 0)
			if periods > 1 {
				for p := 1; p <= periods; p++ {
					checkBook(t, tl, dir, l, b, chart, p)
				}
			}
		})
	}
}

// TestToolsAgreeOnCases exports every book of every textbook case.
func TestToolsAgreeOnCases(t *testing.T) {
	tl := needTools(t)
	files, err := filepath.Glob("../testdata/*/scenario.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, file := range files {
		sc, l := scenariotest.Build(t, file)
		t.Run(filepath.Base(filepath.Dir(file)), func(t *testing.T) {
			checkLedger(t, tl, l, &sc.Chart)
		})
	}
}

// plantChart is a chart a plant might have: numeric codes, names in words,
// some with characters the tools treat specially.
func plantChart() *bf.Chart {
	var c bf.Chart
	for a := bf.Account(0); a < bf.NumAccounts; a++ {
		c.Code[a] = fmt.Sprintf("%d", 1000+10*int(a))
	}
	c.Name[bf.Materials] = "Matières premières; stock (raw)"
	c.Name[bf.FinishedGoods] = "Finished goods: cars"
	c.Name[bf.COGS] = "[COGS]  at standard"
	c.Name[bf.SalesRevenue] = "sales \"domestic\""
	return &c
}

var (
	monthOnce   sync.Once
	monthLedger *costing.Ledger
	monthErr    error
)

// generatedMonth simulates the built-in vehicle plant from June 1 for 40
// days, a closed month (June) and an open one, and posts its events into
// books of every kind: the default
// tracking methods, variable and throughput scopes, FIFO and
// weighted-average actual costing, and LCNRV.
func generatedMonth() (*costing.Ledger, error) {
	monthOnce.Do(func() {
		m := sim.Default()
		res, err := m.Run(sim.Options{Days: 40, Seed: 7, Disturb: sim.AllDisturbances})
		if err != nil {
			monthErr = err
			return
		}
		books := append(bf.DefaultBooks(),
			bf.BookConfig{Name: "variable", Method: bf.MethodSequential, Scope: bf.ScopeVariable},
			bf.BookConfig{Name: "throughput", Method: bf.MethodBackflush, Triggers: bf.TriggerPurchase | bf.TriggerCompletion, Scope: bf.ScopeThroughput},
			bf.BookConfig{Name: "fifo", Method: bf.MethodSequential, Basis: bf.BasisFIFO},
			bf.BookConfig{Name: "weighted", Method: bf.MethodSequential, Basis: bf.BasisWeightedAverage,
				LCNRV: &bf.LCNRVPolicy{Basis: bf.LCNRVByItem, Standard: bf.USGAAP}},
		)
		std, err := costing.Compile(&m.Plant)
		if err != nil {
			monthErr = err
			return
		}
		l, err := costing.NewLedger(std, books, bf.CloseToCOGS)
		if err != nil {
			monthErr = err
			return
		}
		monthErr = costing.PostAll(l, res.Events, "generated month")
		monthLedger = l
	})
	return monthLedger, monthErr
}

// TestToolsAgreeOnGeneratedMonth exports every book of a simulated month,
// with a plant's chart of accounts.
func TestToolsAgreeOnGeneratedMonth(t *testing.T) {
	tl := needTools(t)
	l, err := generatedMonth()
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() < 100 {
		t.Fatalf("the month has only %d events", l.Len())
	}
	checkLedger(t, tl, l, plantChart())
}

// TestToolsAcceptAwkwardChart runs a case through the tools with a chart
// whose names hold colons, semicolons, brackets and quotes, and memos and
// ids with characters each format treats specially.
func TestToolsAcceptAwkwardChart(t *testing.T) {
	tl := needTools(t)
	data, err := os.ReadFile("../testdata/bike/scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "unit_cost: 2.10}",
		`unit_cost: 2.10, memo: "a \"quoted\" back\\slash; semi | pipe\nnew line  ; two"}`, 1)
	text = strings.Replace(text, "{id: s1,", "{id: \"s(1)\",", 1)
	sc, l := scenariotest.Decode(t, "awkward bike", text)
	if !strings.Contains(sc.Events[0].Memo, "back\\slash") || sc.Events[3].ID != "s(1)" {
		t.Fatalf("the awkward memo or id did not decode: %q %q", sc.Events[0].Memo, sc.Events[3].ID)
	}
	checkLedger(t, tl, l, plantChart())
}

// TestToolsAgreeOtherScales runs the bike case in a currency without minor
// units (JPY) and one with three decimals (KWD): the tools must read "1.500"
// as one and a half, and whole amounts without a decimal point.
func TestToolsAgreeOtherScales(t *testing.T) {
	tl := needTools(t)
	data, err := os.ReadFile("../testdata/bike/scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, cur := range []string{"JPY", "KWD"} {
		t.Run(cur, func(t *testing.T) {
			text := strings.Replace(string(data), "currency: USD", "currency: "+cur, 1)
			sc, l := scenariotest.Decode(t, "bike-"+cur, text)
			if l.Std.Plant.Currency.Code != cur {
				t.Fatalf("currency %s", l.Std.Plant.Currency.Code)
			}
			checkLedger(t, tl, l, &sc.Chart)
		})
	}
}
