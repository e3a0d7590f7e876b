// Package testenv holds the one rule for tests that need something from
// outside Go: an installed program (ledger, hledger, beancount, python3),
// the headless browser, or a PostgreSQL server.
//
//   - With -short such a test is skipped: `go test -short ./...` is the
//     quick run, of everything that needs nothing installed.
//   - Otherwise it runs when what it needs is there. When it is missing the
//     test is skipped, saying what to install, except under CI=true, where
//     it fails: .ci/run installs and starts everything, and a skip there
//     would hide an untested path.
//   - Under CI=true nothing skips, with -short or without.
package testenv

import (
	"os"
	"os/exec"
	"testing"

	"github.com/backflush/backflush/internal/chromium"
)

// PostgresDSNEnv names the variable holding the test PostgreSQL server's
// DSN; .ci/run starts a server and sets it.
const PostgresDSNEnv = "BACKFLUSH_TEST_PG_DSN"

// CI reports whether the tests run in CI (CI=true), where nothing may skip.
func CI() bool { return os.Getenv("CI") == "true" }

// Require applies the rule to a test that needs what: find returns it (a
// path, a DSN), or "" when it is missing; hint says how to get it.
// Require returns what find returned, or ends the test.
func Require(t testing.TB, what, hint string, find func() string) string {
	t.Helper()
	if testing.Short() && !CI() {
		t.Skip("needs " + what + ": skipped with -short")
	}
	if v := find(); v != "" {
		return v
	}
	if CI() {
		t.Fatal(what + " is missing, and CI=true requires this test to run (" + hint + ")")
	}
	t.Skip(what + " is missing: skipped (" + hint + ")")
	return ""
}

// RequireTool returns the path of the program name, which the Debian
// package pkg provides, under the rule of Require.
func RequireTool(t testing.TB, name, pkg string) string {
	t.Helper()
	return Require(t, name, "apt-get install "+pkg, func() string {
		p, _ := exec.LookPath(name)
		return p
	})
}

// RequireBrowser returns the path of the headless browser (see
// chromium.Find) under the rule of Require.
func RequireBrowser(t testing.TB) string {
	t.Helper()
	return Require(t, "chromium", "apt-get install chromium, or set BACKFLUSH_CHROMIUM", chromium.Find)
}

// RequirePostgres returns the DSN of the test PostgreSQL server, from
// $BACKFLUSH_TEST_PG_DSN, under the rule of Require.
func RequirePostgres(t testing.TB) string {
	t.Helper()
	return Require(t, PostgresDSNEnv, "set it to a server's DSN; .ci/run starts one", func() string {
		return os.Getenv(PostgresDSNEnv)
	})
}
