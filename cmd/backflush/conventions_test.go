package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/backflush/backflush/internal/jsoncheck"
	"github.com/backflush/backflush/internal/testenv"
)

// call runs a command line in process, as main does, and returns its exit
// code, standard output and standard error.
func call(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := runMainArgs(args, &out, &errb)
	return code, out.String(), errb.String()
}

// commandNames returns every command and subcommand that has help, sorted.
func commandNames() []string {
	var names []string
	for name := range helps {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// TestHelpOnStdoutExitZero: -h, --help and `backflush help CMD` print the
// command's help on standard output with exit 0, for every command and
// subcommand, and nothing on standard error.
func TestHelpOnStdoutExitZero(t *testing.T) {
	for _, name := range commandNames() {
		words := strings.Fields(name)
		for _, form := range [][]string{
			append(append([]string{}, words...), "--help"),
			append(append([]string{}, words...), "-h"),
			append([]string{"help"}, words...),
		} {
			t.Run(strings.Join(form, " "), func(t *testing.T) {
				code, out, stderr := call(form...)
				if code != 0 || stderr != "" {
					t.Fatalf("exit %d, stderr %q", code, stderr)
				}
				if !strings.HasPrefix(out, "Usage: backflush "+name+" ") {
					t.Fatalf("stdout does not start with the usage:\n%s", out)
				}
				if subs := subcommands[name]; len(subs) > 0 && !strings.Contains(out, "Subcommands:") {
					t.Errorf("help of %s lists no subcommands:\n%s", name, out)
				}
				for i, ln := range strings.Split(out, "\n") {
					if n := utf8.RuneCountInString(ln); n > 100 {
						t.Errorf("help line %d is %d columns wide: %q", i+1, n, ln)
					}
				}
			})
		}
	}
	// A help flag after arguments and other flags is help too.
	if code, out, _ := call("run", "nope.yaml", "--book", "x", "--help"); code != 0 || !strings.HasPrefix(out, "Usage: backflush run") {
		t.Errorf("run FILE --book x --help: exit %d, %q", code, out)
	}
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		if code, out, _ := call(args...); code != 0 || !strings.Contains(out, "backflush run FILE") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
}

// TestUsageErrors: an unknown flag, a missing or extra argument, an
// unknown command or subcommand exit 2 with the message and the command's
// usage on standard error, and nothing on standard output.
func TestUsageErrors(t *testing.T) {
	for _, name := range commandNames() {
		words := strings.Fields(name)
		t.Run(name+" --no-such-flag", func(t *testing.T) {
			code, out, stderr := call(append(words, "--no-such-flag")...)
			if code != 2 || out != "" {
				t.Fatalf("exit %d, stdout %q, want 2 and nothing", code, out)
			}
			if !strings.HasPrefix(stderr, "backflush: ") || !strings.Contains(stderr, "Usage: backflush "+words[0]) {
				t.Fatalf("stderr lacks the message or the usage:\n%s", stderr)
			}
		})
	}
	for _, c := range []struct {
		args  []string
		msg   string
		usage string
	}{
		{[]string{"run"}, "run needs a file argument", "Usage: backflush run FILE"},
		{[]string{"run", "a.yaml", "b.yaml"}, "run takes 1 file argument, got 2", "Usage: backflush run FILE"},
		{[]string{"init"}, "init needs a file argument", "Usage: backflush init SCENARIO"},
		{[]string{"recost", "--effective", "2026-01-01"}, "recost needs a file argument", "Usage: backflush recost"},
		{[]string{"close", "extra"}, "close takes no argument, got extra", "Usage: backflush close"},
		{[]string{"ingest"}, "ingest needs event files", "Usage: backflush ingest"},
		{[]string{"token"}, "token needs create, list or delete", "Usage: backflush token create|list|delete"},
		{[]string{"token", "frob"}, "token needs create, list or delete", "Usage: backflush token"},
		{[]string{"report"}, "report needs a kind", "Usage: backflush report income|"},
		{[]string{"report", "frob"}, "unknown report frob", "Usage: backflush report"},
		{[]string{"queue", "frob"}, "queue takes list or reprocess, not frob", "Usage: backflush queue"},
		{[]string{"frobnicate"}, "unknown command frobnicate", "backflush run FILE"},
		{[]string{"help", "frobnicate"}, "no help for frobnicate", "backflush run FILE"},
		{nil, "a command is needed", "backflush run FILE"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, out, stderr := call(c.args...)
			if code != 2 || out != "" {
				t.Fatalf("exit %d, stdout %q, want 2 and nothing", code, out)
			}
			if !strings.Contains(stderr, c.msg) || !strings.Contains(stderr, c.usage) {
				t.Fatalf("stderr lacks %q or %q:\n%s", c.msg, c.usage, stderr)
			}
		})
	}
}

// TestVersion: --version names the module's version and the revision the
// build info holds (or says it is unknown), exit 0.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, stderr := call(args...)
		if code != 0 || stderr != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) < 2 || !strings.HasPrefix(lines[0], "backflush ") || !strings.HasPrefix(lines[1], "revision ") {
			t.Fatalf("%v printed %q", args, out)
		}
	}
}

// TestReadCommandsNeverCreateAStore: every command but init, pointed at a
// store that is not there, says so and leaves no file behind.
func TestReadCommandsNeverCreateAStore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "backflush.db")
	for _, args := range [][]string{
		{"show"}, {"report", "income"}, {"report", "variances"}, {"queue"}, {"queue", "list"}, {"token", "list"},
		{"ingest", "testdata/more.jsonl"}, {"close", "--date", "2026-09-30"}, {"reverse", "--event", "x", "--date", "2026-09-30"},
		{"recost", "../../testdata/acton/scenario.yaml", "--effective", "2026-10-01"}, {"serve", "--addr", "127.0.0.1:0"},
		{"token", "create", "--name", "a", "--role", "admin"},
	} {
		code, _, stderr := call(append(args, "--db", db)...)
		if code != 4 || !strings.Contains(stderr, "no store here") || !strings.Contains(stderr, "backflush init") {
			t.Errorf("%v: exit %d, stderr %q; want 4 and how to make one", args, code, stderr)
		}
		if _, err := os.Stat(db); err == nil {
			t.Fatalf("%v created %s", args, db)
		}
	}
	// A scenario init refuses leaves no store either.
	if code, _, _ := call("init", "--db", db, "testdata/bad-event.yaml"); code != 3 {
		t.Errorf("init of a bad scenario: exit %d, want 3", code)
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatalf("a refused init left %s", db)
	}
}

// TestAmountsGroupedUnlessPlain: text amounts are grouped in thousands by
// default, raw digits with --plain; tables fit 100 columns unless --wide.
func TestAmountsGroupedUnlessPlain(t *testing.T) {
	const file = "../../testdata/acton/scenario.yaml"
	_, grouped, _ := call("run", file)
	_, plain, _ := call("run", file, "--plain")
	if !strings.Contains(grouped, "1,200,000.00") || strings.Contains(grouped, "1200000.00") {
		t.Errorf("run does not group thousands by default")
	}
	if !strings.Contains(plain, "1200000.00") || strings.Contains(plain, "1,200,000.00") {
		t.Errorf("run --plain groups thousands")
	}
	for _, args := range [][]string{
		{"run", file}, {"why", file, "--book", "sequential", "--account", "cogs"},
		{"report", "reconcile", file}, {"report", "income", "../../testdata/controller/scenario.yaml", "--columns"},
		{"report", "variances", "../../testdata/controller/scenario.yaml"},
		{"report", "throughput", "../../testdata/limiting-factor/scenario.yaml", "--contribution"},
		{"report", "bom", "../../testdata/bike/scenario.yaml", "--proposed", "../../testdata/bike/proposed.yaml"},
		{"demo", "--no-report", "--days", "5", "--journal", "--disturb", "all"},
	} {
		code, out, stderr := call(args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		for _, ln := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(ln); n > 100 {
				t.Errorf("%v: a line %d columns wide: %q", args, n, ln)
			}
		}
		_, wide, _ := call(append(args, "--wide")...)
		if strings.Join(strings.Fields(wide), " ") == "" {
			t.Errorf("%v --wide printed nothing", args)
		}
	}
}

// TestPlurals: one is singular.
func TestPlurals(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	if code, _, stderr := call("init", "--db", db, "../../testdata/acton/scenario.yaml"); code != 0 {
		t.Fatal(stderr)
	}
	ev := filepath.Join(dir, "one.jsonl")
	os.WriteFile(ev, []byte(`{"id":"i1","date":"2026-09-02","type":"purchase","item":"dm","qty":"100","unit_cost":"1.10"}`+"\n"), 0o644)
	code, out, stderr := call("ingest", "--db", db, ev)
	if code != 0 || !strings.Contains(out, "accepted 1 event,") {
		t.Errorf("ingest of one event: exit %d, %q %q", code, out, stderr)
	}
}

// TestJSONOutputIsSnakeCase: every --format json the CLI writes — run and
// every report on every case of testdata, the demo — names its fields in
// snake_case, as the API does.
func TestJSONOutputIsSnakeCase(t *testing.T) {
	cases, err := filepath.Glob("../../testdata/*/scenario.yaml")
	if err != nil || len(cases) < 10 {
		t.Fatalf("%d cases: %v", len(cases), err)
	}
	var runs [][]string
	for _, f := range cases {
		runs = append(runs, []string{"run", f})
		for _, k := range subcommands["report"] {
			runs = append(runs, []string{"report", k, f})
		}
	}
	runs = append(runs, []string{"demo", "--no-report", "--days", "3"},
		[]string{"report", "throughput", "../../testdata/limiting-factor/scenario.yaml", "--contribution"})
	checked := 0
	for _, args := range runs {
		code, out, _ := call(append(args, "--format", "json")...)
		if code != 0 {
			continue // a report the case does not keep (no actual-cost book, no throughput section)
		}
		bad, err := jsoncheck.NonSnakeKeys([]byte(out))
		if err != nil {
			t.Errorf("%v: not JSON: %v", args, err)
			continue
		}
		for _, k := range bad {
			t.Errorf("%v: key %s is not snake_case", args, k)
		}
		checked++
	}
	if checked < 50 {
		t.Fatalf("only %d documents checked", checked)
	}
}

// TestReadsFromFileOrStore: export, why and every report read the store
// when no file is named, and say there what they say on the scenario the
// store was made from.
func TestReadsFromFileOrStore(t *testing.T) {
	const file = "../../testdata/acton/scenario.yaml"
	db := filepath.Join(t.TempDir(), "acton.db")
	if code, _, stderr := call("init", "--db", db, file); code != 0 {
		t.Fatal(stderr)
	}
	reads := [][]string{
		{"export", "--book", "sequential", "--to", "ledger"},
		{"export", "--book", "purchase+completion", "--to", "beancount", "--period", "1"},
		{"export", "--book", "completion", "--to", "csv"},
		{"why", "--book", "purchase+completion", "--account", "finished_goods"},
		{"why", "--book", "sequential", "--account", "cogs", "--plain"},
	}
	for _, k := range subcommands["report"] {
		reads = append(reads, []string{"report", k}, []string{"report", k, "--format", "json"})
	}
	for _, args := range reads {
		fcode, fromFile, ferr := call(append(append([]string{}, args...), file)...)
		scode, fromStore, serr := call(append(append([]string{}, args...), "--db", db)...)
		if fcode != 0 {
			ferr, serr = "", "" // the error names its source: the file, or the store's configuration version
		}
		if fcode != scode || fromFile != fromStore || ferr != serr {
			t.Errorf("%v: from the file exit %d, from the store exit %d\nfile:\n%s%s\nstore:\n%s%s", args, fcode, scode, fromFile, ferr, fromStore, serr)
		}
	}
	// The reports that need more than Acton keeps: throughput, process costing.
	for _, c := range []struct{ file, kind string }{
		{"../../testdata/limiting-factor/scenario.yaml", "throughput"},
		{"../../testdata/fenton/scenario.yaml", "process"},
		{"../../testdata/golf-usa/scenario.yaml", "lcnrv"},
	} {
		db := filepath.Join(t.TempDir(), c.kind+".db")
		if code, _, stderr := call("init", "--db", db, c.file); code != 0 {
			t.Fatal(stderr)
		}
		fcode, fromFile, ferr := call("report", c.kind, c.file)
		scode, fromStore, serr := call("report", c.kind, "--db", db)
		if fcode != 0 || scode != 0 || fromFile != fromStore {
			t.Errorf("report %s: from the file exit %d, from the store exit %d\n%s%s\n%s%s", c.kind, fcode, scode, fromFile, ferr, fromStore, serr)
		}
	}
	// The store's master data and events are the scenario's.
	dir := t.TempDir()
	if code, _, stderr := call("export", "--to", "master", "-o", filepath.Join(dir, "file"), file); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := call("export", "--to", "master", "-o", filepath.Join(dir, "store"), "--db", db); code != 0 {
		t.Fatal(stderr)
	}
	for _, name := range []string{"items.csv", "bom.csv", "events.csv"} {
		a, _ := os.ReadFile(filepath.Join(dir, "file", name))
		b, _ := os.ReadFile(filepath.Join(dir, "store", name))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s from the store differs from the file's:\n%s\n%s", name, a, b)
		}
	}
	// --events belongs to a file.
	if code, _, stderr := call("export", "--db", db, "--to", "ledger", "--book", "sequential", "--events", "testdata/more.jsonl"); code != 2 || !strings.Contains(stderr, "backflush ingest") {
		t.Errorf("export --db --events: exit %d, %s", code, stderr)
	}
}

// TestErrorsSayWhereAndWhatNext: an event refused in an ingested batch
// names its file and line, an impossible date says why, and the closed
// period says how to proceed.
func TestErrorsSayWhereAndWhatNext(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	if code, _, stderr := call("init", "--db", db, "../../testdata/acton/scenario.yaml"); code != 0 {
		t.Fatal(stderr)
	}
	write := func(name, body string) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	good := `{"id":"i1","date":"2026-09-02","type":"purchase","item":"dm","qty":"100","unit_cost":"1.10"}` + "\n"
	for _, c := range []struct {
		name, body string
		code       int
		want       []string
	}{
		{"unknown.jsonl", good + `{"id":"i2","date":"2026-09-03","type":"purchase","item":"zz","qty":"2","unit_cost":"1"}` + "\n",
			4, []string{"unknown.jsonl:2:", `event "i2"`, "field item", "unknown item zz"}},
		{"unknown.csv", "id,date,type,item,qty,unit_cost\ni3,2026-09-02,purchase,dm,1,1\ni4,2026-09-03,purchase,zz,2,1\n",
			4, []string{"unknown.csv:3:", `event "i4"`, "unknown item zz"}},
		{"date.jsonl", `{"id":"i5","date":"2026-02-30","type":"purchase","item":"dm","qty":"1","unit_cost":"1"}` + "\n",
			3, []string{"date.jsonl:1:", "February 2026 has 28 days"}},
		{"closed.jsonl", `{"id":"i6","date":"2026-08-20","type":"purchase","item":"dm","qty":"1","unit_cost":"1"}` + "\n",
			6, []string{"closed.jsonl:1:", "closed through 2026-08-31", "date the event after 2026-08-31", "backflush reverse"}},
	} {
		code, _, stderr := call("ingest", "--db", db, write(c.name, c.body))
		if code != c.code {
			t.Errorf("%s: exit %d, want %d: %s", c.name, code, c.code, stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: stderr %q lacks %q", c.name, stderr, w)
			}
		}
	}
	code, _, stderr := call("close", "--db", db, "--date", "2026-04-31")
	if code != 3 || !strings.Contains(stderr, "April 2026 has 30 days") {
		t.Errorf("close --date 2026-04-31: exit %d, %s", code, stderr)
	}
}

// TestReadCommandsNeverCreateAPostgresStore: pointed at a PostgreSQL
// schema without a store, show and report say so and create no table.
func TestReadCommandsNeverCreateAPostgresStore(t *testing.T) {
	dsn := testenv.RequirePostgres(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	schema := "backflush_cli_empty_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	for _, args := range [][]string{{"show"}, {"report", "income"}, {"export", "--to", "csv"}, {"token", "list"}} {
		code, _, stderr := call(append(args, "--pg", u.String())...)
		if code != 4 || !strings.Contains(stderr, "backflush init") {
			t.Errorf("%v --pg: exit %d, %s; want 4 and how to make one", args, code, stderr)
		}
	}
	var tables int
	if err := admin.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = $1`, schema).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Fatalf("reading left %d tables in an empty schema", tables)
	}
}
