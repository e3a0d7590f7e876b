package sqlite

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
)

// TestPragmas: every connection of the pool, not only the first, runs in
// WAL mode with synchronous=FULL, which is what makes Append durable.
func TestPragmas(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "backflush.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	// Hold several connections at once so that the pool opens new ones.
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := s.db.Conn(ctx)
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			var mode string
			var sync, busy int
			if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
				t.Error(err)
			}
			if err := conn.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
				t.Error(err)
			}
			if err := conn.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
				t.Error(err)
			}
			if mode != "wal" || sync != 2 || busy < 1000 {
				t.Errorf("connection has journal_mode=%s synchronous=%d busy_timeout=%d; want wal, 2 (FULL), ≥1000", mode, sync, busy)
			}
		}()
	}
	wg.Wait()
}
