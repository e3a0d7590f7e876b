package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
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

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "scenario.yaml")
	if err := os.WriteFile(notDB, []byte("items:\n  - id: steel-rod\n    standard_cost: 1.125\n"+strings.Repeat("# padding\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE customers (id INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	newer := filepath.Join(dir, "newer.db")
	s, err := sqlite.Open(newer)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err = sql.Open("sqlite", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO schema_version (version, applied) VALUES (99, 'later')"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	for _, c := range []struct{ path, reason string }{
		{"", "needs a file"},
		{":memory:", "needs a file"},
		{filepath.Join(dir, "a?b.db"), "'?'"},
		{filepath.Join(dir, "missing", "dir", "x.db"), "cannot open or create"},
		{notDB, "not an SQLite database"},
		{foreign, "another application"},
		{newer, "newer"},
	} {
		_, err := sqlite.Open(c.path)
		var be *bf.Error
		if !errors.As(err, &be) || be.Kind != bf.KindInvalid || !strings.Contains(be.Reason, c.reason) || be.File != c.path {
			t.Errorf("Open(%q) = %v; want KindInvalid naming the file, with %q", c.path, err, c.reason)
		}
	}
	// The foreign database was left as it was.
	db, err = sql.Open("sqlite", foreign)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil || n != 1 {
		t.Errorf("the foreign database now has %d schema objects (%v), want 1", n, err)
	}
}

// TestAppendOnly: the file itself refuses to change or drop events and
// configuration versions, whoever asks.
func TestAppendOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "backflush.db")
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Append(ctx, []bf.Event{{ID: "e1", Date: 19000, Type: bf.Close}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveConfig(ctx, &bf.ConfigVersion{Document: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"UPDATE events SET id = 'e2'", "DELETE FROM events", "UPDATE configs SET note = 'x'", "DELETE FROM configs"} {
		if _, err := db.Exec(q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
}
