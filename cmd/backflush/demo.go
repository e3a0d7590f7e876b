package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/eventio"
	"github.com/backflush/backflush/htmlreport"
	"github.com/backflush/backflush/internal/textfmt"
	"github.com/backflush/backflush/jit"
	"github.com/backflush/backflush/report"
	"github.com/backflush/backflush/scenario"
	"github.com/backflush/backflush/sim"
	"github.com/backflush/backflush/whatif"
)

// reportName is the report's file name when only a directory (or nothing)
// is given.
const reportName = "backflush-report.html"

// cmdDemo is the main job: simulate a pull plant, cost it in every book,
// print the comparison and the JIT measures, and write the HTML report.
func cmdDemo(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo")
	plantFile := fs.String("plant", "", "a plant file (YAML, see docs/jit.md); the built-in vehicle plant by default")
	days := fs.Int("days", 30, "working days to simulate")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same events")
	disturb := fs.String("disturb", "none", "disturbances of the run: none, all, or a list of late, defects, surge")
	compare := fs.Bool("compare-disturbed", true, "also run the plant steady and disturbed and show the drift between the books")
	htmlFile := fs.String("html", "", "write the HTML report to this file (default ./"+reportName+")")
	outDir := fs.String("out", "", "write the HTML report into this directory")
	noReport := fs.Bool("no-report", false, "write no HTML report")
	eventsOut := fs.String("events-out", "", "also write the run's events to this file: .jsonl (JSON Lines) or .csv")
	trailOut := fs.String("trail-out", "", "also write the run's audit trail to this .jsonl file: each event's minute, the orders, kanban signals, deliveries and stock-outs (docs/jit.md)")
	format := fs.String("format", "text", "output format: text or json")
	journal := fs.Bool("journal", false, "print every book's journal too (text)")
	printPlant := fs.Bool("print-plant", false, "print the built-in plant file (the simulator's format, for --plant) and exit")
	suggest := fs.Bool("suggest-kanban", false, "print the plant file with each loop's cards set by the kanban formula (docs/jit.md) and exit")
	warmUp := fs.Int("warm-up", 0, "working days at the start left out of the JIT measures (the first fill of the empty stores); the books cost every day")
	level := fs.Bool("level", false, "run the final line in a levelled mixed-model sequence (heijunka) instead of arrival order")
	propose := fs.String("propose", "", "also run the disturbed plant with a proposal, side by side in the what-if: kanban (the suggested cards), level (heijunka), or kanban,level")
	safetyPct := fs.Int64("safety-pct", 10, "the kanban formula's safety factor α, in percent")
	safetyMin := fs.Int64("safety-minutes", 0, "the kanban formula's safety time S, in working minutes")
	printScenario := fs.Bool("print-scenario", false, "print the plant as a scenario that `backflush init` takes (items, BOMs, standards; the demo's books) and exit; "+
		"with --events-out, first write the run's events there, for `backflush ingest`")
	style := styleFlags(fs)
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if *printPlant && *printScenario {
		return usageError{"give --print-plant or --print-scenario, not both"}
	}
	if *printPlant {
		_, err := stdout.Write(sim.DefaultYAML())
		return err
	}
	raw := stdout // for --print-scenario: a file format, never folded
	stdout, flush, err := style.forFormat(stdout, *format)
	if err != nil {
		return err
	}
	defer flush()
	dist, ok := sim.ParseDisturbances(*disturb)
	if !ok {
		return usageError{"--disturb must be none, all, or a comma-separated list of late, defects, surge"}
	}
	if *days < 1 || *days > 36600 {
		return usageError{"--days must be 1 to 36600"}
	}
	if *warmUp < 0 || *warmUp >= *days {
		return usageError{"--warm-up must be 0 to one less than --days"}
	}
	if *htmlFile != "" && *outDir != "" {
		return usageError{"give --html or --out, not both"}
	}
	if ext := strings.ToLower(filepath.Ext(*eventsOut)); *eventsOut != "" && ext != ".jsonl" && ext != ".csv" {
		return usageError{"--events-out must name a .jsonl or .csv file"}
	}
	if *trailOut != "" && !strings.EqualFold(filepath.Ext(*trailOut), ".jsonl") {
		return usageError{"--trail-out must name a .jsonl file"}
	}
	reportPath := *htmlFile
	switch {
	case *noReport:
		reportPath = ""
	case *outDir != "":
		reportPath = filepath.Join(*outDir, reportName)
	case reportPath == "":
		reportPath = "." + string(filepath.Separator) + reportName
	}

	var proposeKanban, proposeLevel bool
	for _, p := range strings.Split(*propose, ",") {
		switch strings.TrimSpace(p) {
		case "":
		case "kanban":
			proposeKanban = true
		case "level":
			proposeLevel = true
		default:
			return usageError{"--propose must be kanban, level, or kanban,level"}
		}
	}
	if (proposeKanban || proposeLevel) && !*compare {
		return usageError{"--propose needs the what-if (drop --compare-disturbed=false)"}
	}
	if *safetyPct < 0 || *safetyPct > 1000 || *safetyMin < 0 {
		return usageError{"--safety-pct must be 0 to 1000 and --safety-minutes not negative"}
	}
	sizing := jit.SizingOptions{SafetyPct: *safetyPct, SafetyMinutes: *safetyMin}
	m := sim.Default()
	source := sim.DefaultFile
	text := sim.DefaultYAML()
	if *plantFile != "" {
		if m, err = sim.Load(*plantFile); err != nil {
			return err
		}
		source = *plantFile
		if text, err = os.ReadFile(*plantFile); err != nil {
			return bf.E("read plant", bf.KindNotFound, bf.File(*plantFile), err)
		}
	}
	if *suggest {
		out, err := suggestedText(m, source, text, sizing)
		if err != nil {
			return err
		}
		_, err = raw.Write(out) // a plant file, never folded
		return err
	}
	if *printScenario {
		return demoScenario(raw, m, source, *eventsOut, whatif.Options{Days: *days, Seed: *seed, Disturb: dist}, args)
	}

	t0 := time.Now()
	bar := newProgress(stderr)
	opt := whatif.Options{Days: *days, Seed: *seed, Disturb: dist, Progress: bar.update, Level: *level, WarmUpDays: *warmUp}
	var primary, steady, disturbed, proposed *whatif.Run
	if *compare {
		steady, disturbed, err = whatif.Compare(m, opt)
		primary = steady
		if dist != 0 {
			primary = disturbed
		}
		if err == nil && (proposeKanban || proposeLevel) {
			pm := m
			if proposeKanban {
				if pm, err = suggestedPlant(m, source, text, sizing); err != nil {
					return err
				}
			}
			po := opt
			po.Level = po.Level || proposeLevel
			po.Progress = nil
			proposed, err = whatif.Simulate(pm, "proposed", disturbed.Disturb, po)
		}
	} else {
		name := "steady"
		if dist != 0 {
			name = "disturbed"
		}
		primary, err = whatif.Simulate(m, name, dist, opt)
	}
	bar.done()
	if err != nil {
		return err
	}
	elapsed := time.Since(t0)

	scale := m.Plant.Currency.Scale
	if *eventsOut != "" {
		if err := eventio.WriteFile(*eventsOut, primary.Sim.Events, scale); err != nil {
			return err
		}
	}
	if *trailOut != "" {
		if err := writeTrail(*trailOut, primary.Sim); err != nil {
			return err
		}
	}
	title := "Backflush demo: " + m.Name
	if reportPath != "" {
		if dir := filepath.Dir(reportPath); dir != "" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return bf.E("write report", bf.KindNotFound, bf.File(reportPath), err)
			}
		}
		f, err := os.Create(reportPath)
		if err != nil {
			return bf.E("write report", bf.KindNotFound, bf.File(reportPath), err)
		}
		werr := htmlreport.Write(f, htmlreport.Input{Title: title, Model: m, Seed: *seed, Primary: primary,
			Steady: steady, Disturbed: disturbed, Proposed: proposed, Proposal: proposalText(proposeKanban, proposeLevel, sizing),
			Sizing: sizing, Command: "backflush demo " + strings.Join(args, " ")})
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return bf.E("write report", bf.KindInternal, bf.File(reportPath), werr)
		}
	}

	if *format == "json" {
		if reportPath != "" {
			fmt.Fprintf(stderr, "backflush: report written to %s\n", reportPath)
		}
		return demoJSON(stdout, m, source, *seed, primary, steady, disturbed, proposed, reportPath, *eventsOut, *trailOut, sizing)
	}
	runs := 1
	if steady != nil {
		runs = 2
	}
	fmt.Fprintf(stdout, "%s (%s):\n%d working days from %s, seed %d, disturbances: %s\n", m.Name, source, *days, m.Start, *seed, primary.Disturb)
	fmt.Fprintf(stdout, "Simulated and costed %s in %.2f s: %s, %d shipped, %s in every book.\n\n",
		textfmt.Plural(runs, "run", "runs"), elapsed.Seconds(), textfmt.Plural(primary.Measures.Orders, "order", "orders"),
		primary.Measures.ShippedOrders, textfmt.Plural(len(primary.Sim.Events), "event", "events"))
	if err := report.WriteText(stdout, primary.Ledger, report.Options{Title: title + ", " + primary.Name + " run", NoJournal: !*journal}); err != nil {
		return err
	}
	if *warmUp > 0 {
		fmt.Fprintf(stdout, "\n== JIT measures, %s run, days %d to %d (a warm-up of %d days left out) ==\n\n", primary.Name, *warmUp+1, *days, *warmUp)
	} else {
		fmt.Fprintf(stdout, "\n== JIT measures, %s run ==\n\n", primary.Name)
	}
	if err := jit.WriteText(stdout, primary.Measures, scale); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n== Takt, line balance and supermarket sizing ==\n\n")
	if err := jit.WritePlan(stdout, jit.TaktOf(m), jit.Sizing(m, sizing), sizing); err != nil {
		return err
	}
	if steady != nil {
		whatif.WriteText(stdout, steady, disturbed, scale)
	}
	if proposed != nil {
		whatif.WriteProposal(stdout, disturbed, proposed, proposalText(proposeKanban, proposeLevel, sizing), scale)
	}
	if *eventsOut != "" {
		fmt.Fprintf(stdout, "\nEvents of the %s run written to %s.\n", primary.Name, *eventsOut)
	}
	if *trailOut != "" {
		fmt.Fprintf(stdout, "Audit trail of the %s run written to %s.\n", primary.Name, *trailOut)
	}
	if reportPath != "" {
		fmt.Fprintf(stdout, "\nReport written to %s: open it in a browser.\n", reportPath)
	}
	return nil
}

// suggestedText is the plant file with each loop's cards set by the
// kanban formula.
func suggestedText(m *sim.Model, source string, text []byte, o jit.SizingOptions) ([]byte, error) {
	cards := map[string]int{}
	for _, s := range jit.Sizing(m, o) {
		cards[s.Item] = s.Suggested
	}
	return sim.SetCards(source, text, cards)
}

// suggestedPlant is the plant with the suggested cards.
func suggestedPlant(m *sim.Model, source string, text []byte, o jit.SizingOptions) (*sim.Model, error) {
	out, err := suggestedText(m, source, text, o)
	if err != nil {
		return nil, err
	}
	return sim.Decode(source+" (suggested cards)", out)
}

// proposalText says what the proposed run changes.
func proposalText(kanban, level bool, o jit.SizingOptions) string {
	var parts []string
	if kanban {
		parts = append(parts, fmt.Sprintf("cards by the kanban formula (α %d%%, S %d min)", o.SafetyPct, o.SafetyMinutes))
	}
	if level {
		parts = append(parts, "a levelled mixed-model sequence on the final line")
	}
	return strings.Join(parts, " and ")
}

// writeTrail writes a run's audit trail (sim.Result.WriteTrail) to path.
func writeTrail(path string, r *sim.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return bf.E("write trail", bf.KindNotFound, bf.File(path), err)
	}
	werr := r.WriteTrail(f)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return bf.E("write trail", bf.KindInternal, bf.File(path), werr)
	}
	return nil
}

// causeJSON is whatif.Cause in JSON: amounts as decimal strings.
type causeJSON struct {
	Book          string `json:"book"`
	Drift         string `json:"drift"`
	Conversion    string `json:"conversion_not_held"`
	PriceVariance string `json:"price_variance_not_recorded"`
	Residue       string `json:"left_over"`
	Tested        bool   `json:"tested"`
	Explained     bool   `json:"explained"`
}

// demoScenario prints the demo's plant as a scenario file, the first step
// from the demo to a running service: `backflush init` takes it, and
// `backflush ingest` the events it writes to eventsOut (when given) from
// the run the same flags simulate, so the served books are the demo's.
func demoScenario(stdout io.Writer, m *sim.Model, source, eventsOut string, opt whatif.Options, args []string) error {
	if eventsOut != "" {
		name := "steady"
		if opt.Disturb != 0 {
			name = "disturbed"
		}
		run, err := whatif.Simulate(m, name, opt.Disturb, opt)
		if err != nil {
			return err
		}
		if err := eventio.WriteFile(eventsOut, run.Sim.Events, m.Plant.Currency.Scale); err != nil {
			return err
		}
	}
	cfg := &bf.Config{Name: m.Name, Plant: m.Plant}
	comment := []string{
		"The plant of the Backflush demo (" + source + ") as a scenario, written by: backflush demo " + strings.Join(args, " "),
		"It keeps the demo's books (the default five) and no events: the demo's events come from backflush demo --events-out FILE.",
		"Next: backflush init THIS-FILE; backflush ingest FILE; backflush serve",
	}
	return scenario.Write(stdout, cfg, comment)
}

// demoJSON is the --format json document.
func demoJSON(w io.Writer, m *sim.Model, source string, seed uint64, primary, steady, disturbed, proposed *whatif.Run, reportPath, eventsPath, trailPath string, sizing jit.SizingOptions) error {
	scale := m.Plant.Currency.Scale
	// drift is a day's operating income of each book minus the reference
	// (sequential) book's, by book name.
	type drift struct {
		Date   string            `json:"date"`
		ByBook map[string]string `json:"by_book"`
	}
	type run struct {
		Name         string                  `json:"name"`
		Disturbances []string                `json:"disturbances"`
		Events       int                     `json:"events"`
		Comparison   []report.JSONSummary    `json:"comparison"`
		Differences  []report.DifferenceJSON `json:"differences"`
		Measures     jit.MeasuresJSON        `json:"measures"`
		Drift        []drift                 `json:"drift"`
		Causes       []causeJSON             `json:"causes"` // each book's drift at the end against its causes
	}
	mk := func(r *whatif.Run) run {
		names := r.Disturb.Names()
		if names == nil {
			names = []string{}
		}
		out := run{Name: r.Name, Disturbances: names, Events: len(r.Sim.Events),
			Comparison: report.BuildJSON(r.Ledger, report.Options{}).Comparison, Measures: r.Measures.JSON(scale)}
		for _, d := range r.End {
			out.Differences = append(out.Differences, d.JSON(scale))
		}
		for _, c := range r.Causes() {
			out.Causes = append(out.Causes, causeJSON{Book: c.Book, Drift: c.Drift.Format(scale), Conversion: c.Conversion.Format(scale),
				PriceVariance: c.PriceVariance.Format(scale), Residue: c.Residue.Format(scale), Tested: c.Tested, Explained: c.Explained()})
		}
		for day := range r.Days {
			dm := drift{Date: r.Days[day].Date.String(), ByBook: map[string]string{}}
			for b, bk := range r.Ledger.Books {
				if b != r.Ref {
					dm.ByBook[bk.Config.Name] = r.Drift(day, b).Format(scale)
				}
			}
			out.Drift = append(out.Drift, dm)
		}
		return out
	}
	doc := struct {
		Plant    string         `json:"plant"`
		Source   string         `json:"source"`
		Currency string         `json:"currency"`
		Start    string         `json:"start"`
		Days     int            `json:"days"`
		Seed     uint64         `json:"seed"`
		Primary  string         `json:"primary"`
		Runs     []run          `json:"runs"`
		Report   string         `json:"report,omitempty"`
		Events   string         `json:"events_file,omitempty"`
		Trail    string         `json:"trail_file,omitempty"`
		Takt     jit.Takt       `json:"takt"`
		Sizing   []jit.LoopSize `json:"kanban_sizing"`
	}{Takt: jit.TaktOf(m), Sizing: jit.Sizing(m, sizing), Plant: m.Name, Source: source, Currency: m.Plant.Currency.Code, Start: m.Start.String(), Days: primary.Sim.Options.Days,
		Seed: seed, Primary: primary.Name, Report: reportPath, Events: eventsPath, Trail: trailPath}
	if steady != nil {
		doc.Runs = []run{mk(steady), mk(disturbed)}
		if proposed != nil {
			doc.Runs = append(doc.Runs, mk(proposed))
		}
	} else {
		doc.Runs = []run{mk(primary)}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// progress draws a bar on a terminal while a long run works. It draws
// nothing when the output is not a terminal (a pipe, a file, a test) and
// nothing for the first half second, so short runs stay quiet.
type progress struct {
	w     io.Writer
	on    bool
	start time.Time
	drawn bool
	last  time.Time
	label string // what is counted, e.g. "day" or "event"
	verb  string // what is being done
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, on: ok && isTerminal(f), start: time.Now(), label: "day", verb: "simulating and costing"}
}

// isTerminal reports whether f is a character device (a terminal), without
// a dependency: Stat's mode says so.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progress) update(done, total int) {
	if !p.on || total <= 0 {
		return
	}
	now := time.Now()
	if now.Sub(p.start) < 500*time.Millisecond || now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last, p.drawn = now, true
	const width = 30
	n := done * width / total
	fmt.Fprintf(p.w, "\r[%s%s] %3d%%  %s: %s %d of %d", strings.Repeat("#", n), strings.Repeat(".", width-n),
		done*100/total, p.verb, p.label, done, total)
}

func (p *progress) done() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
