package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/eventio"
	"github.com/backflush/backflush/internal/scenariotest"
	"github.com/backflush/backflush/service"
	"github.com/backflush/backflush/sqlite"
)

// writeStream writes n rounds of purchase, completion and sale for the
// Acton plant: 3n events, every one valid in order.
func writeStream(t *testing.T, path string, n int) []bf.Event {
	var evs []bf.Event
	for i := range n {
		d := bf.Date(20700 + i/500) // from 4 September (after Acton's August close), 500 rounds a day
		evs = append(evs,
			bf.Event{ID: fmt.Sprintf("P%d", i), Date: d, Type: bf.Purchase, Item: "dm", Qty: bf.Units(25), UnitCost: bf.Dollars(1)},
			bf.Event{ID: fmt.Sprintf("F%d", i), Date: d, Type: bf.Complete, Item: "cable", Qty: bf.Units(1)},
			bf.Event{ID: fmt.Sprintf("X%d", i), Date: d, Type: bf.Sale, Item: "cable", Qty: bf.Units(1)})
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := eventio.WriteJSONL(f, evs, 2); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return evs
}

// TestSIGKILLDuringIngestion kills the ingesting process at a random point,
// restarts it on the same file, and proves that every acknowledged event is
// in the log exactly once and that the books equal a clean replay.
func TestSIGKILLDuringIngestion(t *testing.T) {
	const plant = "../../testdata/acton/scenario.yaml"
	for round := range 3 {
		t.Run(fmt.Sprint("round", round), func(t *testing.T) {
			dir := t.TempDir()
			db, events, acks := filepath.Join(dir, "b.db"), filepath.Join(dir, "e.jsonl"), filepath.Join(dir, "acks")
			all := writeStream(t, events, 6000)
			if code, _, stderr := runMain(t, "init", "--db", db, plant); code != 0 {
				t.Fatalf("init: %s", stderr)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "BACKFLUSH_RUN_MAIN=1", "BACKFLUSH_ARGS="+strings.Join([]string{"ingest", "--db", db, "--batch", "100", "--acks", acks, events}, " "))
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Kill it once some batches are acknowledged: after 2, 10 or
			// 40 acknowledgements in the three rounds.
			want := []int{2, 10, 40}[round]
			deadline := time.Now().Add(20 * time.Second)
			for countLines(acks) < want && time.Now().Before(deadline) {
				time.Sleep(2 * time.Millisecond)
			}
			cmd.Process.Signal(syscall.SIGKILL)
			err := cmd.Wait()
			acked := ackedIDs(t, acks)
			if err == nil {
				t.Fatalf("the ingestion finished before the kill (%d batches acknowledged): nothing was tested", countLines(acks))
			}
			if len(acked) == 0 {
				t.Fatal("no batch was acknowledged before the kill")
			}
			// Restart on the same file: what is in already is skipped.
			if code, out, stderr := runMain(t, "ingest", "--db", db, "--batch", "500", events); code != 0 {
				t.Fatalf("restart: %s %s", out, stderr)
			}
			st, err := sqlite.Open(db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			seen := map[string]int{}
			st.Replay(context.Background(), func(e *bf.Event) error { seen[e.ID]++; return nil })
			for id, n := range seen {
				if n != 1 {
					t.Errorf("event %s is in the log %d times", id, n)
				}
			}
			for _, id := range acked {
				if seen[id] != 1 {
					t.Errorf("acknowledged event %s is in the log %d times", id, seen[id])
				}
			}
			if len(seen) != len(all)+6 {
				t.Errorf("%d events in the log, want %d", len(seen), len(all)+6)
			}
			// The books rebuilt from the log equal a clean replay of the
			// scenario and the file, and balance.
			s, err := service.Open(context.Background(), st)
			if err != nil {
				t.Fatal(err)
			}
			_, clean := scenariotest.Build(t, plant)
			if err := costing.PostAll(clean, all, events); err != nil {
				t.Fatal(err)
			}
			s.View(func(l *costing.Ledger) error {
				for _, b := range l.Books {
					cb := clean.Book(b.Config.Name)
					if b.Balances() != cb.Balances() {
						t.Errorf("book %s differs from a clean replay", b.Config.Name)
					}
					var sum bf.Money
					for ln := range b.Journal.Lines() {
						sum += ln.Amount
					}
					if sum != 0 {
						t.Errorf("book %s does not balance: %d", b.Config.Name, sum)
					}
				}
				return nil
			})
		})
	}
}

func countLines(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.Count(sc.Text(), " ") == 2 {
			n++
		}
	}
	return n
}

// ackedIDs expands the acknowledged batches ("first last count") into ids.
func ackedIDs(t *testing.T, path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var first, last string
		var n int
		if _, err := fmt.Sscan(sc.Text(), &first, &last, &n); err != nil {
			continue // a line cut by the kill was never acknowledged
		}
		// Batches are consecutive rounds P,F,X: walk from first for n events.
		var k int
		fmt.Sscanf(first[1:], "%d", &k)
		kinds := []string{"P", "F", "X"}
		start := strings.Index("PFX", first[:1])
		for j := range n {
			pos := start + j
			ids = append(ids, fmt.Sprintf("%s%d", kinds[pos%3], k+pos/3))
		}
		if ids[len(ids)-1] != last {
			t.Fatalf("ack line %q does not match its range", sc.Text())
		}
	}
	return ids
}
