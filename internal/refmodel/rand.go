package refmodel

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// Rand returns the PCG source of a seed; stream tells apart the tests that
// share seed numbers.
func Rand(seed, stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }

// Seeds runs f for the seeds 1 to n, each as a subtest named seed=N, and
// stops at the first seed that fails (the first says enough), telling how to
// rerun it alone.
func Seeds(t *testing.T, n uint64, f func(t *testing.T, seed uint64)) {
	t.Helper()
	for seed := uint64(1); seed <= n; seed++ {
		if !t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) { f(t, seed) }) {
			t.Logf("seed %d fails; rerun it alone with: go test -run '^%s$/^seed=%d$' -v", seed, t.Name(), seed)
			return
		}
	}
}
