package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/testenv"
	"github.com/backflush/backflush/postgres"
)

// TestOpenExistingCreatesNothing: a schema without a store is NotFound and
// stays empty; once Open made the store, OpenExisting opens it.
func TestOpenExistingCreatesNothing(t *testing.T) {
	dsn := freshSchema(t, testenv.RequirePostgres(t))
	ctx := context.Background()
	if _, err := postgres.OpenExisting(ctx, dsn); bf.ErrorKind(err) != bf.KindNotFound {
		t.Fatalf("OpenExisting of an empty schema: %v, want not found", err)
	}
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var tables int
	if err := c.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Fatalf("OpenExisting left %d tables in the schema", tables)
	}
	st, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	st2, err := postgres.OpenExisting(ctx, dsn)
	if err != nil {
		t.Fatalf("OpenExisting of a store: %v", err)
	}
	st2.Close()
}
