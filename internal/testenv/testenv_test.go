package testenv

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// childEnv, when set, makes TestChild need something that is there
// ("true") or missing ("false"); TestRule sets it in a child process.
const childEnv = "BACKFLUSH_TESTENV_PRESENT"

// TestChild is the test TestRule runs in a child process. Run directly,
// it does nothing.
func TestChild(t *testing.T) {
	present, ok := os.LookupEnv(childEnv)
	if !ok {
		return
	}
	Require(t, "the thing", "get it", func() string {
		if present == "true" {
			return "here"
		}
		return ""
	})
}

// TestRule checks the rule's verdict in every case: -short or not, CI or
// not, what the test needs there or not.
func TestRule(t *testing.T) {
	for _, c := range []struct {
		short, ci, present bool
		want               string
	}{
		{false, false, true, "PASS"},
		{false, false, false, "SKIP"},
		{true, false, true, "SKIP"},
		{true, false, false, "SKIP"},
		{false, true, true, "PASS"},
		{false, true, false, "FAIL"},
		{true, true, true, "PASS"},
		{true, true, false, "FAIL"},
	} {
		args := []string{"-test.run=^TestChild$", "-test.v", "-test.short=" + strconv.FormatBool(c.short)}
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "CI="+strconv.FormatBool(c.ci), childEnv+"="+strconv.FormatBool(c.present))
		out, _ := cmd.CombinedOutput()
		if !strings.Contains(string(out), "--- "+c.want+": TestChild") {
			t.Errorf("-short=%v CI=%v present=%v: want %s, got:\n%s", c.short, c.ci, c.present, c.want, out)
		}
	}
}
