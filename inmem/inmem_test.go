package inmem_test

import (
	"sync"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/inmem"
	"github.com/backflush/backflush/storetest"
)

// TestStore runs the conformance suite; a subtest's second open reopens
// its first store's storage.
func TestStore(t *testing.T) {
	var mu sync.Mutex
	opened := map[*testing.T]*inmem.Store{}
	storetest.Run(t, func(t *testing.T) bf.Store {
		mu.Lock()
		defer mu.Unlock()
		if st, ok := opened[t]; ok {
			return st.Reopen()
		}
		st := inmem.New()
		opened[t] = st
		return st
	})
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(*testing.B) bf.Store { return inmem.New() })
}
