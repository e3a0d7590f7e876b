// Package bench is the benchmark behind `backflush bench`: it measures the
// engine on synthetic plants and streams (package gen) and prints every
// figure against its target (issue 5, BENCHMARKS.md):
//
//	memory    events/s costed in memory in one book and in four (20-component
//	          BOM), allocations per event
//	sqlite    durable ingestion through service.Ingest on the embedded store:
//	          events/s and p50/p99 acknowledgement latency per batch
//	postgres  the same on PostgreSQL (with a DSN)
//	http      batched POSTs to the HTTP API on 127.0.0.1
//	replay    a year re-costed in memory, and replayed from the embedded store
//	scaling   how speed and memory grow with events, BOM size and item count
//	peers     the same postings as a ledger and an hledger journal: `ledger
//	          bal` and `hledger bal` timed against Backflush producing the
//	          trial balance from the events, and the balances compared
//
// Each figure is the median of several runs. Nothing here is a test: the
// unit tests never time anything; this is where speed is shown.
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/backflush/backflush/internal/textfmt"
)

// Config chooses what runs and how big. Defaults gives the quick and the
// full sizes.
type Config struct {
	Seed uint64   // the seed of every plant and stream (package gen)
	Runs int      // runs per figure; the median is reported
	Only []string // sections to run; empty runs every one

	MemEvents     int   // in-memory stream (1 and 4 books)
	DurableEvents int   // events ingested per durable run
	HTTPEvents    int   // events posted per HTTP run
	Batch         int   // events per batch of the durable sections
	HTTPBatch     int   // events per request of the HTTP section
	Clients       int   // concurrent clients (durable and HTTP)
	DurableBooks  int   // books the service keeps in the durable and HTTP sections (1 to 4)
	DurableItems  int   // items of the plant of the durable and HTTP sections
	DurableAxis   []int // larger plants (items) whose durable ingestion is measured too, on a fifth of DurableEvents
	YearEvents    int   // the year re-costed in memory
	StoreEvents   int   // the log replayed from the embedded store
	ScaleEvents   int   // events per point of the scaling table (BOM, items)
	ScaleMax      int   // the longest stream of the events scaling row
	ScaleItemsMax int   // the largest plant of the items scaling row
	PeerEvents    int   // the stream whose journal the peers read
	PeerRuns      int   // runs of each peer tool

	PGDSN string // PostgreSQL (empty skips the section)
	Dir   string // where files go (a temporary directory when empty)
	SVG   string // the scaling chart (none when empty)
	JSON  string // every figure as JSON (none when empty)
	Full  bool   // the targets' sizes (Defaults(true)); scaling points take Runs runs, not one

	Out io.Writer // the report
	Log io.Writer // progress lines (nil for none)
}

// Defaults returns the quick configuration (a couple of minutes on two
// cores) or the full one (the sizes the targets name, tens of minutes).
func Defaults(full bool) Config {
	c := Config{Seed: 1, Runs: 3, MemEvents: 1_000_000, DurableEvents: 200_000, HTTPEvents: 200_000,
		Batch: 250, HTTPBatch: 1_000, Clients: 4, DurableBooks: 4, DurableItems: 1_000, YearEvents: 1_000_000, StoreEvents: 200_000,
		ScaleEvents: 200_000, ScaleMax: 1_000_000, ScaleItemsMax: 100_000, PeerEvents: 20_000, PeerRuns: 1,
		DurableAxis: []int{10_000, 100_000}}
	if full {
		c.Full, c.Runs = true, 5
		c.MemEvents, c.DurableEvents, c.HTTPEvents = 2_000_000, 1_000_000, 1_000_000
		c.YearEvents, c.StoreEvents = 10_000_000, 10_000_000
		c.ScaleEvents, c.ScaleMax, c.ScaleItemsMax = 1_000_000, 10_000_000, 1_000_000
		c.PeerEvents, c.PeerRuns = 100_000, 3
		c.DurableAxis = []int{10_000, 100_000, 1_000_000}
	}
	return c
}

// Sections lists the sections in the order they run.
// The durable ingestion into large plants comes last: SQLite's allocator
// keeps the memory those runs took (their configuration documents are
// tens of megabytes), which would count in the replay's peak.
var Sections = []string{"memory", "sqlite", "postgres", "http", "replay", "scaling", "peers", "sqlite-items"}

// Figure is one measured figure and its target.
type Figure struct {
	Section string    `json:"section"`          // one of Sections
	Name    string    `json:"name"`             // what was measured, and how
	Value   float64   `json:"value"`            // the median of the runs
	Unit    string    `json:"unit"`             // events/s, ms, s, MiB, ×, allocs
	Target  float64   `json:"target,omitempty"` // 0 without Lower: no target, shown for information
	Lower   bool      `json:"lower,omitempty"`  // the target is a ceiling (Target 0 with Lower: the figure must be 0)
	Runs    []float64 `json:"runs,omitempty"`   // every run's value, in the order run
	Note    string    `json:"note,omitempty"`   // context printed after the name
}

// Met reports whether the figure meets its target (true without one).
func (f *Figure) Met() bool {
	switch {
	case f.Lower:
		return f.Value <= f.Target
	case f.Target == 0:
		return true
	}
	return f.Value >= f.Target
}

// hasTarget reports whether the figure is measured against a target.
func (f *Figure) hasTarget() bool { return f.Target != 0 || f.Lower }

// ScalePoint is one row of the scaling table: a stream costed in memory.
type ScalePoint struct {
	Axis        string  `json:"axis"`                    // events, components, depth or items
	X           int     `json:"x"`                       // the value on the axis
	Events      int     `json:"events"`                  // the stream's length
	Rate1       float64 `json:"events_per_s_1_book"`     // the sequential book alone
	Rate4       float64 `json:"events_per_s_4_books"`    // the four benchmark books
	LinesPerEv  float64 `json:"lines_per_event_4_books"` // journal lines an event makes in the four
	StreamHeap  int64   `json:"streaming_heap_bytes"`    // live heap of the 4-book streaming ledger
	RetainHeap  int64   `json:"retaining_heap_bytes"`    // live heap of a 4-book retaining ledger (events axis)
	CompileSecs float64 `json:"compile_s"`               // generating the plant and compiling its standards
}

// Report is everything one run of the benchmark measured.
type Report struct {
	Machine Machine      `json:"machine"` // where it ran
	Config  Config       `json:"-"`       // what ran
	Figures []Figure     `json:"figures"` // in the order measured
	Scaling []ScalePoint `json:"scaling"` // the scaling table, axis by axis
	Notes   []string     `json:"notes"`   // what was skipped, checked or assumed
	Took    float64      `json:"took_s"`  // the whole run, in seconds
}

// Machine describes where the figures were measured.
type Machine struct {
	CPU        string  `json:"cpu"`         // the model name in /proc/cpuinfo
	Cores      int     `json:"cores"`       // logical CPUs
	GoVersion  string  `json:"go"`          // the Go that built the binary
	Load       string  `json:"load_before"` // /proc/loadavg when the run began
	LoadAfter  string  `json:"load_after"`  // and when it ended
	MemTotalGB float64 `json:"mem_gb"`      // MemTotal in /proc/meminfo
}

// runner carries one benchmark run.
type runner struct {
	cfg Config
	rep *Report
	ctx context.Context
	dir string
}

func (r *runner) logf(format string, args ...any) {
	if r.cfg.Log != nil {
		fmt.Fprintf(r.cfg.Log, "bench: "+format+"\n", args...)
	}
}

func (r *runner) add(f Figure) {
	r.rep.Figures = append(r.rep.Figures, f)
	r.logf("%s: %s = %s %s", f.Section, f.Name, num(f.Value), f.Unit)
}

func (r *runner) note(format string, args ...any) {
	r.rep.Notes = append(r.rep.Notes, fmt.Sprintf(format, args...))
}

func (r *runner) wants(section string) bool {
	return len(r.cfg.Only) == 0 || slices.Contains(r.cfg.Only, section)
}

// Run runs the benchmark and writes its report to c.Out.
func Run(ctx context.Context, c Config) (*Report, error) {
	for _, s := range c.Only {
		if !slices.Contains(Sections, s) {
			return nil, fmt.Errorf("no section %q (sections: %s)", s, strings.Join(Sections, ", "))
		}
	}
	if c.Runs < 1 {
		c.Runs = 1
	}
	start := time.Now()
	r := &runner{cfg: c, ctx: ctx, rep: &Report{Config: c, Machine: machine()}}
	dir := c.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "backflush-bench-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	r.dir = dir
	if !resetPeak() {
		r.note("peak memory is the process's since it began: /proc/self/clear_refs cannot reset it here")
	}
	steps := []struct {
		name string
		fn   func() error
	}{
		{"memory", r.memory}, {"sqlite", r.sqlite}, {"postgres", r.postgres}, {"http", r.http},
		{"replay", r.replay}, {"scaling", r.scaling}, {"peers", r.peers}, {"sqlite-items", r.sqliteItems},
	}
	for _, s := range steps {
		if !r.wants(s.name) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r.logf("section %s", s.name)
		if err := s.fn(); err != nil {
			return nil, fmt.Errorf("bench %s: %w", s.name, err)
		}
		runtime.GC()
	}
	r.rep.Took = time.Since(start).Seconds()
	r.rep.Machine.LoadAfter = loadavg()
	if c.Out != nil {
		r.rep.WriteText(c.Out)
	}
	if c.SVG != "" && len(r.rep.Scaling) > 0 {
		f, err := os.Create(c.SVG)
		if err != nil {
			return nil, err
		}
		err = r.rep.WriteSVG(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, err
		}
	}
	if c.JSON != "" {
		data, err := json.MarshalIndent(r.rep, "", "  ")
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(c.JSON, append(data, '\n'), 0o644); err != nil {
			return nil, err
		}
	}
	return r.rep, nil
}

func machine() Machine {
	m := Machine{Cores: runtime.NumCPU(), GoVersion: runtime.Version(), Load: loadavg()}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		fmt.Sscanf(strings.TrimPrefix(strings.SplitN(string(data), "\n", 2)[0], "MemTotal:"), "%d", &kb)
		m.MemTotalGB = math.Round(float64(kb)/(1<<20)*10) / 10
	}
	return m
}

func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// WriteText prints the report: the machine, every figure against its
// target, the scaling table and the notes.
func (rep *Report) WriteText(w io.Writer) {
	m := rep.Machine
	fmt.Fprintf(w, "Backflush benchmark — %s, %d cores, %.0f GiB, %s; load %s before, %s after; %.0f s\n\n",
		m.CPU, m.Cores, m.MemTotalGB, m.GoVersion, m.Load, m.LoadAfter, rep.Took)
	tw := newTable("section", "figure", "median", "target", "")
	for i := range rep.Figures {
		f := &rep.Figures[i]
		target, status := "", ""
		if f.hasTarget() {
			op := "≥"
			if f.Lower {
				op = "≤"
			}
			target = op + " " + num(f.Target) + " " + f.Unit
			status = "met"
			if !f.Met() {
				status = "MISSED"
				if f.Lower && f.Target > 0 {
					status += fmt.Sprintf(" (%.1f× over)", f.Value/f.Target)
				} else if f.Lower {
					status += " (above 0)"
				} else {
					status += fmt.Sprintf(" (%.0f%% of target)", 100*f.Value/f.Target)
				}
			}
		}
		name := f.Name
		if f.Note != "" {
			name += " (" + f.Note + ")"
		}
		tw.Add(f.Section, name, num(f.Value)+" "+f.Unit, target, status)
	}
	tw.Flush(w)
	if len(rep.Scaling) > 0 {
		fmt.Fprintf(w, "\nScaling (in memory, streaming ledger; retaining ledger's heap for comparison on the events axis)\n\n")
		st := newTable("axis", "x", "events", "events/s 1 book", "events/s 4 books", "lines/event", "heap streaming", "heap retaining", "compile")
		for _, p := range rep.Scaling {
			ret := "—"
			if p.RetainHeap > 0 {
				ret = bytesText(p.RetainHeap)
			}
			st.Add(p.Axis, intText(p.X), intText(p.Events), num(p.Rate1), num(p.Rate4),
				fmt.Sprintf("%.1f", p.LinesPerEv), bytesText(p.StreamHeap), ret, fmt.Sprintf("%.2f s", p.CompileSecs))
		}
		st.Flush(w)
	}
	if len(rep.Notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range rep.Notes {
			fmt.Fprintln(w, "note: "+n)
		}
	}
}

// newTable returns a table of columns all aligned left, its head added.
func newTable(head ...string) *textfmt.Table {
	t := &textfmt.Table{Left: map[int]bool{}}
	for i := range head {
		t.Left[i] = true
	}
	t.Add(head...)
	return t
}

// num formats a figure for people: thousands separated, a few significant
// digits for small values.
func num(v float64) string {
	switch {
	case v == 0:
		return "0"
	case math.Abs(v) >= 1000:
		return textfmt.Grouped(fmt.Sprintf("%.0f", v), textfmt.Hyphen)
	case math.Abs(v) >= 10:
		return fmt.Sprintf("%.1f", v)
	case math.Abs(v) >= 0.1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

// intText formats a count, thousands separated.
func intText(n int) string {
	if n < 1000 {
		return strconv.Itoa(n)
	}
	return num(float64(n))
}

// bytesText formats a byte count in MiB or GiB.
func bytesText(n int64) string {
	if n >= 1<<30 {
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
