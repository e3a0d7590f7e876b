package bench

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/eventio"
	"github.com/backflush/backflush/export"
	"github.com/backflush/backflush/gen"
)

// peers measures the trial balance against the plain-text accounting tools
// accountants use. One stream is costed in the sequential book; its
// journal is exported for ledger and for hledger (export.Write, as
// `backflush export` writes it, without the comment lines that carry each
// posting's item, BOM path and quantity: the tools read fewer bytes, the
// postings are the same), and its events are written as JSON Lines.
// Timed: `ledger -f F bal` and `hledger -f F bal` (whole processes, start
// included; their start on an empty journal is reported too), and
// Backflush reading the JSON Lines file, decoding every event and costing
// it into the book's trial balance (in this process). The tools' balances
// are then compared with Backflush's, account by account.
func (r *runner) peers() error {
	n := r.cfg.PeerEvents
	g, std, err := compile(r.basePlant(n))
	if err != nil {
		return err
	}
	books := gen.Books(1)
	l, err := costing.NewLedger(std, books, bf.CloseToCOGS)
	if err != nil {
		return err
	}
	var evs []bf.Event
	if err := g.Each(func(e *bf.Event) error { evs = append(evs, *e); return l.Post(e) }); err != nil {
		return err
	}
	b := l.Books[0]
	dir := filepath.Join(r.dir, "peers")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	events := filepath.Join(dir, "events.jsonl")
	var buf bytes.Buffer
	if err := eventio.WriteJSONL(&buf, evs, std.Scale); err != nil {
		return err
	}
	if err := os.WriteFile(events, buf.Bytes(), 0o644); err != nil {
		return err
	}
	evs = nil
	files := map[export.Format]string{}
	for _, f := range []export.Format{export.Ledger, export.HLedger} {
		buf.Reset()
		if err := export.Write(&buf, f, l, b, export.Options{Title: g.Plant().Name}); err != nil {
			return err
		}
		files[f] = filepath.Join(dir, "book."+f.String())
		if err := os.WriteFile(files[f], stripComments(buf.Bytes()), 0o644); err != nil {
			return err
		}
	}
	want := b.Balances()
	entries, lines := b.Journal.Len(), b.Journal.NumLines()
	l = nil
	r.note("peers: %s events → %s transactions, %s postings in book %s; journal %s (ledger), events file %s",
		num(float64(n)), num(float64(entries)), num(float64(lines)), books[0].Name, bytesText(fileSize(files[export.Ledger])), bytesText(fileSize(events)))

	// Backflush: the events file to the trial balance.
	var ours []float64
	for run := 0; run < r.cfg.Runs; run++ {
		runtimeGC()
		t0 := time.Now()
		got, err := trialBalance(events, std, books)
		if err != nil {
			return err
		}
		ours = append(ours, time.Since(t0).Seconds())
		if got != want {
			return fmt.Errorf("the trial balance from the events file differs from the book's")
		}
	}
	bfSecs := median(ours)
	r.add(Figure{Section: "peers", Name: fmt.Sprintf("Backflush: trial balance from %s events (read, decode, cost)", num(float64(n))), Value: bfSecs, Unit: "s", Runs: ours,
		Note: fmt.Sprintf("%s events/s", num(float64(n)/bfSecs))})

	empty := filepath.Join(dir, "empty.journal")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		return err
	}
	for _, t := range []struct {
		tool   string
		format export.Format
		target float64
	}{{"ledger", export.Ledger, targetLedgerRatio}, {"hledger", export.HLedger, targetHLedger}} {
		bin, err := exec.LookPath(t.tool)
		if err != nil {
			r.note("peers: %s is not installed (Debian package %s): skipped", t.tool, t.tool)
			continue
		}
		file := files[t.format]
		var secs []float64
		var rssMax int64
		for run := 0; run < r.cfg.PeerRuns; run++ {
			d, maxRSS, _, err := timeTool(bin, "-f", file, "bal")
			if err != nil {
				return err
			}
			secs = append(secs, d.Seconds())
			rssMax = max(rssMax, maxRSS)
		}
		start, _, _, err := timeTool(bin, "-f", empty, "bal")
		if err != nil {
			return err
		}
		toolSecs := median(secs)
		r.add(Figure{Section: "peers", Name: fmt.Sprintf("`%s -f F bal` on the same postings", t.tool), Value: toolSecs, Unit: "s", Runs: secs,
			Note: fmt.Sprintf("peak memory %s (sampled); %.2f s of it is starting on an empty journal", bytesText(rssMax), start.Seconds())})
		r.add(Figure{Section: "peers", Name: fmt.Sprintf("%s time / Backflush time", t.tool), Value: toolSecs / bfSecs, Unit: "×", Target: t.target})
		mismatch, err := compareTool(bin, t.format, file, want, std.Scale)
		if err != nil {
			return err
		}
		if mismatch != "" {
			return fmt.Errorf("%s's balances differ from Backflush's: %s", t.tool, mismatch)
		}
		r.note("peers: %s's balances equal Backflush's trial balance on every account", t.tool)
	}
	return nil
}

// trialBalance reads a JSON Lines events file, decodes and costs every
// event in a streaming ledger and returns the book's balances: a trial
// balance from the events, as `backflush` would compute it.
func trialBalance(file string, std *costing.Standards, books []bf.BookConfig) ([bf.NumAccounts]bf.Money, error) {
	var zero [bf.NumAccounts]bf.Money
	f, err := os.Open(file)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	l, err := costing.NewStreamingLedger(std, books, bf.CloseToCOGS)
	if err != nil {
		return zero, err
	}
	l.Grow(0, 1<<12)
	sc := bufio.NewScanner(bufio.NewReaderSize(f, 1<<20))
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		e, err := eventio.DecodeJSON(text, std.Scale)
		if err != nil {
			return zero, fmt.Errorf("%s:%d: %w", file, line, err)
		}
		if err := l.Post(&e); err != nil {
			return zero, fmt.Errorf("%s:%d: %w", file, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return zero, err
	}
	return l.Books[0].Balances(), nil
}

// stripComments drops the comment lines of a journal (the metadata of
// transactions and postings), keeping directives, transactions and postings.
func stripComments(data []byte) []byte {
	var out bytes.Buffer
	for _, ln := range bytes.SplitAfter(data, []byte("\n")) {
		if t := bytes.TrimLeft(ln, " \t"); len(t) > 0 && t[0] == ';' {
			continue
		}
		out.Write(ln)
	}
	return out.Bytes()
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// timeTool runs a command and returns its wall time, its peak resident
// memory and its output; a failure or anything on standard error is an
// error. The peak is sampled from /proc/PID/status (VmHWM) every 10 ms,
// the last sample before the process ends: the kernel's own figure for a
// child (rusage) starts from the memory of the process that started it,
// this one's, which would hide the tool's.
func timeTool(bin string, args ...string) (time.Duration, int64, []byte, error) {
	cmd := exec.Command(bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, nil, err
	}
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	var peak atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			if v := statusField(status, "VmHWM:"); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	err := cmd.Wait()
	d := time.Since(t0)
	close(stop)
	<-sampled
	if err != nil || errb.Len() > 0 {
		return 0, 0, nil, fmt.Errorf("%s %s: %v: %s", bin, strings.Join(args, " "), err, errb.String())
	}
	return d, peak.Load(), out.Bytes(), nil
}

// compareTool runs a tool's flat balance report on a journal and compares
// every account with the trial balance; it returns the first difference.
func compareTool(bin string, f export.Format, file string, want [bf.NumAccounts]bf.Money, scale int) (string, error) {
	got := map[string]bf.Money{}
	add := func(acct, amt string) error {
		amt = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(amt), "USD"))
		amt = strings.ReplaceAll(amt, ",", "")
		var v bf.Money
		if amt != "" && amt != "0" {
			var why string
			if v, why = bf.ParseMoney(amt, scale); why != "" {
				return fmt.Errorf("amount %q %s", amt, why)
			}
		}
		got[strings.TrimSpace(acct)] += v
		return nil
	}
	if f == export.Ledger {
		_, _, out, err := timeTool(bin, "-f", file, "--flat", "--no-total", "--empty", "bal", "--balance-format", "%(account)\t%(display_total)\n")
		if err != nil {
			return "", err
		}
		for _, ln := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if acct, amt, ok := strings.Cut(ln, "\t"); ok {
				if err := add(acct, amt); err != nil {
					return "", err
				}
			}
		}
	} else {
		_, _, out, err := timeTool(bin, "-f", file, "bal", "--flat", "--no-total", "--empty", "-O", "csv")
		if err != nil {
			return "", err
		}
		recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
		if err != nil || len(recs) == 0 {
			return "", fmt.Errorf("hledger CSV: %v", err)
		}
		for _, rec := range recs[1:] {
			if err := add(rec[0], rec[1]); err != nil {
				return "", err
			}
		}
	}
	seen := 0
	for a := bf.Account(0); a < bf.NumAccounts; a++ {
		name := export.AccountName(f, a, nil)
		v, ok := got[name]
		if v != want[a] {
			return fmt.Sprintf("%s: tool %s, Backflush %s", name, v.Format(scale), want[a].Format(scale)), nil
		}
		if ok {
			seen++
		}
	}
	if seen != len(got) {
		return fmt.Sprintf("the tool reports %d accounts, %d of them Backflush's", len(got), seen), nil
	}
	return "", nil
}
