// Package postgres is Backflush's shared store: a bf.Store on PostgreSQL
// through github.com/jackc/pgx/v5, for plants where several processes or
// machines post events and read the books.
//
// Append returns once its transaction has committed, and every connection
// runs with synchronous_commit=on whatever the server's default, so the
// commit has reached the server's write-ahead log on disk (provided the
// server keeps fsync=on, its default). Each batch is one transaction:
// small batches are one multi-row INSERT, large ones a COPY.
//
// The tables are created in the connection's current schema, so a DSN with
// search_path=<schema> keeps several plants, or test runs, apart in one
// database.
package postgres

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/eventlog"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// copyFrom is the batch size from which Append uses COPY. COPY streams rows
// fastest but costs extra round trips to set up; below this size one
// INSERT … SELECT FROM unnest(arrays), sent in the same round trip as the
// log lock, is quicker.
const copyFrom = 256

// pageSize is how many events Replay reads per query; fn is called between
// queries, outside any transaction, so a slow fn holds no connection and no
// snapshot that would keep vacuum from cleaning up.
const pageSize = 1024

// commitTimeout bounds a COMMIT. The commit runs without the caller's
// cancellation (see Append) but must not hang forever on a dead network.
const commitTimeout = 30 * time.Second

// migrations are the schema versions in order: migrations[i] brings the
// schema from version i to i+1. A released migration never changes.
var migrations = []string{
	`
CREATE TABLE events (
	seq     bigserial PRIMARY KEY, -- the order of the log; may have gaps, never reorders
	id      text NOT NULL,
	payload json NOT NULL,         -- the event as eventio JSON, amounts in minor units; json keeps the bytes as written
	CONSTRAINT events_id_key UNIQUE (id)
);

-- One row: the number of events, and the lock that serializes appends (see Append).
CREATE TABLE log_state (
	one    boolean PRIMARY KEY DEFAULT true CHECK (one),
	events bigint NOT NULL
);
INSERT INTO log_state (events) VALUES (0);

CREATE FUNCTION backflush_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'backflush: % cannot be changed, only added to', TG_TABLE_NAME;
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
	FOR EACH ROW EXECUTE FUNCTION backflush_refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
	FOR EACH STATEMENT EXECUTE FUNCTION backflush_refuse_change();

CREATE TABLE configs (
	version   integer PRIMARY KEY,
	effective integer NOT NULL, -- bf.Date: days since 1970-01-01
	document  bytea NOT NULL,
	note      text NOT NULL,
	created   timestamptz NOT NULL
);
CREATE TRIGGER configs_immutable BEFORE UPDATE OR DELETE ON configs
	FOR EACH ROW EXECUTE FUNCTION backflush_refuse_change();
CREATE TRIGGER configs_no_truncate BEFORE TRUNCATE ON configs
	FOR EACH STATEMENT EXECUTE FUNCTION backflush_refuse_change();

CREATE TABLE tokens (
	hash    text PRIMARY KEY, -- hex SHA-256 of the secret; the secret is never stored
	name    text NOT NULL,
	role    smallint NOT NULL CHECK (role BETWEEN 1 AND 4),
	created timestamptz NOT NULL
);
`,
}

// Store is a bf.Store on PostgreSQL. It is safe for concurrent use, and
// several processes may share one database.
type Store struct {
	pool      *pgxpool.Pool
	closed    atomic.Bool
	closeOnce sync.Once
}

var _ bf.Store = (*Store)(nil)

// Open connects to the PostgreSQL database named by dsn (a URL such as
// postgres://user@host:5432/db?sslmode=disable&search_path=plant1, or
// key=value pairs) and creates or migrates the schema. A database whose
// schema is newer than this Backflush knows is refused.
func Open(ctx context.Context, dsn string) (*Store, error) {
	const op = "open store"
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The parse error redacts the password; the DSN itself is not echoed.
		return nil, bf.E(op, bf.KindInvalid, bf.Field("dsn"), "is not a PostgreSQL connection string", err)
	}
	// Durability must not depend on how the server was configured: a
	// server default of synchronous_commit=off would acknowledge commits
	// before they are on disk.
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "on"
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "backflush"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, eventlog.WrapCtx(ctx, op, err)
	}
	s := &Store{pool: pool}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, bf.E(op, bf.KindInternal, "cannot connect to PostgreSQL", eventlog.WithCtx(ctx, err))
	}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// migrate brings the schema to the newest version in one transaction (DDL
// is transactional in PostgreSQL), under an advisory lock per schema so
// that processes opening a new database at once do not race to create it.
func (s *Store) migrate(ctx context.Context) error {
	const op = "migrate schema"
	return s.tx(ctx, op, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('backflush schema'), hashtext(current_schema()))`); err != nil {
			return err
		}
		// CREATE TABLE IF NOT EXISTS needs the CREATE privilege even when
		// the table exists; asking first lets a user without it open an
		// up-to-date schema.
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT to_regclass('schema_version') IS NOT NULL`).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			if _, err := tx.Exec(ctx, `CREATE TABLE schema_version (
	version integer PRIMARY KEY,
	applied timestamptz NOT NULL DEFAULT now()
)`); err != nil {
				return err
			}
		}
		var have int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&have); err != nil {
			return err
		}
		if have > len(migrations) {
			return bf.E(op, bf.KindInvalid, "the database has schema version "+strconv.Itoa(have)+
				", newer than this Backflush knows ("+strconv.Itoa(len(migrations))+"); use a newer Backflush")
		}
		for v := have; v < len(migrations); v++ {
			if _, err := tx.Exec(ctx, migrations[v]); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, v+1); err != nil {
				return err
			}
		}
		return nil
	})
}

// tx runs fn in a transaction and commits it. Statements in fn honour ctx;
// the COMMIT does not: once fn is done, the outcome is decided here (roll
// back if ctx is done, else commit), never by a cancellation racing the
// COMMIT, which would leave the caller unable to tell whether the batch was
// stored.
func (s *Store) tx(ctx context.Context, op string, fn func(tx pgx.Tx) error) error {
	if s.closed.Load() {
		return eventlog.Closed(op)
	}
	if err := ctx.Err(); err != nil {
		return eventlog.Wrap(op, err)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return s.wrap(ctx, op, err)
	}
	detached := context.WithoutCancel(ctx)
	if err := fn(tx); err != nil {
		tx.Rollback(detached)
		return s.wrap(ctx, op, err)
	}
	if err := ctx.Err(); err != nil {
		tx.Rollback(detached)
		return eventlog.Wrap(op, err)
	}
	cctx, cancel := context.WithTimeout(detached, commitTimeout)
	defer cancel()
	if err := tx.Commit(cctx); err != nil {
		return s.wrap(ctx, op, err)
	}
	return nil
}

// wrap maps a driver failure to a *bf.Error.
func (s *Store) wrap(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if s.closed.Load() {
		return eventlog.Closed(op)
	}
	return eventlog.WrapCtx(ctx, op, err)
}

func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// Append adds a batch of events in one transaction; see bf.Store.
//
// Appends are serialized by the row lock of log_state, taken first in each
// transaction: a batch's positions (seq) are then drawn only after the
// previous batch committed, so every batch is contiguous in the log and the
// log's order is the commit order. Replay relies on the latter.
func (s *Store) Append(ctx context.Context, events []bf.Event) error {
	const op = "append events"
	if s.closed.Load() {
		return eventlog.Closed(op)
	}
	if err := ctx.Err(); err != nil {
		return eventlog.Wrap(op, err)
	}
	if len(events) == 0 {
		return nil
	}
	b, err := eventlog.Encode(op, events)
	if err != nil {
		return err
	}
	n := int64(len(events))
	err = s.tx(ctx, op, func(tx pgx.Tx) error {
		const lock = `UPDATE log_state SET events = events + $1`
		if n < copyFrom {
			// One round trip: the lock, then every row in array order.
			batch := &pgx.Batch{}
			batch.Queue(lock, n)
			batch.Queue(`INSERT INTO events (id, payload)
SELECT id, payload::json FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS b(id, payload, n) ORDER BY n`, b.IDs, b.Payloads)
			return tx.SendBatch(ctx, batch).Close()
		}
		if _, err := tx.Exec(ctx, lock, n); err != nil {
			return err
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"events"}, []string{"id", "payload"}, pgx.CopyFromSlice(len(b.IDs), func(i int) ([]any, error) {
			return []any{b.IDs[i], b.Payloads[i]}, nil
		}))
		return err
	})
	if isUnique(err) {
		return s.conflict(ctx, op, b.IDs, err)
	}
	return err
}

// conflict names an id of the refused batch that is in the log.
// PostgreSQL's message names it too, but only in a detail meant for people.
func (s *Store) conflict(ctx context.Context, op string, ids []string, cause error) error {
	var id string
	err := s.pool.QueryRow(ctx, `SELECT id FROM events WHERE id = ANY($1) ORDER BY seq LIMIT 1`, ids).Scan(&id)
	if err != nil {
		return bf.E(op, bf.KindConflict, bf.Field("id"), "an event of the batch is already in the log", cause)
	}
	return eventlog.Conflict(op, id)
}

// Replay calls fn with every event in log order; see bf.Store. It replays
// the log as it was when Replay began, and calls fn outside any database
// transaction, so fn may use the store (even Append) freely.
func (s *Store) Replay(ctx context.Context, fn func(*bf.Event) error) error {
	const op = "replay events"
	if s.closed.Load() {
		return eventlog.Closed(op)
	}
	if err := ctx.Err(); err != nil {
		return eventlog.Wrap(op, err)
	}
	// Batches commit in seq order (see Append), so the committed log is
	// exactly the events up to the last committed seq: a batch in flight
	// has drawn only larger ones.
	var last int64
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&last); err != nil {
		return s.wrap(ctx, op, err)
	}
	// Pages are read ahead while fn costs the current one (eventlog.ReadAhead).
	return eventlog.ReadAhead(ctx, op, last, func(after int64) ([]eventlog.Stored, error) { return s.page(ctx, after, last) }, fn)
}

// page reads and decodes the events after position after, up to last.
func (s *Store) page(ctx context.Context, after, last int64) ([]eventlog.Stored, error) {
	const op = "replay events"
	rows, err := s.pool.Query(ctx, `SELECT seq, payload FROM events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`, after, last, pageSize)
	if err != nil {
		return nil, s.wrap(ctx, op, err)
	}
	defer rows.Close()
	page := make([]eventlog.Stored, 0, pageSize)
	for rows.Next() {
		var seq int64
		var payload []byte
		if err := rows.Scan(&seq, &payload); err != nil {
			return nil, s.wrap(ctx, op, err)
		}
		e, err := eventlog.Decode(op, seq, payload)
		if err != nil {
			return nil, err
		}
		page = append(page, eventlog.Stored{Seq: seq, Event: e})
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap(ctx, op, err)
	}
	return page, nil
}

// Len returns the number of events in the log, kept in log_state by every
// Append: seq has gaps (a rolled-back batch consumes its numbers) and a
// count(*) would scan the table.
func (s *Store) Len(ctx context.Context) (int64, error) {
	const op = "count events"
	if s.closed.Load() {
		return 0, eventlog.Closed(op)
	}
	var n int64
	if err := s.pool.QueryRow(ctx, `SELECT events FROM log_state`).Scan(&n); err != nil {
		return 0, s.wrap(ctx, op, err)
	}
	return n, nil
}

// SaveConfig adds a configuration version, numbering it after the last one;
// it sets c.Version and c.Created (see storetest for the rules).
func (s *Store) SaveConfig(ctx context.Context, c *bf.ConfigVersion) error {
	const op = "save configuration"
	if err := eventlog.CheckText(op, "note", c.Note); err != nil {
		return err
	}
	created := eventlog.Time(c.Created)
	doc := c.Document
	if doc == nil {
		doc = []byte{} // NOT NULL: an empty document is still a document
	}
	var version int
	err := s.tx(ctx, op, func(tx pgx.Tx) error {
		// The lock admits readers but no other writer of configs, so two
		// saves cannot both take the next number.
		if _, err := tx.Exec(ctx, `LOCK TABLE configs IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO configs (version, effective, document, note, created)
SELECT coalesce(max(version), 0) + 1, $1, $2, $3, $4 FROM configs RETURNING version`,
			int32(c.Effective), doc, c.Note, created).Scan(&version)
	})
	if err != nil {
		return err
	}
	c.Version, c.Created = version, created
	return nil
}

// Configs returns every configuration version, oldest first.
func (s *Store) Configs(ctx context.Context) ([]bf.ConfigVersion, error) {
	const op = "list configurations"
	if s.closed.Load() {
		return nil, eventlog.Closed(op)
	}
	rows, err := s.pool.Query(ctx, `SELECT version, effective, document, note, created FROM configs ORDER BY version`)
	if err != nil {
		return nil, s.wrap(ctx, op, err)
	}
	defer rows.Close()
	var out []bf.ConfigVersion
	for rows.Next() {
		var c bf.ConfigVersion
		var effective int32
		if err := rows.Scan(&c.Version, &effective, &c.Document, &c.Note, &c.Created); err != nil {
			return nil, s.wrap(ctx, op, err)
		}
		c.Effective, c.Created = bf.Date(effective), c.Created.UTC()
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap(ctx, op, err)
	}
	return out, nil
}

// PutToken adds a token or replaces the one with the same hash; it sets
// t.Created when zero.
func (s *Store) PutToken(ctx context.Context, t *bf.Token) error {
	const op = "put token"
	if err := eventlog.CheckToken(op, t); err != nil {
		return err
	}
	created := eventlog.Time(t.Created)
	err := s.tx(ctx, op, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO tokens (hash, name, role, created) VALUES ($1, $2, $3, $4)
ON CONFLICT (hash) DO UPDATE SET name = excluded.name, role = excluded.role, created = excluded.created`,
			t.Hash, t.Name, int16(t.Role), created)
		return err
	})
	if err != nil {
		return err
	}
	t.Created = created
	return nil
}

// Tokens returns every token, in order of hash.
func (s *Store) Tokens(ctx context.Context) ([]bf.Token, error) {
	const op = "list tokens"
	if s.closed.Load() {
		return nil, eventlog.Closed(op)
	}
	// COLLATE "C": byte order, the same as SQLite's, whatever the
	// database's locale.
	rows, err := s.pool.Query(ctx, `SELECT hash, name, role, created FROM tokens ORDER BY hash COLLATE "C"`)
	if err != nil {
		return nil, s.wrap(ctx, op, err)
	}
	defer rows.Close()
	var out []bf.Token
	for rows.Next() {
		var t bf.Token
		var role int16
		if err := rows.Scan(&t.Hash, &t.Name, &role, &t.Created); err != nil {
			return nil, s.wrap(ctx, op, err)
		}
		t.Role, t.Created = bf.Role(role), t.Created.UTC()
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap(ctx, op, err)
	}
	return out, nil
}

// DeleteToken removes the token with the given hash; KindNotFound if none.
func (s *Store) DeleteToken(ctx context.Context, hash string) error {
	const op = "delete token"
	return s.tx(ctx, op, func(tx pgx.Tx) error {
		if eventlog.CheckText(op, "hash", hash) != nil {
			return eventlog.TokenNotFound(op) // PostgreSQL text could not even hold it
		}
		tag, err := tx.Exec(ctx, `DELETE FROM tokens WHERE hash = $1`, hash)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return eventlog.TokenNotFound(op)
		}
		return nil
	})
}

// Close closes the connections, waiting for calls in progress to return
// their connections; calls after the first return nil.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		s.pool.Close()
	})
	return nil
}
