package sqlite_test

import (
	"path/filepath"
	"sync"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/sqlite"
	"github.com/backflush/backflush/storetest"
)

// TestStore runs the conformance suite, each subtest on its own file.
func TestStore(t *testing.T) {
	var mu sync.Mutex
	paths := map[*testing.T]string{} // a subtest's file, so that it can reopen it
	storetest.Run(t, func(t *testing.T) bf.Store {
		mu.Lock()
		path, ok := paths[t]
		if !ok {
			path = filepath.Join(t.TempDir(), "backflush.db")
			paths[t] = path
		}
		mu.Unlock()
		s, err := sqlite.Open(path)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	})
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) bf.Store {
		s, err := sqlite.Open(filepath.Join(b.TempDir(), "backflush.db"))
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}
