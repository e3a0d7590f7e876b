package main

import (
	"context"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/postgres"
	"github.com/backflush/backflush/sqlite"
)

// openStore opens PostgreSQL when a DSN is given, else the embedded SQLite
// file: the default needs no server. A failed open returns a nil interface,
// never one holding a nil pointer.
func openStore(ctx context.Context, db, pg string) (bf.Store, error) {
	if pg != "" {
		st, err := postgres.Open(ctx, pg)
		if err != nil {
			return nil, err
		}
		return st, nil
	}
	st, err := sqlite.Open(db)
	if err != nil {
		return nil, err
	}
	return st, nil
}
