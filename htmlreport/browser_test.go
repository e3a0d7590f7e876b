package htmlreport_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backflush/backflush/internal/testenv"
)

// The browser test opens the report in headless Chromium, driven directly
// (no WebDriver, no dependency): --dump-dom prints the page after its
// script ran, and --enable-logging=stderr prints every console message
// (log, warning, error, uncaught exception, failed resource load) as a
// line with ":CONSOLE". It runs under testenv's rule: skipped with -short
// or without a browser, except in CI (CI=true), where it always runs.

// consoleLine matches a console message in Chromium's log.
var consoleLine = regexp.MustCompile(`:CONSOLE[(:]`)

// open loads a page in headless Chromium and returns the DOM after its
// scripts ran and the console messages it logged.
func open(t *testing.T, browser, page string) (dom string, console []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+t.TempDir(), "--enable-logging=stderr", "--v=0",
		"--dump-dom", "file://"+page)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", browser, err, errb.String())
	}
	for _, l := range strings.Split(errb.String(), "\n") {
		if consoleLine.MatchString(l) || strings.Contains(l, "Uncaught") {
			console = append(console, l)
		}
	}
	return out.String(), console
}

func TestReportInBrowser(t *testing.T) {
	browser := testenv.RequireBrowser(t)
	dir := t.TempDir()

	// First, the check itself must be able to fail: a page with a console
	// error and a broken script is caught.
	bad := filepath.Join(dir, "bad.html")
	if err := os.WriteFile(bad, []byte(`<!DOCTYPE html><html><body><svg class="chart"></svg>`+
		`<script>console.error("boom");undefinedFunction()</script></body></html>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, console := open(t, browser, bad); len(console) < 2 {
		t.Fatalf("a page with a console error and an uncaught exception gave %d console lines: the check cannot see errors", len(console))
	}

	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, render(t, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, console := open(t, browser, page)
	if len(console) > 0 {
		t.Errorf("the report logged to the console:\n%s", strings.Join(console, "\n"))
	}
	// The report's one script counts the charts the browser built.
	m := regexp.MustCompile(`<body data-charts="(\d+)"`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the report's script did not run: no data-charts on the body\n%.500s", dom)
	}
	if m[1] != strconv.Itoa(charts) {
		t.Errorf("the browser built %s charts, want %d", m[1], charts)
	}
	if n := strings.Count(dom, "<svg "); n != charts {
		t.Errorf("%d svg elements in the rendered page, want %d", n, charts)
	}
	for _, s := range []string{"<polygon", "<polyline", "<path", "<rect"} {
		if !strings.Contains(dom, s) {
			t.Errorf("the rendered charts have no %s", s)
		}
	}
}
