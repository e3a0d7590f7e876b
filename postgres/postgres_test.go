package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/testenv"
	"github.com/backflush/backflush/postgres"
	"github.com/backflush/backflush/storetest"
	"github.com/jackc/pgx/v5"
)

// dsnEnv names the test server's DSN variable (see testenv.RequirePostgres).
const dsnEnv = testenv.PostgresDSNEnv

// withSchema returns dsn with search_path set to schema, in either DSN form.
func withSchema(tb testing.TB, dsn, schema string) string {
	if !strings.Contains(dsn, "://") {
		return dsn + " search_path=" + schema
	}
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("%s: %v", dsnEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// freshSchema creates an empty schema, dropped when tb ends, and returns a
// DSN that works in it.
func freshSchema(tb testing.TB, dsn string) string {
	tb.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("connect to %s: %v", dsnEnv, err)
	}
	defer admin.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "backflush_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return withSchema(tb, dsn, schema)
}

func open(tb testing.TB, dsn string) *postgres.Store {
	tb.Helper()
	s, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	return s
}

// TestStore runs the conformance suite, each subtest in a fresh schema.
func TestStore(t *testing.T) {
	dsn := testenv.RequirePostgres(t)
	var mu sync.Mutex
	schemas := map[*testing.T]string{} // a subtest's DSN, so that it can reopen its schema
	storetest.Run(t, func(t *testing.T) bf.Store {
		mu.Lock()
		d, ok := schemas[t]
		if !ok {
			d = freshSchema(t, dsn)
			schemas[t] = d
		}
		mu.Unlock()
		return open(t, d)
	})
}

// TestOpenBadDSN needs no server: a malformed DSN is invalid input, and
// the error never repeats the password.
func TestOpenBadDSN(t *testing.T) {
	for _, dsn := range []string{"postgres://%zz", "postgres://u:s3cr3t-pw@host:badport/db", "host=x password=s3cr3t-pw port=abc"} {
		_, err := postgres.Open(context.Background(), dsn)
		if bf.ErrorKind(err) != bf.KindInvalid {
			t.Errorf("Open(%q): %v, want KindInvalid", dsn, err)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t-pw") {
			t.Errorf("Open(%q): the error shows the password: %v", dsn, err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dsn := testenv.RequirePostgres(t)
	ctx := context.Background()

	tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := postgres.Open(tctx, "postgres://postgres@127.0.0.1:1/x?sslmode=disable&connect_timeout=2"); err == nil {
		t.Error("Open of a port with no server succeeded")
	}

	// A schema from a newer Backflush is refused, not guessed at.
	d := freshSchema(t, dsn)
	s := open(t, d)
	s.Close()
	c, err := pgx.Connect(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "INSERT INTO schema_version (version) VALUES (99)"); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Open(ctx, d)
	var be *bf.Error
	if !errors.As(err, &be) || be.Kind != bf.KindInvalid || !strings.Contains(be.Reason, "newer") {
		t.Errorf("Open of a newer schema: %v, want KindInvalid naming the newer version", err)
	}
}

// TestAppendOnly: the database itself refuses to change or drop events and
// configuration versions, whoever asks.
func TestAppendOnly(t *testing.T) {
	dsn := freshSchema(t, testenv.RequirePostgres(t))
	ctx := context.Background()
	s := open(t, dsn)
	defer s.Close()
	if err := s.Append(ctx, []bf.Event{{ID: "e1", Date: 19000, Type: bf.Close}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveConfig(ctx, &bf.ConfigVersion{Document: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	for _, q := range []string{
		"UPDATE events SET id = 'e2'", "DELETE FROM events", "TRUNCATE events",
		"UPDATE configs SET note = 'x'", "DELETE FROM configs", "TRUNCATE configs",
	} {
		if _, err := c.Exec(ctx, q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
}

func BenchmarkStore(b *testing.B) {
	dsn := testenv.RequirePostgres(b)
	storetest.Bench(b, func(b *testing.B) bf.Store { return open(b, freshSchema(b, dsn)) })
}
