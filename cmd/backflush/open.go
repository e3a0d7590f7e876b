package main

import (
	"context"
	"errors"
	"os"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/postgres"
	"github.com/backflush/backflush/sqlite"
)

// openStore opens PostgreSQL when a DSN is given, else the embedded SQLite
// file: the default needs no server. Only init creates a store (create):
// every other command refuses a file that is not there rather than leave
// an empty store behind in the wrong folder. A failed open returns a nil
// interface, never one holding a nil pointer.
func openStore(ctx context.Context, db, pg string, create bool) (bf.Store, error) {
	if pg != "" {
		open := postgres.OpenExisting
		if create {
			open = postgres.Open
		}
		st, err := open(ctx, pg)
		if err != nil {
			return nil, err
		}
		return st, nil
	}
	if !create {
		if _, err := os.Stat(db); errors.Is(err, os.ErrNotExist) {
			return nil, bf.E("open store", bf.KindNotFound, bf.File(db),
				"no store here: create one with `backflush init SCENARIO` (or name the store with --db FILE or --pg DSN)")
		}
	}
	st, err := sqlite.Open(db)
	if err != nil {
		return nil, err
	}
	return st, nil
}
