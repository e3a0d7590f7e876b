// Command backflush costs a plant's shop-floor events in several books side
// by side: sequential tracking and backflush at each trigger point.
//
//	backflush run FILE [--events EVENTS.jsonl|.csv] [--book NAME] [--format text|json]
//	backflush why [FILE] --book NAME --account ID [--event ID]
//	backflush demo [--plant FILE] [--days N] [--seed N] [--disturb LIST] [--html FILE] [--format text|json]
//	backflush demo --print-scenario [--events-out FILE] > SCENARIO.yaml
//	backflush serve [--db FILE | --pg DSN] [--addr 127.0.0.1:8080]
//	backflush token create|list|delete [--db FILE | --pg DSN] [--name N] [--role ROLE] [--hash H]
//	backflush export [FILE] --book NAME --to ledger|hledger|beancount|csv|xlsx|master [--period N] [--chart CHART] [-o OUT]
//	backflush import --items FILE --bom FILE [--events FILE] [--map SPEC] [--skip-bad-rows] -o SCENARIO.yaml
//	backflush report income|reconcile|throughput|lcnrv|process|variances|bom [FILE] [flags]
//	backflush bench [--full] [--only SECTIONS] [--pg DSN] [--svg FILE] [--json FILE]
//
// and, on the plant's store (--db FILE or --pg DSN):
//
//	backflush init SCENARIO [--admin NAME]
//	backflush ingest FILE|- ... [--batch N] [--acks FILE]
//	backflush show [--book] [--journal] [--previous]
//	backflush close --date D [--reason R]
//	backflush reverse --event ID --date D
//	backflush queue [list|reprocess] [--item ID]
//	backflush recost SCENARIO --effective D [--note N]
//	backflush help [CMD [SUBCMD]], backflush CMD --help, backflush --version
//
// Without FILE, why, export and report read the store. Text output groups
// amounts in thousands and fits 100 columns (--plain, --wide).
//
// Exit codes: 0 success, 1 internal error, 2 usage, 3 invalid input,
// 4 not found, 5 conflict, 6 closed period, 7 insufficient stock.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/textfmt"
	"github.com/backflush/backflush/report"
)

const usage = `backflush — cost-accounting for just-in-time manufacturing

Usage:
  backflush run FILE [--events EVENTS.jsonl|.csv] [--book NAME] [--format text|json]
      Cost a scenario file's events (then those of --events: JSON Lines, or
      CSV for a .csv name) in every book it names and print each book's
      journal and trial balance, then the comparison across books and why
      they differ.
  backflush why [FILE] --book NAME --account ID [--event ID]
      List every line that moved an account, with the event, the rule and the
      BOM component behind it (the audit trail).
  backflush demo [--plant FILE] [--days N] [--seed N] [--disturb LIST]
                 [--compare-disturbed=false] [--html FILE | --out DIR | --no-report]
                 [--events-out FILE.jsonl|FILE.csv] [--format text|json] [--journal]
      Simulate a just-in-time pull plant (the built-in vehicle plant, or
      --plant) for N working days (30), cost it in every book, print the
      comparison and the JIT measures, compare a steady and a disturbed run
      (--disturb: none, all, or late,defects,surge), and write one
      self-contained HTML report (./backflush-report.html) with charts.
      --print-plant prints the built-in plant file; --print-scenario prints
      the plant as a scenario for init (with --events-out, the run's events
      for ingest: the README's four commands from the demo to the service).
  backflush serve [--db FILE | --pg DSN] [--addr 127.0.0.1:8080]
      Serve the JSON API (/api/v1, described at /openapi.json), /healthz,
      /metrics and the dashboard (log in with a token) until SIGINT/SIGTERM.
  backflush token create|list|delete [--db FILE | --pg DSN]
                 [--name N] [--role viewer|operator|controller|admin] [--hash H]
      API tokens: create prints the secret once; delete by --name or --hash.
  backflush export [FILE] --book NAME --to ledger|hledger|beancount|csv|xlsx
                 [--period N] [--chart CHART] [--events FILE] [-o OUT]
      One book's journal (or one period) for ledger, hledger or beancount,
      as CSV, or as an Excel workbook (journal, trial balance, income
      statements); --to master -o DIR writes items, BOM lines and events as
      CSV. run, why and report take --chart CHART too (docs/interop.md).
  backflush import --items FILE --bom FILE [--events FILE] [--map SPEC]
                 [--map-file FILE] [--chart CHART] [--skip-bad-rows] -o SCENARIO.yaml
      Bring an ERP's item master, BOM lines and events in from CSV as a
      scenario file; every bad row is reported with its file and line.
  backflush report income|reconcile|throughput|lcnrv|process|variances|bom [FILE] [flags]
      Income statements per book and period in each method's format
      (--columns: periods as columns with the year to date); the
      reconciliations between methods and of backflush books to GAAP; the
      throughput analysis and best mix (--contribution: contribution per
      minute of the limiting factor beside it); the LCNRV test; process
      costing (FIFO in the textbook's five steps); a book's variances by
      period, item and cause, reconciled to the book; the costed BOM
      (--item X, --proposed FILE2: the effect of new standards).
      backflush report KIND --help lists a report's flags.
  backflush bench [--full] [--only SECTIONS] [--pg DSN] [--svg FILE] [--json FILE]
      Measure the engine on synthetic plants and print each figure against
      its target (BENCHMARKS.md): quick sizes by default, --full for the
      sizes the targets name.

The plant's store (embedded SQLite file --db, default backflush.db; or
PostgreSQL with --pg DSN or BACKFLUSH_PG_DSN):
  backflush init SCENARIO            store the configuration (and its events);
                                     --admin NAME: the first admin token
  backflush ingest FILE|- ...        post JSONL or CSV events in durable batches
                                     (--batch N, --acks FILE)
  backflush show [--book] [--journal] [--previous]
                                     the books kept in the store
  backflush close --date D [--reason R]
  backflush reverse --event ID --date D
  backflush queue [list|reprocess] [--item ID]
  backflush recost SCENARIO --effective D [--note N]
                                     new standards from a date: re-costs the
                                     open period, keeps the previous journal

Without FILE, why, export and report read the store. Text output groups
amounts in thousands (--plain: raw digits) and fits 100 columns (--wide:
as wide as it is). Every command's flags: backflush help CMD, or
backflush CMD --help. backflush --version names the build.
`

// exitCode maps an error to the process exit code of its kind, or to the
// code the error gives itself (an import that skipped rows).
func exitCode(err error) int {
	var own interface{ ExitCode() int }
	if errors.As(err, &own) {
		return own.ExitCode()
	}
	return bf.ErrorKind(err).ExitCode()
}

func main() {
	os.Exit(runMainArgs(os.Args[1:], os.Stdout, os.Stderr))
}

// runMainArgs runs a command line and returns its exit code: a usage error
// is 2, with the message and then the command's usage on standard error;
// any other error exits with its kind's code.
func runMainArgs(args []string, stdout, stderr io.Writer) int {
	err := run(args, stdout, stderr)
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "backflush:", err)
	var ue usageError
	if errors.As(err, &ue) {
		if h := helpFor(args); h != "" {
			fmt.Fprint(stderr, "\n"+h)
		} else {
			fmt.Fprint(stderr, "\n"+usage)
		}
		return 2
	}
	return exitCode(err)
}

// run runs a command line. Help asked for with -h or --help, anywhere on a
// command's line, goes to stdout and is no error.
func run(args []string, stdout, stderr io.Writer) error {
	err := dispatch(args, stdout, stderr)
	var h helpRequested
	if errors.As(err, &h) {
		writeHelp(stdout, h.fs)
		return nil
	}
	return err
}

func dispatch(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"a command is needed"}
	}
	switch args[0] {
	case "export":
		return cmdExport(args[1:], stdout, stderr)
	case "import":
		return cmdImport(args[1:], stdout, stderr)
	case "run":
		return cmdRun(args[1:], stdout, stderr)
	case "why":
		return cmdWhy(args[1:], stdout, stderr)
	case "report":
		return cmdReport(args[1:], stdout, stderr)
	case "init":
		return cmdInit(args[1:], stdout, stderr)
	case "ingest":
		return cmdIngest(args[1:], stdout, stderr)
	case "show":
		return cmdShow(args[1:], stdout, stderr)
	case "close":
		return cmdClose(args[1:], stdout, stderr)
	case "reverse":
		return cmdReverse(args[1:], stdout, stderr)
	case "queue":
		return cmdQueue(args[1:], stdout, stderr)
	case "recost":
		return cmdRecost(args[1:], stdout, stderr)
	case "demo":
		return cmdDemo(args[1:], stdout, stderr)
	case "serve":
		return cmdServe(args[1:], stdout, stderr)
	case "token":
		return cmdToken(args[1:], stdout, stderr)
	case "bench":
		return cmdBench(args[1:], stdout, stderr)
	case "help", "-h", "--help", "-help":
		if len(args) > 1 && args[0] == "help" {
			if h := helpFor(args[1:]); h != "" {
				fmt.Fprint(stdout, h)
				return nil
			}
			return usageError{"no help for " + strings.Join(args[1:], " ") + ": not a command"}
		}
		fmt.Fprint(stdout, usage)
		return nil
	case "version", "--version", "-version":
		fmt.Fprint(stdout, version())
		return nil
	}
	return usageError{"unknown command " + args[0]}
}

// parse parses flags that may come before or after the one positional argument.
func parse(fs *flag.FlagSet, args []string, positional int) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) != positional {
		switch {
		case positional == 0:
			return nil, usageError{fmt.Sprintf("%s takes no argument, got %s", fs.Name(), strings.Join(pos, " "))}
		case len(pos) == 0:
			return nil, usageError{fmt.Sprintf("%s needs a file argument", fs.Name())}
		}
		return nil, usageError{fmt.Sprintf("%s takes %s, got %d", fs.Name(), textfmt.Plural(positional, "file argument", "file arguments"), len(pos))}
	}
	return pos, nil
}

func cmdRun(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run")
	book := fs.String("book", "", "show only this book's journal and trial balance")
	format := fs.String("format", "text", "output format: text or json")
	events := fs.String("events", "", "events posted after the scenario's own: JSON Lines, or CSV when the name ends in .csv")
	chart := chartFlag(fs)
	style := styleFlags(fs)
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	stdout, flush, err := style.forFormat(stdout, *format)
	if err != nil {
		return err
	}
	defer flush()
	in, err := loadInput(pos[0], *chart, *events)
	if err != nil {
		return err
	}
	l, err := in.build()
	if err != nil {
		return err
	}
	o := report.Options{Title: in.cfg.Name, Chart: &in.cfg.Chart, Book: *book}
	err = report.Write(stdout, l, report.Request{Kind: report.KindBooks, JSON: *format == "json", Options: o})
	for _, w := range costing.ExternalCloseWarnings(l, -1, costing.DefaultMateriality) {
		fmt.Fprintln(stderr, "warning: "+w.Message(l))
	}
	return err
}

// cmdWhy lists every line that moved an account: the audit trail, from
// a scenario file or from the store.
func cmdWhy(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("why")
	book := fs.String("book", "", "the book (required)")
	account := fs.String("account", "", "the account's default id (required)")
	event := fs.String("event", "", "only the lines of this event")
	src := addSourceFlags(fs)
	style := styleFlags(fs)
	file, err := parseSource(fs, args)
	if err != nil {
		return err
	}
	stdout, flush := style.out(stdout)
	defer flush()
	if *book == "" || *account == "" {
		return usageError{"why needs --book and --account"}
	}
	a, ok := bf.ParseAccount(*account)
	if !ok {
		return bf.E("why", bf.KindNotFound, bf.Field("account"), "unknown account "+*account)
	}
	return src.withLedger(file, func(l *costing.Ledger, cfg *bf.Config) error {
		if err := report.CheckBook(l, *book); err != nil {
			return err
		}
		return report.WriteWhy(stdout, l, l.Book(*book), a, *event, &cfg.Chart)
	})
}
