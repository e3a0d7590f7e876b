package httpapi

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// metrics are the server's Prometheus metrics, kept by hand in the text
// exposition format (version 0.0.4): the handful of series needed here do
// not justify a client library and its dependencies. Label values are route
// patterns, never raw paths, so the number of series stays bounded whatever
// clients request.
type metrics struct {
	mu       sync.Mutex
	requests map[reqKey]uint64
	duration map[durKey]*histogram

	ingested, duplicates, batches uint64
}

type reqKey struct {
	method, route string
	code          int
}

type durKey struct{ method, route string }

// buckets are the histogram's upper bounds in seconds: Prometheus's default
// buckets, which span a cache hit to a large batch.
var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	n      uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[reqKey]uint64{}, duration: map[durKey]*histogram{}}
}

// observe records one request.
func (m *metrics) observe(method, route string, code int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[reqKey{method, route, code}]++
	k := durKey{method, route}
	h := m.duration[k]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(buckets))}
		m.duration[k] = h
	}
	s := d.Seconds()
	for i, b := range buckets {
		if s <= b {
			h.counts[i]++
			break
		}
	}
	h.sum += s
	h.n++
}

// ingest records one accepted batch.
func (m *metrics) ingest(accepted, duplicates int) {
	m.mu.Lock()
	m.batches++
	m.ingested += uint64(accepted)
	m.duplicates += uint64(duplicates)
	m.mu.Unlock()
}

// labelValue escapes a label value as the exposition format requires.
func labelValue(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// write writes every series, sorted so that scrapes are stable; events is
// the books_events gauge, read by the caller under the service's lock.
func (m *metrics) write(w io.Writer, events int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# HELP http_requests_total HTTP requests served, by method, route pattern and status code.")
	fmt.Fprintln(w, "# TYPE http_requests_total counter")
	rk := make([]reqKey, 0, len(m.requests))
	for k := range m.requests {
		rk = append(rk, k)
	}
	slices.SortFunc(rk, func(a, b reqKey) int {
		if c := strings.Compare(a.route, b.route); c != 0 {
			return c
		}
		if c := strings.Compare(a.method, b.method); c != 0 {
			return c
		}
		return a.code - b.code
	})
	for _, k := range rk {
		fmt.Fprintf(w, "http_requests_total{method=%s,route=%s,code=%s} %d\n", labelValue(k.method), labelValue(k.route), labelValue(strconv.Itoa(k.code)), m.requests[k])
	}
	fmt.Fprintln(w, "# HELP http_request_duration_seconds Time to serve a request, by method and route pattern.")
	fmt.Fprintln(w, "# TYPE http_request_duration_seconds histogram")
	dk := make([]durKey, 0, len(m.duration))
	for k := range m.duration {
		dk = append(dk, k)
	}
	slices.SortFunc(dk, func(a, b durKey) int {
		if c := strings.Compare(a.route, b.route); c != 0 {
			return c
		}
		return strings.Compare(a.method, b.method)
	})
	for _, k := range dk {
		h := m.duration[k]
		lbl := "method=" + labelValue(k.method) + ",route=" + labelValue(k.route)
		var cum uint64
		for i, b := range buckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "http_request_duration_seconds_bucket{%s,le=%s} %d\n", lbl, labelValue(fmtFloat(b)), cum)
		}
		fmt.Fprintf(w, "http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %d\n", lbl, h.n)
		fmt.Fprintf(w, "http_request_duration_seconds_sum{%s} %s\n", lbl, fmtFloat(h.sum))
		fmt.Fprintf(w, "http_request_duration_seconds_count{%s} %d\n", lbl, h.n)
	}
	fmt.Fprintln(w, "# HELP events_ingested_total Events accepted into the log since the server started.")
	fmt.Fprintln(w, "# TYPE events_ingested_total counter")
	fmt.Fprintf(w, "events_ingested_total %d\n", m.ingested)
	fmt.Fprintln(w, "# HELP events_duplicate_total Events skipped because the log already held them with the same content.")
	fmt.Fprintln(w, "# TYPE events_duplicate_total counter")
	fmt.Fprintf(w, "events_duplicate_total %d\n", m.duplicates)
	fmt.Fprintln(w, "# HELP ingest_batches_total Batches of events accepted since the server started.")
	fmt.Fprintln(w, "# TYPE ingest_batches_total counter")
	fmt.Fprintf(w, "ingest_batches_total %d\n", m.batches)
	fmt.Fprintln(w, "# HELP books_events Events in the books (the whole log, replayed).")
	fmt.Fprintln(w, "# TYPE books_events gauge")
	fmt.Fprintf(w, "books_events %d\n", events)
}
