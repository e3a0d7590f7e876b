package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/eventio"
	"github.com/backflush/backflush/gen"
	"github.com/backflush/backflush/httpapi"
	"github.com/backflush/backflush/service"
	"github.com/backflush/backflush/sqlite"
)

// http measures batched POSTs to the HTTP API: the server (httpapi over the
// service on the embedded store) listens on 127.0.0.1 in this process, and
// clients goroutines each post a batch as JSON Lines and wait for its
// answer (the batch durable) before sending the next, so at most clients
// requests are in flight and each body is one batch (bounded well below
// the 16 MiB limit). The clients encode their batches on the clock, as
// real clients would; they share the two cores with the server.
func (r *runner) http() error {
	g, _, err := compile(r.durablePlant(r.cfg.HTTPEvents))
	if err != nil {
		return err
	}
	doc, err := scenarioDoc(g, r.cfg.DurableBooks)
	if err != nil {
		return err
	}
	var runs []ingestRun
	var bodyMax int
	for run := 0; run < r.cfg.Runs; run++ {
		res, most, err := r.httpOnce(run, doc, g)
		if err != nil {
			return err
		}
		runs = append(runs, res)
		bodyMax = max(bodyMax, most)
	}
	var rates, p50, p99 []float64
	for _, x := range runs {
		rates = append(rates, x.rate)
		p50 = append(p50, float64(x.p50.Microseconds())/1000)
		p99 = append(p99, float64(x.p99.Microseconds())/1000)
	}
	how := fmt.Sprintf("POST /api/v1/events into %d book(s), JSON Lines batches of %d (≤ %s), %d clients, SQLite store", r.cfg.DurableBooks, r.cfg.HTTPBatch, bytesText(int64(bodyMax)), r.cfg.Clients)
	r.add(Figure{Section: "http", Name: "HTTP ingestion, " + how, Value: median(rates), Unit: "events/s", Target: targetHTTP, Runs: rates})
	r.add(Figure{Section: "http", Name: "response p50", Value: median(p50), Unit: "ms", Runs: p50})
	r.add(Figure{Section: "http", Name: "response p99", Value: median(p99), Unit: "ms", Runs: p99})
	return nil
}

func (r *runner) httpOnce(run int, doc []byte, g *gen.Generator) (ingestRun, int, error) {
	ctx := r.ctx
	path := filepath.Join(r.dir, fmt.Sprintf("http-%d.db", run))
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
	}()
	st, err := sqlite.Open(path)
	if err != nil {
		return ingestRun{}, 0, err
	}
	defer st.Close()
	if err := service.Init(ctx, st, doc, "gen.yaml"); err != nil {
		return ingestRun{}, 0, err
	}
	svc, err := service.Open(ctx, st)
	if err != nil {
		return ingestRun{}, 0, err
	}
	secret, tok, err := httpapi.NewToken("bench", bf.Operator)
	if err != nil {
		return ingestRun{}, 0, err
	}
	if err := st.PutToken(ctx, &tok); err != nil {
		return ingestRun{}, 0, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return ingestRun{}, 0, err
	}
	srv := &http.Server{Handler: httpapi.New(svc, nil, httpapi.Options{}), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())
	url := "http://" + ln.Addr().String() + "/api/v1/events"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: r.cfg.Clients}, Timeout: time.Minute}
	defer client.CloseIdleConnections()

	b := newBatcher(g, r.cfg.HTTPBatch)
	defer b.stop()
	lat := make([][]time.Duration, r.cfg.Clients)
	errs := make([]error, r.cfg.Clients)
	var total atomic.Int64
	var most atomic.Int64
	var wg sync.WaitGroup
	t0 := time.Now()
	for c := range r.cfg.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var body bytes.Buffer
			for errs[c] == nil {
				evs, _ := b.batch()
				if evs == nil {
					return
				}
				s := time.Now()
				body.Reset()
				if err := eventio.WriteJSONL(&body, evs, g.Plant().Currency.Scale); err != nil {
					errs[c] = err
					return
				}
				if n := int64(body.Len()); n > most.Load() {
					most.Store(n)
				}
				n, err := post(client, url, secret, body.Bytes())
				lat[c] = append(lat[c], time.Since(s))
				if err == nil && n != len(evs) {
					err = fmt.Errorf("%d of %d events accepted", n, len(evs))
				}
				total.Add(int64(n))
				errs[c] = err
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	for _, err := range errs {
		if err != nil {
			return ingestRun{}, 0, err
		}
	}
	if n, err := st.Len(ctx); err != nil || n != total.Load() {
		return ingestRun{}, 0, fmt.Errorf("the log holds %d events after posting %d (%v)", n, total.Load(), err)
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	return ingestRun{rate: float64(total.Load()) / elapsed.Seconds(), p50: quantile(all, 0.50), p99: quantile(all, 0.99)}, int(most.Load()), nil
}

// post sends one batch and returns how many events the server accepted.
func post(client *http.Client, url, secret string, body []byte) (int, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "application/x-ndjson")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("POST events: %s: %s", resp.Status, data)
	}
	var res struct {
		Accepted int `json:"accepted"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		return 0, err
	}
	return res.Accepted, nil
}
