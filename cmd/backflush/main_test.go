package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMain lets the tests run this binary's main as a child process, so that
// exit codes are checked for real.
func TestMain(m *testing.M) {
	if os.Getenv("BACKFLUSH_RUN_MAIN") == "1" {
		os.Args = append([]string{"backflush"}, strings.Fields(os.Getenv("BACKFLUSH_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runMain runs the command in a child process and returns its exit code,
// standard output and standard error.
func runMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BACKFLUSH_RUN_MAIN=1", "BACKFLUSH_ARGS="+strings.Join(args, " "))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

func TestExitCodesAndMessages(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		inStderr []string
	}{
		{"no command", nil, 2, []string{"a command is needed"}},
		{"unknown command", []string{"frobnicate"}, 2, []string{"unknown command frobnicate"}},
		{"missing file", []string{"run", "testdata/nope.yaml"}, 4, []string{"testdata/nope.yaml"}},
		{"bad quantity", []string{"run", "testdata/bad-event.yaml"}, 3,
			[]string{"testdata/bad-event.yaml:7", `event "x1"`, "field qty", "must be positive"}},
		{"unknown item", []string{"run", "testdata/unknown-item.yaml"}, 4,
			[]string{"testdata/unknown-item.yaml:7", `event "f1"`, "field item", "unknown item wire"}},
		{"closed period", []string{"run", "testdata/closed.yaml"}, 6,
			[]string{"testdata/closed.yaml:8", `event "p2"`, "field date", "closed through 2026-08-31"}},
		{"unknown book", []string{"run", "../../testdata/acton/scenario.yaml", "--book", "nope"}, 4,
			[]string{"no book named nope", "purchase+sale"}},
		{"bad format", []string{"run", "../../testdata/acton/scenario.yaml", "--format", "xml"}, 2, []string{"--format"}},
		{"bad events file", []string{"run", "../../testdata/acton/scenario.yaml", "--events", "testdata/bad-more.jsonl"}, 4,
			[]string{"testdata/bad-more.jsonl:2", `event "x3"`, "field item", "unknown item wire"}},
		{"why without account", []string{"why", "../../testdata/acton/scenario.yaml", "--book", "sequential"}, 2, []string{"--account"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runMain(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			for _, s := range tt.inStderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr %q lacks %q", stderr, s)
				}
			}
			if tt.code != 0 && strings.Contains(out, "Trial balance") {
				t.Errorf("a failed run printed books: %q", out)
			}
		})
	}
}

func TestRunTextAndJSON(t *testing.T) {
	code, out, stderr := runMain(t, "run", "../../testdata/acton/scenario.yaml", "--book", "purchase+sale")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, s := range []string{"== Book purchase+sale", "Cr materials_in_process", "500,000.00", "940,000.00"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q", s)
		}
	}
	code, out, stderr = runMain(t, "run", "../../testdata/acton/scenario.yaml", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Books []struct {
			Name     string            `json:"name"`
			Method   string            `json:"method"`
			Triggers []string          `json:"triggers"`
			Balances map[string]string `json:"balances"`
			Entries  []struct {
				Event string `json:"event"`
				Lines []struct {
					Account, Debit, Credit string
				} `json:"lines"`
			} `json:"entries"`
		} `json:"books"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Books) != 4 {
		t.Fatalf("%d books, want 4", len(doc.Books))
	}
	pc := doc.Books[1]
	if pc.Name != "purchase+completion" || pc.Method != "backflush" || strings.Join(pc.Triggers, ",") != "purchase,completion" {
		t.Errorf("book 2 is %s %s %v", pc.Name, pc.Method, pc.Triggers)
	}
	if got := pc.Balances["finished_goods"]; got != "45000.00" {
		t.Errorf("finished_goods = %s, want 45000.00", got)
	}
	if got := pc.Balances["cogs"]; got != "920000.00" {
		t.Errorf("cogs = %s, want 920000.00", got)
	}
}

// TestEventsFile posts a JSON Lines file after the scenario: x2 is a new
// sale of 500 cables dated after the August close, x1 repeats a scenario
// event with the same content and must change nothing.
func TestEventsFile(t *testing.T) {
	code, out, stderr := runMain(t, "run", "../../testdata/acton/scenario.yaml", "--events", "testdata/more.jsonl", "--book", "purchase+completion")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// 1,000 cables at 45 in finished goods less 500 sold = 22,500.
	for _, s := range []string{"2026-09-01  x2", "inventory: finished_goods                 22,500.00"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
}

func TestWhy(t *testing.T) {
	code, out, stderr := runMain(t, "why", "../../testdata/bike/scenario.yaml", "--book", "purchase+completion", "--account", "materials_in_process", "--event", "f2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, s := range []string{"bike>frame>steel", "290.4", "580.80", "bike>coat>paint", "211.20"} {
		if !strings.Contains(out, s) {
			t.Errorf("why output lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "p1") {
		t.Errorf("--event f2 shows other events:\n%s", out)
	}
}

func TestDemo(t *testing.T) {
	code, out, stderr := runMain(t, "demo", "--out", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, s := range []string{"Comparison across books", "Why the books differ", "purchase+sale", "operating income"} {
		if !strings.Contains(out, s) {
			t.Errorf("demo output lacks %q", s)
		}
	}
}

func TestReports(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"report", "throughput", "../../testdata/kaplan-x/scenario.yaml"}, 0, []string{"28.3333", "20.0000", "1.4167"}},
		{[]string{"report", "throughput", "../../testdata/kaplan-x/scenario.yaml", "--format", "json"}, 0, []string{`"ta_ratio": "1.4167"`}},
		{[]string{"report", "income", "../../testdata/bhimani/scenario.yaml", "--book", "variable"}, 0, []string{"contribution margin", "160,000.00", "260,000.00", "960,000.00"}},
		{[]string{"report", "income", "../../testdata/bhimani/scenario.yaml", "--format", "json"}, 0, []string{`"operating_income": "826000.00"`}},
		{[]string{"report", "reconcile", "../../testdata/bhimani/scenario.yaml"}, 0, []string{"fixed manufacturing overhead in inventory", "-134,000.00"}},
		{[]string{"report", "reconcile", "../../testdata/acton/scenario.yaml", "--format", "json"}, 0, []string{`"material": true`, "conversion not inventoried"}},
		{[]string{"report", "lcnrv", "../../testdata/golf-usa/scenario.yaml", "--book", "no-lcnrv"}, 0, []string{"9694.00", "Write-down 980.00"}},
		{[]string{"report", "process", "../../testdata/fenton/scenario.yaml", "--book", "fifo"}, 0, []string{"4,584,400.00", "612,000.00"}},
		{[]string{"report", "throughput", "../../testdata/acton/scenario.yaml"}, 3, []string{"no throughput section"}},
		{[]string{"report", "process", "../../testdata/acton/scenario.yaml"}, 3, []string{"fifo or weighted_average"}},
		{[]string{"report", "reconcile", "../../testdata/acton/scenario.yaml", "--materiality", "-1"}, 3, []string{"materiality"}},
		{[]string{"report", "reconcile", "../../testdata/acton/scenario.yaml", "--gaap", "purchase+sale"}, 3, []string{"not a GAAP book"}},
		{[]string{"report", "variances", "../../testdata/controller/scenario.yaml"}, 0, []string{"sequential (the GAAP book)", "production volume", "-100.00", "reconcile to the book"}},
		{[]string{"report", "variances", "../../testdata/controller/scenario.yaml", "--book", "backflush", "--format", "json"}, 0, []string{`"chosen": "named"`, `"cause": "material_usage"`}},
		{[]string{"report", "variances", "../../testdata/controller/scenario.yaml", "--book", "nope"}, 4, []string{"no book named nope"}},
		{[]string{"report", "income", "../../testdata/bhimani/scenario.yaml", "--columns", "--book", "absorption"}, 0, []string{"YTD 2026", "1,396,000.00"}},
		{[]string{"report", "income", "../../testdata/bhimani/scenario.yaml", "--columns", "--fiscal-year-start", "13-01"}, 3, []string{"fiscal_year_start"}},
		{[]string{"report", "income", "../../testdata/bhimani/scenario.yaml", "--fiscal-year-start", "04-01"}, 3, []string{"columns layout"}},
		// The controller's reports: costed BOM, FIFO's five steps, contribution beside throughput.
		{[]string{"report", "bom", "../../testdata/bike/scenario.yaml", "--item", "bike"}, 0, []string{"Costed BOM of bike", "phantom", "Materials 10.03 + conversion 18.50 = 28.53"}},
		{[]string{"report", "bom", "../../testdata/bike/scenario.yaml", "--proposed", "../../testdata/bike/proposed.yaml", "--format", "json"}, 0, []string{`"revaluation": "26.96"`, `"total": "28.53"`}},
		{[]string{"report", "bom", "../../testdata/bike/scenario.yaml", "--item", "nope"}, 4, []string{"unknown item nope"}},
		{[]string{"report", "bom", "../../testdata/bike/scenario.yaml", "--proposed-version", "2"}, 3, []string{"configuration versions are a store's"}},
		{[]string{"report", "bom", "../../testdata/bike/scenario.yaml", "--proposed", "../../testdata/acton/scenario.yaml"}, 3, []string{"acton/scenario.yaml", "keep every item"}},
		{[]string{"report", "process", "../../testdata/fenton/scenario.yaml", "--book", "fifo"}, 0, []string{"FIFO in five steps", "cost to complete beginning WIP", "3,800,000.00", "5,196,400.00"}},
		{[]string{"report", "throughput", "../../testdata/limiting-factor/scenario.yaml", "--contribution"}, 0, []string{"Best mix by contribution", "a 150, b 60", "4,400.00"}},
		{[]string{"report", "throughput", "../../testdata/limiting-factor/scenario.yaml", "--contribution", "--format", "json"}, 0, []string{`"contribution_rank": 1`, `"profit_conversion_variable": "4400.00"`}},
		{[]string{"report", "nope", "x.yaml"}, 2, []string{"unknown report nope"}},
		{[]string{"report"}, 2, []string{"report needs a kind"}},
	}
	for _, tt := range tests {
		code, out, stderr := runMain(t, tt.args...)
		if code != tt.code {
			t.Errorf("%v: exit %d, want %d (%s)", tt.args, code, tt.code, stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(out+stderr, w) {
				t.Errorf("%v: output lacks %q", tt.args, w)
			}
		}
	}
}
