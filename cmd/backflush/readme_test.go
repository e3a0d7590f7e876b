package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backflush/backflush/internal/textfmt"
)

// readmeBlock returns the lines of the first sh block under a README
// heading.
func readmeBlock(t *testing.T, heading string) []string {
	t.Helper()
	doc, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(doc), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README has no %q", heading)
	}
	_, after, ok = strings.Cut(after, "```sh\n")
	block, _, ok2 := strings.Cut(after, "\n```")
	if !ok || !ok2 {
		t.Fatalf("no sh block under %q", heading)
	}
	var lines []string
	for _, ln := range strings.Split(block, "\n") {
		if strings.TrimSpace(ln) != "" {
			lines = append(lines, ln)
		}
	}
	return lines
}

// TestREADMEPath runs the README's four commands from the demo to a
// running plant exactly as written, with the real binary on PATH, in an
// empty folder; serve runs on a free loopback port (BACKFLUSH_ADDR). The
// dashboard must then show the demo's month: its plant, and the revenue
// of every book equal to the demo's own comparison.
func TestREADMEPath(t *testing.T) {
	lines := readmeBlock(t, "## From the demo to a running plant")
	if len(lines) != 4 {
		t.Fatalf("the README's path has %d commands, want 4: %q", len(lines), lines)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "backflush"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	work := filepath.Join(dir, "run")
	os.Mkdir(work, 0o755)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "BACKFLUSH_ADDR="+addr)
	var printed bytes.Buffer
	for _, line := range lines {
		cmd := exec.Command("bash", "-c", line)
		cmd.Dir, cmd.Env = work, env
		if strings.Contains(line, "backflush serve") {
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			var serveErr bytes.Buffer
			cmd.Stdout, cmd.Stderr = io.Discard, &serveErr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
				cmd.Wait()
			})
			continue
		}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		printed.Write(out)
	}
	token := regexp.MustCompile(`bft_[A-Za-z0-9_-]+`).FindString(printed.String())
	if token == "" {
		t.Fatalf("no token printed by the README's commands:\n%s", printed.String())
	}
	client := &http.Client{Timeout: 10 * time.Second}
	get := func(path string) []byte {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
		}
		return body
	}
	for i := 0; ; i++ {
		res, err := client.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			break
		}
		if i == 100 {
			t.Fatalf("serve did not answer on %s: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The demo's own figures, from the same binary's code.
	code, out, stderr := call("demo", "--no-report", "--compare-disturbed=false", "--format", "json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var demo struct {
		Runs []struct {
			Comparison []struct {
				Book    string `json:"book"`
				Revenue string `json:"revenue"`
			} `json:"comparison"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &demo); err != nil || len(demo.Runs) != 1 || len(demo.Runs[0].Comparison) != 5 {
		t.Fatalf("demo JSON: %v", err)
	}
	var books struct {
		Books []struct {
			Book    string `json:"book"`
			Revenue string `json:"revenue"`
		} `json:"books"`
	}
	if err := json.Unmarshal(get("/api/v1/books"), &books); err != nil {
		t.Fatal(err)
	}
	if len(books.Books) != len(demo.Runs[0].Comparison) {
		t.Fatalf("the service keeps %d books, the demo %d", len(books.Books), len(demo.Runs[0].Comparison))
	}
	home := string(get("/"))
	for i, b := range books.Books {
		d := demo.Runs[0].Comparison[i]
		if b.Book != d.Book || b.Revenue != d.Revenue {
			t.Errorf("book %d: service %s %s, demo %s %s", i, b.Book, b.Revenue, d.Book, d.Revenue)
		}
		if !strings.Contains(home, textfmt.Grouped(d.Revenue, textfmt.Hyphen)) {
			t.Errorf("the dashboard does not show %s's revenue %s", d.Book, d.Revenue)
		}
	}
	if !strings.Contains(home, "Sample JIT vehicle plant") {
		t.Errorf("the dashboard does not name the demo's plant")
	}
}
