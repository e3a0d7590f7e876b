// Package scenariotest loads and costs scenarios for tests: the one way
// every package's tests turn a scenario file or document into its
// configuration and ledger. It imports testing, so only tests import it;
// it imports only the root package, costing and scenario, so the tests of
// any other package (and the external tests of those three) can.
package scenariotest

import (
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/scenario"
)

// Build loads the scenario file and posts its events into the books
// (costing.Build), failing the test on any error.
func Build(t testing.TB, file string) (*bf.Config, *costing.Ledger) {
	t.Helper()
	sc, err := scenario.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	return sc, cost(t, sc, file)
}

// Decode decodes a scenario document, named name in error messages, and
// posts its events into the books, failing the test on any error.
func Decode(t testing.TB, name, yaml string) (*bf.Config, *costing.Ledger) {
	t.Helper()
	sc, err := scenario.Decode(name, []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return sc, cost(t, sc, name)
}

func cost(t testing.TB, sc *bf.Config, file string) *costing.Ledger {
	t.Helper()
	l, err := costing.Build(sc, file)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
