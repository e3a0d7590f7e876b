package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// commandHelp is what `backflush CMD --help` says besides the flags: the
// synopsis after the command's name and what it does.
type commandHelp struct {
	args    string
	summary string
}

// helps holds every command's and subcommand's help, by its name as typed
// ("run", "token create", "report income"). The tests walk it: every entry
// must answer --help on standard output with exit 0.
var helps = map[string]commandHelp{
	"run": {"FILE [flags]", "Cost a scenario file's events (then those of --events: JSON Lines, or CSV for a .csv name) " +
		"in every book it names and print each book's trial balance, then the comparison across books and why they differ."},
	"why": {"[FILE] --book NAME --account ID [flags]", "List every line that moved an account, with the event, the rule and " +
		"the BOM component behind it (the audit trail). Without FILE, the books of the store (--db or --pg)."},
	"demo": {"[flags]", "Simulate a just-in-time pull plant (the built-in vehicle plant, or --plant) for N working days, cost it " +
		"in every book, print the comparison and the JIT measures, compare a steady and a disturbed run, and write one " +
		"self-contained HTML report with charts. --print-scenario prints the plant and its run as a scenario that " +
		"`backflush init` takes."},
	"serve": {"[--db FILE | --pg DSN] [--addr 127.0.0.1:8080]", "Serve the JSON API (/api/v1, described at /openapi.json), " +
		"/healthz, /metrics and the dashboard (log in with a token) until SIGINT/SIGTERM."},
	"token":        {"create|list|delete [flags]", "Manage API tokens in the store: create prints the secret once; list shows names, roles and hashes; delete by --name or --hash."},
	"token create": {"--name N --role viewer|operator|controller|admin [flags]", "Create an API token and print its secret once (the store keeps only its SHA-256)."},
	"token list":   {"[--db FILE | --pg DSN]", "List the API tokens: name, role, creation time and hash."},
	"token delete": {"--name N | --hash H [--db FILE | --pg DSN]", "Delete the tokens of a name, or the one token of a hash."},
	"export": {"[FILE] --to ledger|hledger|beancount|csv|xlsx|master [flags]", "One book's journal (or one period) for ledger, " +
		"hledger or beancount, as CSV, or as an Excel workbook (journal, trial balance, income statements); --to master -o DIR " +
		"writes items, BOM lines and events as CSV. Without FILE, the books of the store (--db or --pg)."},
	"import": {"--items FILE --bom FILE [--events FILE] [flags] -o SCENARIO.yaml", "Bring an ERP's item master, " +
		"BOM lines and events in from CSV as a scenario file; every bad row is reported with its file and line."},
	"report": {"income|reconcile|throughput|lcnrv|process|variances|bom [FILE] [flags]", "The reports, from a scenario file or, " +
		"without FILE, from the store (--db or --pg). `backflush report KIND --help` lists a report's flags."},
	"report income":     {"[FILE] [flags]", "Income statements per book and period in each scope's format; --columns lays the periods out as columns with the year to date."},
	"report reconcile":  {"[FILE] [flags]", "The reconciliations between methods and of each backflush book to the GAAP book, with materiality and the adjusting entries."},
	"report throughput": {"[FILE] [flags]", "Throughput per unit and per bottleneck minute, the ranking and the best mix (--contribution: contribution per minute of the limiting factor beside it)."},
	"report lcnrv":      {"[FILE] [flags]", "The lower of cost and net realizable value test of a book."},
	"report process":    {"[FILE] [flags]", "Process costing of an actual-cost book (FIFO in the textbook's five steps)."},
	"report variances":  {"[FILE] [flags]", "A book's variances by period, item and cause, with the events behind each, reconciled to the book's variance accounts."},
	"report bom":        {"[FILE] [flags]", "The costed BOM of every finished item (or --item), and with --proposed or --proposed-version what new standards change."},
	"bench": {"[flags]", "Measure the engine on synthetic plants and print each figure against its target (BENCHMARKS.md): quick " +
		"sizes by default, --full for the sizes the targets name."},
	"init":            {"SCENARIO [--admin NAME] [flags]", "Store a plant's configuration (and its events) in a new store: the only command that creates one."},
	"ingest":          {"FILE|- ... [flags]", "Post JSON Lines or CSV events in durable batches, each all or nothing; - reads standard input."},
	"show":            {"[flags]", "The books kept in the store, as run prints a scenario's."},
	"close":           {"--date D [--reason R] [flags]", "Close the period through a date: its events and entries can no longer change."},
	"reverse":         {"--event ID --date D [flags]", "Post a correction that undoes an earlier event, in the open period, linked to the original."},
	"queue":           {"[list|reprocess] [flags]", "The failed-backflush queue: list it (the default), or re-process it."},
	"queue list":      {"[flags]", "List the failed-backflush queue: each component short, for which event."},
	"queue reprocess": {"[--item ID] [--date D] [flags]", "Flush the queue's entries again now that stock is on hand."},
	"recost":          {"SCENARIO --effective D [--note N] [flags]", "New standards from a date: re-costs the open period and keeps the previous journal."},
}

// subcommands lists the commands that take a subcommand.
var subcommands = map[string][]string{
	"token":  {"create", "list", "delete"},
	"queue":  {"list", "reprocess"},
	"report": {"income", "reconcile", "throughput", "lcnrv", "process", "variances", "bom"},
}

// helpRequested is returned by parseFlags for -h or --help: run prints the
// command's help on standard output and exits 0.
type helpRequested struct{ fs *flag.FlagSet }

func (h helpRequested) Error() string { return "help requested" }

// usageError is a command line that cannot run as given: exit 2, the
// message and the command's usage on standard error.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

// newFlagSet returns a flag set for a command ("run", "token create") that
// reports its errors rather than printing them: parseFlags turns them into
// help or usage errors.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args with fs: -h or --help is helpRequested, any other
// flag error a usageError.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		return helpRequested{fs}
	}
	return usageError{fs.Name() + ": " + err.Error()}
}

// writeHelp writes a command's help: its synopsis, what it does, and its
// flags with their defaults.
func writeHelp(w io.Writer, fs *flag.FlagSet) {
	name := fs.Name()
	h := helps[name]
	fmt.Fprintf(w, "Usage: backflush %s %s\n\n%s\n", name, h.args, wrap(h.summary, 78))
	if subs := subcommands[name]; len(subs) > 0 {
		fmt.Fprintf(w, "\nSubcommands:\n")
		for _, s := range subs {
			fmt.Fprintf(w, "  %-12s %s\n", s, strings.TrimSpace(indent(wrap(firstSentence(helps[name+" "+s].summary), 64), strings.Repeat(" ", 15))))
		}
	}
	first := true
	fs.VisitAll(func(f *flag.Flag) {
		if first {
			fmt.Fprintf(w, "\nFlags:\n")
			first = false
		}
		typ, usage := flag.UnquoteUsage(f)
		dash := "--"
		if len(f.Name) == 1 {
			dash = "-"
		}
		line := "  " + dash + f.Name
		if typ != "" {
			line += " " + typ
		}
		fmt.Fprintln(w, line)
		// The --pg default comes from BACKFLUSH_PG_DSN, which may hold a
		// password: never shown.
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.Name != "pg" {
			usage += " (default " + f.DefValue + ")"
		}
		fmt.Fprintln(w, indent(wrap(usage, 72), "      "))
	})
}

// helpFor returns the help text of the command args name (and its
// subcommand), or "" when none is known.
func helpFor(args []string) string {
	if len(args) == 0 {
		return ""
	}
	name := args[0]
	if len(args) > 1 && helps[name+" "+args[1]].summary != "" {
		name += " " + args[1]
	}
	if helps[name].summary == "" {
		return ""
	}
	var b bytes.Buffer
	// Every command answers --help before touching a file or a store.
	_ = run(append(strings.Fields(name), "--help"), &b, io.Discard)
	return b.String()
}

// noFlagsHelp writes the help of a command (token, report, queue) asked
// for without a subcommand.
func noFlagsHelp(w io.Writer, name string) error {
	writeHelp(w, newFlagSet(name))
	return nil
}

func isHelp(s string) bool { return s == "-h" || s == "--help" || s == "-help" }

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// wrap breaks text at spaces into lines of at most n runes.
func wrap(s string, n int) string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(word)) > n {
			lines = append(lines, line)
			line = word
			continue
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return strings.Join(append(lines, line), "\n")
}

func indent(s, by string) string { return by + strings.ReplaceAll(s, "\n", "\n"+by) }

// version says which build this is: the module's version and the VCS
// revision the go command stamped into the binary (runtime/debug), so that
// a bug report names the code it ran.
func version() string {
	v, rev, when, modified := "(unknown)", "unknown", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		out := "backflush " + v + "\nrevision " + rev
		if modified {
			out += " (modified)"
		}
		if when != "" {
			out += ", committed " + when
		}
		return out + "\n" + bi.GoVersion + "\n"
	}
	return "backflush " + v + "\nrevision " + rev + "\n"
}
