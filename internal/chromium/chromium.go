// Package chromium finds the headless browser that the browser tests drive
// (the dashboard's and the HTML report's).
package chromium

import (
	"os"
	"os/exec"
	"testing"
)

// Find returns the browser to use: $BACKFLUSH_CHROMIUM, else the first of
// the usual names on the PATH, else "".
func Find() string {
	if p := os.Getenv("BACKFLUSH_CHROMIUM"); p != "" {
		return p
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// Need returns the browser, or skips the test without one, except in CI
// (CI=true), where the page must be checked and a missing browser is a
// failure.
func Need(t testing.TB, what string) string {
	t.Helper()
	if p := Find(); p != "" {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found, and CI=true: " + what + " must run in CI (install the Debian package chromium)")
	}
	t.Skip("chromium not found: skipping " + what + " (install the Debian package chromium to run it)")
	return ""
}
