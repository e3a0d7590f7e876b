// Package sqlite is Backflush's embedded store: a bf.Store in one SQLite
// file, through the pure-Go driver modernc.org/sqlite, so that a plant runs
// with no database server to install and the binary builds without cgo.
//
// The file is in WAL mode with synchronous=FULL: Append returns once its
// batch is in the write-ahead log and the log is fsynced, so an acknowledged
// batch survives a crash or a power cut. Each batch is one transaction, so a
// batch costs one fsync whatever its size; batching is what makes ingestion
// fast (see docs/storage.md for figures).
//
// Several processes may open the same file (for instance `backflush ingest`
// while `backflush serve` runs): SQLite serializes their writes through its
// file lock and readers never wait for writers.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/eventlog"
	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"
)

// params configures every connection the pool opens. busy_timeout comes
// first (the driver applies it first) so that a connection opened while
// another process writes waits instead of failing; _txlock=immediate makes
// every transaction take the write lock at BEGIN, because a transaction
// that reads and then upgrades to write can fail with SQLITE_BUSY without
// waiting, and every transaction here writes.
const params = "?_busy_timeout=10000&_journal_mode=WAL&_synchronous=FULL&_txlock=immediate"

// pageSize is how many events Replay reads per query. Replay reads a page,
// closes the query and only then calls fn, so a slow fn (costing a million
// events) never keeps a read transaction open, which would stop SQLite
// from checkpointing the write-ahead log while ingestion goes on.
const pageSize = 1024

// insertSizes are the numbers of rows Append inserts per statement, largest
// first: a batch is cut into as many of the largest as fit, then the next
// size, down to one. One statement of 256 rows costs much less than 256
// statements of one (the driver's and database/sql's work is per
// statement): rows went in about 1.45 times faster, and batches of 1,000
// (checks and encoding included) appended about 1.2 times faster. 256
// rows are 512 parameters, far below SQLite's limit of 32,766.
var insertSizes = [...]int{256, 64, 16, 4, 1}

// timeLayout stores times as RFC 3339 text in UTC to the microsecond: it
// sorts, reads well in the sqlite3 shell and holds what eventlog.Time keeps.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// migrations are the schema versions in order: migrations[i] brings the
// schema from version i to i+1. A released migration never changes; a new
// schema is a new entry.
var migrations = []string{
	`
CREATE TABLE events (
	seq     INTEGER PRIMARY KEY, -- the position in the log: 1, 2, … without gaps
	id      TEXT NOT NULL UNIQUE,
	payload TEXT NOT NULL        -- the event as eventio JSON, amounts in minor units
) STRICT;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

CREATE TABLE configs (
	version   INTEGER PRIMARY KEY,
	effective INTEGER NOT NULL, -- bf.Date: days since 1970-01-01
	document  BLOB NOT NULL,
	note      TEXT NOT NULL,
	created   TEXT NOT NULL     -- RFC 3339, UTC, microseconds
) STRICT;
CREATE TRIGGER configs_no_update BEFORE UPDATE ON configs
BEGIN SELECT RAISE(ABORT, 'a configuration version never changes'); END;
CREATE TRIGGER configs_no_delete BEFORE DELETE ON configs
BEGIN SELECT RAISE(ABORT, 'a configuration version never changes'); END;

CREATE TABLE tokens (
	hash    TEXT PRIMARY KEY, -- hex SHA-256 of the secret; the secret is never stored
	name    TEXT NOT NULL,
	role    INTEGER NOT NULL CHECK (role BETWEEN 1 AND 4),
	created TEXT NOT NULL
) STRICT, WITHOUT ROWID;
`,
}

// Store is a bf.Store on an SQLite file. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string

	// writer admits one write transaction of this process at a time. SQLite
	// would serialize them anyway, but a transaction waiting on SQLite's lock
	// polls with sleeps of up to 100 ms; waiting here hands over at once and
	// honours the caller's context.
	writer chan struct{}

	insertEvent *sql.Stmt // one event: names the id of a conflict (see conflict)
	// insertRows[k] inserts insertSizes[k] events in one statement, the hot
	// path: prepared once, reused per batch (see Append).
	insertRows [len(insertSizes)]*sql.Stmt
	readPage   *sql.Stmt
	lastSeq    *sql.Stmt

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

var _ bf.Store = (*Store)(nil)

// Open opens the store in the SQLite file at path, creating the file and
// its schema if needed and migrating an older schema. A file written by a
// newer Backflush (a schema version this one does not know) is refused.
func Open(path string) (*Store, error) {
	const op = "open store"
	switch {
	case path == "" || path == ":memory:" || strings.HasPrefix(path, "file::memory:"):
		// Each pooled connection would get its own empty in-memory database.
		return nil, bf.E(op, bf.KindInvalid, bf.File(path), "the store needs a file path")
	case strings.ContainsRune(path, '?'):
		// The driver reads everything after '?' as connection parameters.
		return nil, bf.E(op, bf.KindInvalid, bf.File(path), "a store path cannot contain '?'")
	case strings.HasPrefix(path, "file:"):
		path = "./" + path // a relative file name, not an SQLite URI
	}
	db, err := sql.Open("sqlite", path+params)
	if err != nil {
		return nil, bf.E(op, bf.KindInternal, bf.File(path), "cannot open the database", err)
	}
	// Readers run beside the writer; keep a few connections warm so that
	// each call does not reopen the file and re-run the connection pragmas.
	db.SetMaxIdleConns(4)
	s := &Store{db: db, path: path, writer: make(chan struct{}, 1)}
	if err := s.init(context.Background()); err != nil {
		db.Close()
		var be *bf.Error
		if errors.As(err, &be) && be.File == "" {
			be.File = path
		}
		return nil, err
	}
	return s, nil
}

func (s *Store) init(ctx context.Context) error {
	const op = "open store"
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		// The first statement is where a wrong path shows: say so in the
		// user's terms, as invalid input rather than a database failure.
		switch code(err) & 0xff {
		case sqlite3lib.SQLITE_CANTOPEN:
			return bf.E(op, bf.KindInvalid, "cannot open or create the file (does its directory exist, and may Backflush write there?)", err)
		case sqlite3lib.SQLITE_NOTADB:
			return bf.E(op, bf.KindInvalid, "is not an SQLite database", err)
		}
		return s.wrap(ctx, op, err)
	}
	if !strings.EqualFold(mode, "wal") {
		// WAL is what lets readers run during writes and makes FULL sync one
		// fsync per commit; some file systems (network mounts) refuse it.
		return bf.E(op, bf.KindInternal, "the database cannot use write-ahead logging (journal mode is "+mode+"); put the file on a local disk")
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	var err error
	prepare := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = s.db.PrepareContext(ctx, q)
		return st
	}
	s.insertEvent = prepare(`INSERT INTO events (id, payload) VALUES (?, ?)`)
	for k, n := range insertSizes {
		s.insertRows[k] = prepare(`INSERT INTO events (id, payload) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?), ", n), ", "))
	}
	s.readPage = prepare(`SELECT seq, payload FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`)
	s.lastSeq = prepare(`SELECT coalesce(max(seq), 0) FROM events`)
	return s.wrap(ctx, op, err)
}

// migrate brings the schema to the newest version in one transaction, so
// that a crash mid-migration leaves the previous version intact, and two
// processes opening a new file at once do not both create it.
func (s *Store) migrate(ctx context.Context) error {
	const op = "migrate schema"
	return s.write(ctx, op, func(tx *sql.Tx) error {
		// A database with tables but no schema_version belongs to another
		// application: adding Backflush's tables to it would mix the two.
		var ours, theirs int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE name = 'schema_version'), count(*)
FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).Scan(&ours, &theirs); err != nil {
			return err
		}
		if ours == 0 && theirs > 0 {
			return bf.E(op, bf.KindInvalid, "is an SQLite database of another application, not a Backflush store")
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
	version INTEGER PRIMARY KEY,
	applied TEXT NOT NULL
) STRICT`); err != nil {
			return err
		}
		var have int
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&have); err != nil {
			return err
		}
		if have > len(migrations) {
			return bf.E(op, bf.KindInvalid, "the database has schema version "+strconv.Itoa(have)+
				", newer than this Backflush knows ("+strconv.Itoa(len(migrations))+"); use a newer Backflush")
		}
		for v := have; v < len(migrations); v++ {
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, applied) VALUES (?, ?)`,
				v+1, eventlog.Time(time.Time{}).Format(timeLayout)); err != nil {
				return err
			}
		}
		return nil
	})
}

// write runs fn in a write transaction and commits it; the commit is
// durable when write returns nil. The transaction is begun without the
// caller's cancellation: statements inside fn honour ctx, but once fn is
// done the outcome is decided here (rollback if ctx is done, else commit),
// never by a cancellation racing the COMMIT, so a caller is never told a
// batch failed that was in fact committed.
func (s *Store) write(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	if s.closed.Load() {
		return eventlog.Closed(op)
	}
	if err := ctx.Err(); err != nil {
		return eventlog.Wrap(op, err)
	}
	select {
	case s.writer <- struct{}{}:
	case <-ctx.Done():
		return eventlog.Wrap(op, ctx.Err())
	}
	defer func() { <-s.writer }()
	if s.closed.Load() { // closed while this call waited for its turn
		return eventlog.Closed(op)
	}
	tx, err := s.db.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return s.wrap(ctx, op, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return s.wrap(ctx, op, err)
	}
	if err := ctx.Err(); err != nil {
		tx.Rollback()
		return eventlog.Wrap(op, err)
	}
	if err := tx.Commit(); err != nil {
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
	if c := code(err); c&0xff == sqlite3lib.SQLITE_BUSY && ctx.Err() == nil {
		return bf.E(op, bf.KindInternal, bf.File(s.path), "the database stayed locked by another process", err)
	}
	return eventlog.WrapCtx(ctx, op, err)
}

// code returns the SQLite extended result code of err, 0 if it has none.
func code(err error) int {
	var se *sqlite3.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

// Append adds a batch of events in one transaction; see bf.Store.
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
	return s.write(ctx, op, func(tx *sql.Tx) error {
		var stmts [len(insertSizes)]*sql.Stmt
		args := make([]any, 0, 2*insertSizes[0])
		for i := 0; i < len(b.IDs); {
			k := 0
			for insertSizes[k] > len(b.IDs)-i {
				k++
			}
			n := insertSizes[k]
			if stmts[k] == nil {
				stmts[k] = tx.StmtContext(ctx, s.insertRows[k])
			}
			args = args[:0]
			for j := i; j < i+n; j++ {
				args = append(args, b.IDs[j], b.Payloads[j])
			}
			if _, err := stmts[k].ExecContext(ctx, args...); err != nil {
				if code(err) == sqlite3lib.SQLITE_CONSTRAINT_UNIQUE {
					// SQLite undid the failed statement alone: insert its
					// rows one by one to name the id already in the log.
					// The transaction is rolled back either way.
					return s.conflict(ctx, tx, op, b, i, i+n)
				}
				return err
			}
			i += n
		}
		return nil
	})
}

// conflict inserts rows from to end of a batch one at a time and returns
// the conflict error of the first id already in the log (or whatever else
// fails), for Append's error to name the event.
func (s *Store) conflict(ctx context.Context, tx *sql.Tx, op string, b *eventlog.Batch, from, end int) error {
	ins := tx.StmtContext(ctx, s.insertEvent)
	for i := from; i < end; i++ {
		if _, err := ins.ExecContext(ctx, b.IDs[i], b.Payloads[i]); err != nil {
			if code(err) == sqlite3lib.SQLITE_CONSTRAINT_UNIQUE {
				return eventlog.Conflict(op, b.IDs[i])
			}
			return err
		}
	}
	return bf.E(op, bf.KindInternal, "a uniqueness constraint failed, but no single event of the batch conflicts")
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
	// The log only grows at its end and seq has no gaps, so "seq up to the
	// last one now" is exactly the log as of now, read page by page.
	var last int64
	if err := s.lastSeq.QueryRowContext(ctx).Scan(&last); err != nil {
		return s.wrap(ctx, op, err)
	}
	// The page being read ends before last, so what fn appends meanwhile
	// is never read.
	return eventlog.ReadAhead(ctx, op, last, func(after int64) ([]eventlog.Stored, error) { return s.page(ctx, after, last) }, fn)
}

// page reads and decodes the events after position after, up to last.
func (s *Store) page(ctx context.Context, after, last int64) ([]eventlog.Stored, error) {
	const op = "replay events"
	rows, err := s.readPage.QueryContext(ctx, after, last, pageSize)
	if err != nil {
		return nil, s.wrap(ctx, op, err)
	}
	defer rows.Close()
	page := make([]eventlog.Stored, 0, min(last-after, pageSize))
	for rows.Next() {
		var seq int64
		var payload sql.RawBytes // decoded before the next row: no copy needed
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

// Len returns the number of events in the log. Positions have no gaps (the
// log is never deleted from and a rolled-back batch leaves no row), so the
// last position is the count, read from the primary key without a scan.
func (s *Store) Len(ctx context.Context) (int64, error) {
	const op = "count events"
	if s.closed.Load() {
		return 0, eventlog.Closed(op)
	}
	var n int64
	if err := s.lastSeq.QueryRowContext(ctx).Scan(&n); err != nil {
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
	err := s.write(ctx, op, func(tx *sql.Tx) error {
		// The write lock is held from BEGIN, so no other writer can take
		// the same number between this read and the insert.
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) + 1 FROM configs`).Scan(&version); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO configs (version, effective, document, note, created) VALUES (?, ?, ?, ?, ?)`,
			version, int64(c.Effective), doc, c.Note, created.Format(timeLayout))
		return err
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
	rows, err := s.db.QueryContext(ctx, `SELECT version, effective, document, note, created FROM configs ORDER BY version`)
	if err != nil {
		return nil, s.wrap(ctx, op, err)
	}
	defer rows.Close()
	var out []bf.ConfigVersion
	for rows.Next() {
		var c bf.ConfigVersion
		var effective int64
		var created string
		if err := rows.Scan(&c.Version, &effective, &c.Document, &c.Note, &created); err != nil {
			return nil, s.wrap(ctx, op, err)
		}
		c.Effective = bf.Date(effective)
		if c.Created, err = parseTime(op, created); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap(ctx, op, err)
	}
	return out, nil
}

func parseTime(op, s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return t, bf.E(op, bf.KindInternal, "a stored time cannot be read; the database was modified outside Backflush", err)
	}
	return t, nil
}

// PutToken adds a token or replaces the one with the same hash; it sets
// t.Created when zero.
func (s *Store) PutToken(ctx context.Context, t *bf.Token) error {
	const op = "put token"
	if err := eventlog.CheckToken(op, t); err != nil {
		return err
	}
	created := eventlog.Time(t.Created)
	err := s.write(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO tokens (hash, name, role, created) VALUES (?, ?, ?, ?)
ON CONFLICT (hash) DO UPDATE SET name = excluded.name, role = excluded.role, created = excluded.created`,
			t.Hash, t.Name, int64(t.Role), created.Format(timeLayout))
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
	rows, err := s.db.QueryContext(ctx, `SELECT hash, name, role, created FROM tokens ORDER BY hash`)
	if err != nil {
		return nil, s.wrap(ctx, op, err)
	}
	defer rows.Close()
	var out []bf.Token
	for rows.Next() {
		var t bf.Token
		var role int64
		var created string
		if err := rows.Scan(&t.Hash, &t.Name, &role, &created); err != nil {
			return nil, s.wrap(ctx, op, err)
		}
		t.Role = bf.Role(role)
		if t.Created, err = parseTime(op, created); err != nil {
			return nil, err
		}
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
	return s.write(ctx, op, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE hash = ?`, hash)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return eventlog.TokenNotFound(op)
		}
		return nil
	})
}

// Close closes the store; calls after the first return nil. SQLite
// checkpoints the write-ahead log into the main file when the last
// connection closes.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		// Wait for a write in progress so that Close never cuts a batch
		// short; writers still waiting see the store closed.
		s.writer <- struct{}{}
		defer func() { <-s.writer }()
		for _, st := range append([]*sql.Stmt{s.insertEvent, s.readPage, s.lastSeq}, s.insertRows[:]...) {
			if st != nil {
				st.Close()
			}
		}
		s.closeErr = s.db.Close()
	})
	return s.closeErr
}
