// Package chromium finds the headless browser that the browser tests drive
// (the dashboard's and the HTML report's); testenv.RequireBrowser decides
// whether they run.
package chromium

import (
	"os"
	"os/exec"
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
