// Package inmem is a bf.Store held in memory: the log, the configuration
// versions and the tokens live as long as the process. It is for tests and
// experiments that need a store without a file or a server; it passes the
// same conformance suite as the durable stores (storetest), so a test on it
// sees what it would see on SQLite or PostgreSQL.
//
// It checks and refuses exactly what they do: every batch goes through the
// durable stores' encoding checks (package eventlog), ids are unique in the
// log, versions are numbered by the store, times are kept in UTC to the
// microsecond, and tokens are checked before they are kept. "Durable" here
// means only that Reopen sees what was stored before Close.
package inmem

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/eventlog"
)

// data is what the store holds, shared by a store and its reopenings.
type data struct {
	mu     sync.Mutex
	events []bf.Event // the log; an event once appended never changes
	ids    map[string]struct{}
	cfgs   []bf.ConfigVersion
	tokens map[string]bf.Token
}

// Store is a bf.Store in memory. It is safe for concurrent use.
type Store struct {
	d      *data
	closed atomic.Bool
}

var _ bf.Store = (*Store)(nil)

// New returns a store on fresh, empty storage.
func New() *Store {
	return &Store{d: &data{ids: map[string]struct{}{}, tokens: map[string]bf.Token{}}}
}

// Reopen returns a new store on the same storage as s, as opening the same
// file again would; s may be closed.
func (s *Store) Reopen() *Store { return &Store{d: s.d} }

// usable fails a call on a closed store or with a done context.
func (s *Store) usable(ctx context.Context, op string) error {
	if s.closed.Load() {
		return eventlog.Closed(op)
	}
	return eventlog.Wrap(op, ctx.Err())
}

// locked runs fn with the storage locked, if the store is usable.
func (s *Store) locked(ctx context.Context, op string, fn func() error) error {
	if err := s.usable(ctx, op); err != nil {
		return err
	}
	s.d.mu.Lock()
	defer s.d.mu.Unlock()
	return fn()
}

// Append adds a batch of events, all or none; see bf.Store.
func (s *Store) Append(ctx context.Context, events []bf.Event) error {
	const op = "append events"
	if err := s.usable(ctx, op); err != nil || len(events) == 0 {
		return err
	}
	b, err := eventlog.Encode(op, events)
	if err != nil {
		return err
	}
	// The log keeps each event as the durable stores would replay it: its
	// stored encoding decoded (without Line, a position in a source file).
	kept := make([]bf.Event, len(b.Payloads))
	for i, p := range b.Payloads {
		if kept[i], err = eventlog.Decode(op, int64(i+1), []byte(p)); err != nil {
			return err
		}
	}
	return s.locked(ctx, op, func() error {
		for _, id := range b.IDs {
			if _, ok := s.d.ids[id]; ok {
				return eventlog.Conflict(op, id)
			}
		}
		for _, id := range b.IDs {
			s.d.ids[id] = struct{}{}
		}
		s.d.events = append(s.d.events, kept...)
		return nil
	})
}

// Replay calls fn with every event in log order, as the log was when Replay
// began; fn may use the store; see bf.Store.
func (s *Store) Replay(ctx context.Context, fn func(*bf.Event) error) error {
	const op = "replay events"
	var log []bf.Event
	if err := s.locked(ctx, op, func() error { log = s.d.events[:len(s.d.events):len(s.d.events)]; return nil }); err != nil {
		return err
	}
	for _, e := range log {
		if err := ctx.Err(); err != nil {
			return eventlog.Wrap(op, err)
		}
		if err := fn(&e); err != nil { // e is a copy of its own: fn may keep it
			return err
		}
	}
	return nil
}

// Len returns the number of events in the log.
func (s *Store) Len(ctx context.Context) (n int64, err error) {
	err = s.locked(ctx, "count events", func() error { n = int64(len(s.d.events)); return nil })
	return n, err
}

// SaveConfig adds a configuration version, numbering it after the last one;
// it sets c.Version and c.Created (see storetest for the rules).
func (s *Store) SaveConfig(ctx context.Context, c *bf.ConfigVersion) error {
	const op = "save configuration"
	if err := eventlog.CheckText(op, "note", c.Note); err != nil {
		return err
	}
	return s.locked(ctx, op, func() error {
		kept := bf.ConfigVersion{Version: len(s.d.cfgs) + 1, Effective: c.Effective, Document: bytes.Clone(c.Document),
			Note: c.Note, Created: eventlog.Time(c.Created)}
		s.d.cfgs = append(s.d.cfgs, kept)
		c.Version, c.Created = kept.Version, kept.Created
		return nil
	})
}

// Configs returns every configuration version, oldest first.
func (s *Store) Configs(ctx context.Context) (out []bf.ConfigVersion, err error) {
	err = s.locked(ctx, "list configurations", func() error {
		out = slices.Clone(s.d.cfgs)
		for i := range out {
			out[i].Document = bytes.Clone(out[i].Document)
		}
		return nil
	})
	return out, err
}

// PutToken adds a token or replaces the one with the same hash; it sets
// t.Created when zero.
func (s *Store) PutToken(ctx context.Context, t *bf.Token) error {
	const op = "put token"
	if err := eventlog.CheckToken(op, t); err != nil {
		return err
	}
	return s.locked(ctx, op, func() error {
		t.Created = eventlog.Time(t.Created)
		s.d.tokens[t.Hash] = *t
		return nil
	})
}

// Tokens returns every token, in order of hash.
func (s *Store) Tokens(ctx context.Context) (out []bf.Token, err error) {
	err = s.locked(ctx, "list tokens", func() error {
		for _, t := range s.d.tokens {
			out = append(out, t)
		}
		slices.SortFunc(out, func(a, b bf.Token) int { return strings.Compare(a.Hash, b.Hash) })
		return nil
	})
	return out, err
}

// DeleteToken removes the token with the given hash; KindNotFound if none.
func (s *Store) DeleteToken(ctx context.Context, hash string) error {
	const op = "delete token"
	return s.locked(ctx, op, func() error {
		if _, ok := s.d.tokens[hash]; !ok {
			return eventlog.TokenNotFound(op)
		}
		delete(s.d.tokens, hash)
		return nil
	})
}

// Close closes the store: later calls fail, and a second Close returns nil.
// What it stored stays for Reopen.
func (s *Store) Close() error {
	s.closed.Store(true)
	return nil
}
