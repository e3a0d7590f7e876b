package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backflush/backflush/service"
	"github.com/backflush/backflush/sqlite"
)

// initStore makes an embedded store holding the Acton plant and its events.
func initStore(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "plant.db")
	doc, err := os.ReadFile("../../testdata/acton/scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := service.Init(context.Background(), st, doc, "scenario.yaml"); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestTokenCommands(t *testing.T) {
	db := initStore(t)
	code, secret, stderr := runMain(t, "token", "create", "--db", db, "--name", "alice", "--role", "controller")
	secret = strings.TrimSpace(secret)
	if code != 0 || !strings.HasPrefix(secret, "bft_") || !strings.Contains(stderr, "cannot be shown again") {
		t.Fatalf("create: %d %q %q", code, secret, stderr)
	}
	code, out, _ := runMain(t, "token", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "alice") || !strings.Contains(out, "controller") || strings.Contains(out, secret) {
		t.Fatalf("list: %d %q", code, out)
	}
	if code, _, stderr := runMain(t, "token", "create", "--db", db, "--name", "bob", "--role", "boss"); code != 3 || !strings.Contains(stderr, "role") {
		t.Errorf("a bad role: %d %q", code, stderr)
	}
	if code, _, _ := runMain(t, "token", "delete", "--db", db); code != 2 {
		t.Errorf("delete without --name or --hash: %d, want 2", code)
	}
	if code, out, _ := runMain(t, "token", "delete", "--db", db, "--name", "alice"); code != 0 || !strings.Contains(out, "deleted 1") {
		t.Errorf("delete: %d %q", code, out)
	}
	if code, _, _ := runMain(t, "token", "delete", "--db", db, "--name", "alice"); code != 4 {
		t.Errorf("deleting a token twice: %d, want 4", code)
	}
	if code, _, _ := runMain(t, "token", "rotate"); code != 2 {
		t.Errorf("an unknown token command: %d, want 2", code)
	}
}

// TestServeCommand runs backflush serve on an embedded store as a child
// process, reads the books through the API with a token made by the CLI,
// and stops it with SIGTERM: it exits 0 after logging every request.
func TestServeCommand(t *testing.T) {
	db := initStore(t)
	_, secret, _ := runMain(t, "token", "create", "--db", db, "--name", "viewer", "--role", "viewer")
	secret = strings.TrimSpace(secret)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BACKFLUSH_RUN_MAIN=1", "BACKFLUSH_ARGS=serve --db "+db+" --addr "+addr)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	}()
	up := false
	for i := 0; i < 100 && !up; i++ {
		if res, err := http.Get("http://" + addr + "/healthz"); err == nil {
			res.Body.Close()
			up = res.StatusCode == 200
		} else {
			time.Sleep(50 * time.Millisecond)
		}
	}
	if !up {
		t.Fatalf("serve did not come up within 5 s: %s", errb.String())
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/books", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var books struct{ Books []struct{ Book string } }
	json.NewDecoder(res.Body).Decode(&books)
	res.Body.Close()
	if res.StatusCode != 200 || len(books.Books) < 2 {
		t.Errorf("books through serve: %d %+v", res.StatusCode, books)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v\n%s", err, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
	if !strings.Contains(out.String(), "serving") || !strings.Contains(errb.String(), `"route":"/api/v1/books"`) {
		t.Errorf("stdout %q\nstderr %q", out.String(), errb.String())
	}
}
