package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"iter"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/gen"
	"github.com/backflush/backflush/postgres"
	"github.com/backflush/backflush/service"
	"github.com/backflush/backflush/sqlite"
	"github.com/jackc/pgx/v5"
)

// scenarioDoc returns the base plant as a store configuration keeping the
// first books of the benchmark books.
func scenarioDoc(g *gen.Generator, books int) ([]byte, error) {
	var buf bytes.Buffer
	if err := g.WriteScenario(&buf, gen.Books(books)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// durablePlant is the plant of the durable and HTTP sections: the base
// plant, with DurableItems items when set.
func (r *runner) durablePlant(events int) gen.Config {
	c := r.basePlant(events)
	if r.cfg.DurableItems > 0 {
		c.Items = r.cfg.DurableItems
	}
	return c
}

// opener opens a fresh, empty store for one run and returns a function
// that closes and removes it.
type opener func(run int) (bf.Store, func(), error)

// ingestRun is what one durable run measured.
type ingestRun struct {
	rate     float64
	p50, p99 time.Duration
}

// batcher hands out a generated stream in batches to concurrent clients,
// generating each batch when it is taken: the load generator keeps only
// the batches in flight, as clients in other processes would, rather than
// the whole stream in the measured process's heap. Closes are left out
// (see collect).
type batcher struct {
	mu    sync.Mutex
	next  func() (*bf.Event, bool)
	stop  func()
	size  int
	taken int
}

func newBatcher(g *gen.Generator, size int) *batcher {
	next, stop := iter.Pull(g.Events())
	return &batcher{next: next, stop: stop, size: size}
}

// batch returns the next batch and its number, or nil at the end.
func (b *batcher) batch() ([]bf.Event, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]bf.Event, 0, b.size)
	for len(out) < b.size {
		e, ok := b.next()
		if !ok {
			break
		}
		if e.Type != bf.Close {
			out = append(out, *e)
		}
	}
	if len(out) == 0 {
		return nil, 0
	}
	b.taken++
	return out, b.taken
}

// ingest measures durable ingestion through service.Ingest: clients
// goroutines send the batches, each waiting for its batch's acknowledgement
// (the batch durable) before taking the next. Latency is from the call to
// its return.
func (r *runner) ingest(open opener, plant gen.Config, runs int) ([]ingestRun, error) {
	g, _, err := compile(plant)
	if err != nil {
		return nil, err
	}
	doc, err := scenarioDoc(g, r.cfg.DurableBooks)
	if err != nil {
		return nil, err
	}
	var out []ingestRun
	for run := 0; run < runs; run++ {
		st, done, err := open(run)
		if err != nil {
			return nil, err
		}
		res, err := r.ingestOnce(st, doc, g)
		done()
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

func (r *runner) ingestOnce(st bf.Store, doc []byte, g *gen.Generator) (ingestRun, error) {
	ctx := r.ctx
	if err := service.Init(ctx, st, doc, "gen.yaml"); err != nil {
		return ingestRun{}, err
	}
	svc, err := service.Open(ctx, st)
	if err != nil {
		return ingestRun{}, err
	}
	b := newBatcher(g, r.cfg.Batch)
	defer b.stop()
	lat := make([][]time.Duration, r.cfg.Clients)
	errs := make([]error, r.cfg.Clients)
	var total atomic.Int64
	var wg sync.WaitGroup
	runtime.GC()
	t0 := time.Now()
	for c := range r.cfg.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for errs[c] == nil {
				evs, i := b.batch()
				if evs == nil {
					return
				}
				s := time.Now()
				res, err := svc.Ingest(ctx, evs)
				lat[c] = append(lat[c], time.Since(s))
				if err == nil && res.Accepted != len(evs) {
					err = fmt.Errorf("batch %d: %d of %d events accepted", i, res.Accepted, len(evs))
				}
				total.Add(int64(res.Accepted))
				errs[c] = err
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	for _, err := range errs {
		if err != nil {
			return ingestRun{}, err
		}
	}
	if n, err := st.Len(ctx); err != nil || n != total.Load() {
		return ingestRun{}, fmt.Errorf("the log holds %d events after ingesting %d (%v)", n, total.Load(), err)
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	return ingestRun{rate: float64(total.Load()) / elapsed.Seconds(), p50: quantile(all, 0.50), p99: quantile(all, 0.99)}, nil
}

// report adds the figures of a durable section.
func (r *runner) reportIngest(section, store string, runs []ingestRun, target float64) {
	var rates, p50, p99 []float64
	for _, x := range runs {
		rates = append(rates, x.rate)
		p50 = append(p50, float64(x.p50.Microseconds())/1000)
		p99 = append(p99, float64(x.p99.Microseconds())/1000)
	}
	how := fmt.Sprintf("%s, service.Ingest into %d book(s), batches of %d, %d clients", store, r.cfg.DurableBooks, r.cfg.Batch, r.cfg.Clients)
	if c := r.durablePlant(0); c.Items != r.basePlant(0).Items {
		how += fmt.Sprintf(", %s items", num(float64(c.Items)))
	}
	r.add(Figure{Section: section, Name: "durable ingestion, " + how, Value: median(rates), Unit: "events/s", Target: target, Runs: rates})
	r.add(Figure{Section: section, Name: "acknowledgement p50", Value: median(p50), Unit: "ms", Runs: p50})
	f := Figure{Section: section, Name: "acknowledgement p99", Value: median(p99), Unit: "ms", Runs: p99}
	if section == "sqlite" {
		f.Target, f.Lower = targetSQLiteP99, true
	}
	r.add(f)
}

// sqliteStore opens a fresh SQLite store for a durable run.
func (r *runner) sqliteStore(run int) (bf.Store, func(), error) {
	path := filepath.Join(r.dir, fmt.Sprintf("ingest-%d.db", run))
	st, err := sqlite.Open(path)
	if err != nil {
		return nil, nil, err
	}
	return st, func() {
		st.Close()
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
	}, nil
}

// sqlite measures durable ingestion on the embedded store.
func (r *runner) sqlite() error {
	runs, err := r.ingest(r.sqliteStore, r.durablePlant(r.cfg.DurableEvents), r.cfg.Runs)
	if err != nil {
		return err
	}
	r.reportIngest("sqlite", "SQLite (WAL, synchronous=FULL)", runs, targetSQLite)
	return nil
}

// sqliteItems measures durable ingestion on the embedded store into larger
// plants (DurableAxis), where what costs per item shows: a fifth of the
// events, at most three runs, no targets.
func (r *runner) sqliteItems() error {
	for _, items := range r.cfg.DurableAxis {
		n := max(r.cfg.DurableEvents/5, 1_000)
		plant := r.basePlant(n)
		plant.Items = items
		r.logf("sqlite-items: %s items", num(float64(items)))
		runs, err := r.ingest(r.sqliteStore, plant, min(r.cfg.Runs, 3))
		if err != nil {
			return err
		}
		var rates, p99 []float64
		for _, x := range runs {
			rates = append(rates, x.rate)
			p99 = append(p99, float64(x.p99.Microseconds())/1000)
		}
		name := fmt.Sprintf("durable ingestion with %s items (%s events, SQLite, %d books)", num(float64(items)), num(float64(n)), r.cfg.DurableBooks)
		r.add(Figure{Section: "sqlite-items", Name: name, Value: median(rates), Unit: "events/s", Runs: rates})
		r.add(Figure{Section: "sqlite-items", Name: fmt.Sprintf("… acknowledgement p99 with %s items", num(float64(items))), Value: median(p99), Unit: "ms", Runs: p99})
	}
	return nil
}

// postgres measures durable ingestion on PostgreSQL, each run in a fresh
// schema dropped afterwards.
func (r *runner) postgres() error {
	if r.cfg.PGDSN == "" {
		r.note("postgres: skipped (no DSN: --pg DSN or BACKFLUSH_PG_DSN)")
		return nil
	}
	runs, err := r.ingest(func(run int) (bf.Store, func(), error) {
		dsn, drop, err := freshSchema(r.ctx, r.cfg.PGDSN)
		if err != nil {
			return nil, nil, err
		}
		st, err := postgres.Open(r.ctx, dsn)
		if err != nil {
			drop()
			return nil, nil, err
		}
		return st, func() { st.Close(); drop() }, nil
	}, r.durablePlant(r.cfg.DurableEvents), r.cfg.Runs)
	if err != nil {
		return err
	}
	r.reportIngest("postgres", "PostgreSQL (synchronous_commit=on), loopback", runs, targetPostgres)
	return nil
}

// freshSchema creates an empty schema and returns a DSN using it and a
// function that drops it.
func freshSchema(ctx context.Context, dsn string) (string, func(), error) {
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer admin.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "backflush_bench_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, err
	}
	drop := func() {
		c, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	}
	if !strings.Contains(dsn, "://") {
		return dsn + " search_path=" + schema, drop, nil
	}
	u, err := url.Parse(dsn)
	if err != nil {
		drop()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}
