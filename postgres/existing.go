package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/eventlog"
)

// OpenExisting opens a database that already holds a Backflush store, as
// Open does, but creates nothing first: a database (or search_path)
// without the store's schema — a wrong DSN — is NotFound, and is left as
// it was. Every command but init opens a store this way, so that reading
// never creates one.
func OpenExisting(ctx context.Context, dsn string) (*Store, error) {
	const op = "open store"
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// The parse error redacts the password; the DSN itself is not echoed.
		return nil, bf.E(op, bf.KindInvalid, bf.Field("dsn"), "is not a PostgreSQL connection string", err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, bf.E(op, bf.KindInternal, "cannot connect to PostgreSQL", eventlog.WithCtx(ctx, err))
	}
	var exists bool
	err = conn.QueryRow(ctx, `SELECT to_regclass('schema_version') IS NOT NULL`).Scan(&exists)
	conn.Close(ctx)
	if err != nil {
		return nil, bf.E(op, bf.KindInternal, "cannot read the database's tables", eventlog.WithCtx(ctx, err))
	}
	if !exists {
		return nil, bf.E(op, bf.KindNotFound, bf.Field("pg"),
			"no store in this database (or its search_path): create one with `backflush init SCENARIO --pg DSN`")
	}
	return Open(ctx, dsn)
}
