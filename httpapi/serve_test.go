package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"log/slog"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/httpapi"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// waitUp polls /healthz for at most 5 s.
func waitUp(t *testing.T, addr string, errc chan error) {
	t.Helper()
	for i := 0; i < 100; i++ {
		select {
		case err := <-errc:
			t.Fatalf("Serve returned early: %v", err)
		default:
		}
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the server did not come up within 5 s")
}

// TestServeShutsDownGracefully runs Serve as the CLI does: a request in
// flight when the shutdown starts still completes, and Serve returns nil;
// every request left one JSON log line.
func TestServeShutsDownGracefully(t *testing.T) {
	e := newEnv(t)
	var logs syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- httpapi.Serve(ctx, addr, e.svc, logger) }()
	waitUp(t, addr, errc)

	// Hold the books' read lock so that a batch waits inside the server.
	hold, release := make(chan struct{}), make(chan struct{})
	go e.svc.View(func(*costing.Ledger) error { close(hold); <-release; return nil })
	<-hold
	got := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/events",
			strings.NewReader(`[{"id":"inflight","date":"2026-01-20","type":"purchase","item":"dm","qty":"1","unit_cost":"1"}]`))
		req.Header.Set("Authorization", "Bearer "+e.secret[bf.Operator])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- -1
			return
		}
		res.Body.Close()
		got <- res.StatusCode
	}()
	time.Sleep(200 * time.Millisecond) // the batch is now waiting for the lock
	cancel()                           // shutdown starts with the request in flight
	time.Sleep(100 * time.Millisecond)
	close(release)
	select {
	case st := <-got:
		if st != 200 {
			t.Errorf("the request in flight got %d, want 200", st)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the request in flight never finished")
	}
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("Serve after shutdown: %v", err)
		}
	case <-time.After(httpapi.ShutdownTimeout + 5*time.Second):
		t.Fatal("Serve did not return after shutdown")
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Error("the server still answers after Serve returned")
	}
	// One JSON line per request, with what an operator needs.
	requests := 0
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("a log line is not JSON: %q", l)
		}
		if m["msg"] != "request" {
			continue
		}
		requests++
		for _, k := range []string{"method", "route", "status", "duration_s", "remote"} {
			if _, ok := m[k]; !ok {
				t.Errorf("log line without %s: %s", k, l)
			}
		}
		if m["route"] == "/api/v1/events" && (m["status"] != float64(200) || m["token"] != "operator-tester") {
			t.Errorf("the batch's log line: %s", l)
		}
	}
	if requests < 2 {
		t.Errorf("%d request log lines:\n%s", requests, logs.String())
	}
}

// TestServeStopsOnSIGTERM sends the process SIGTERM, as a service manager
// does: Serve catches it, shuts down and returns nil.
func TestServeStopsOnSIGTERM(t *testing.T) {
	e := newEnv(t)
	addr := freeAddr(t)
	errc := make(chan error, 1)
	go func() { errc <- httpapi.Serve(context.Background(), addr, e.svc, nil) }()
	waitUp(t, addr, errc) // Serve listens for signals before it answers
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("Serve after SIGTERM: %v", err)
		}
	case <-time.After(httpapi.ShutdownTimeout + 5*time.Second):
		t.Fatal("Serve did not stop on SIGTERM")
	}
}

func TestServeRefusesABadAddress(t *testing.T) {
	e := newEnv(t)
	err := httpapi.Serve(context.Background(), "127.0.0.1:notaport", e.svc, nil)
	if bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("a bad address: %v", err)
	}
}
