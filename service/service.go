// Package service runs a plant's books over a store: it rebuilds the
// journals by replaying the event log at start, ingests batches of events
// all or nothing and durably, keeps configuration versions for re-costing,
// and answers reads while ingestion goes on. The CLI and the HTTP API are
// thin layers over it.
package service

import (
	"context"
	"strconv"
	"sync"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/scenario"
)

// Service is one plant's running books.
type Service struct {
	store bf.Store

	mu       sync.RWMutex
	versions []version
	ledger   *costing.Ledger
	// previous is the ledger as it stood before the last re-costing, so the
	// journal version it replaced stays readable.
	previous *costing.Ledger
	chart    bf.Chart
	name     string
}

type version struct {
	cfg bf.ConfigVersion
	sc  *scenario.Scenario
	std *costing.Standards
}

func invalid(op, field, reason string) error {
	return &bf.Error{Kind: bf.KindInvalid, Op: op, Field: field, Reason: reason}
}

// Init stores a plant's first configuration from a scenario document and
// ingests the scenario's own events, if any. It refuses a store that is
// already configured.
func Init(ctx context.Context, st bf.Store, doc []byte, file string) error {
	cfgs, err := st.Configs(ctx)
	if err != nil {
		return err
	}
	if len(cfgs) > 0 {
		return &bf.Error{Kind: bf.KindConflict, Op: "init", Reason: "the store already holds a configuration; use recost to change standards"}
	}
	sc, err := scenario.Decode(file, doc)
	if err != nil {
		return err
	}
	if _, err := sc.Build(file); err != nil { // the whole scenario must cost before anything is stored
		return err
	}
	if err := st.SaveConfig(ctx, &bf.ConfigVersion{Document: doc, Note: "initial configuration from " + file, Created: time.Now().UTC()}); err != nil {
		return err
	}
	if len(sc.Events) == 0 {
		return nil
	}
	s, err := Open(ctx, st)
	if err != nil {
		return err
	}
	_, err = s.Ingest(ctx, sc.Events)
	return err
}

// Open loads the configuration versions and replays the event log.
func Open(ctx context.Context, st bf.Store) (*Service, error) {
	cfgs, err := st.Configs(ctx)
	if err != nil {
		return nil, err
	}
	if len(cfgs) == 0 {
		return nil, &bf.Error{Kind: bf.KindNotFound, Op: "open", Reason: "the store has no configuration yet: run backflush init with a scenario file"}
	}
	s := &Service{store: st}
	for _, c := range cfgs {
		if err := s.addVersion(c); err != nil {
			return nil, err
		}
	}
	l, err := s.replay(ctx, s.versions)
	if err != nil {
		return nil, err
	}
	s.ledger = l
	return s, nil
}

// addVersion decodes and compiles a stored configuration version.
func (s *Service) addVersion(c bf.ConfigVersion) error {
	file := "configuration version " + strconv.Itoa(c.Version)
	sc, err := scenario.Decode(file, c.Document)
	if err != nil {
		return err
	}
	var std *costing.Standards
	if len(s.versions) == 0 {
		std, err = costing.Compile(&sc.Plant)
		s.chart, s.name = sc.Chart, sc.Name
	} else {
		prev := s.versions[len(s.versions)-1]
		if !sameBooks(prev.sc, sc) {
			return invalid("recost", "books", "a new version must keep the books and the close policy of the first")
		}
		std, err = costing.CompileFrom(&sc.Plant, prev.std)
		s.chart = sc.Chart
	}
	if err != nil {
		return err
	}
	s.versions = append(s.versions, version{cfg: c, sc: sc, std: std})
	return nil
}

func sameBooks(a, b *scenario.Scenario) bool {
	if len(a.Books) != len(b.Books) || a.Close != b.Close {
		return false
	}
	for i := range a.Books {
		x, y := a.Books[i], b.Books[i]
		if x.Name != y.Name || x.Method != y.Method || x.Triggers != y.Triggers || x.Scope != y.Scope || x.Basis != y.Basis ||
			(x.LCNRV == nil) != (y.LCNRV == nil) || (x.LCNRV != nil && *x.LCNRV != *y.LCNRV) {
			return false
		}
	}
	return true
}

// replay builds a ledger from the log with the given versions.
func (s *Service) replay(ctx context.Context, vs []version) (*costing.Ledger, error) {
	first := vs[0]
	l, err := costing.NewLedger(first.std, first.sc.Books, first.sc.Close)
	if err != nil {
		return nil, err
	}
	if n, err := s.store.Len(ctx); err == nil && n > 0 {
		l.Grow(int(n), 8)
	}
	err = s.store.Replay(ctx, func(e *bf.Event) error {
		if err := switchFor(l, vs, e.Date); err != nil {
			return err
		}
		if err := l.Post(e); err != nil {
			return &bf.Error{Kind: bf.KindInternal, Op: "replay", Event: e.ID, Reason: "a stored event no longer posts", Err: err}
		}
		return nil
	})
	return l, err
}

// switchFor makes the ledger cost an event dated d with the newest version
// effective on that date.
func switchFor(l *costing.Ledger, vs []version, d bf.Date) error {
	v := vs[0]
	for _, x := range vs[1:] {
		if x.cfg.Effective <= d {
			v = x
		}
	}
	return l.SwitchStandards(v.std)
}

// Result says what a batch did.
type Result struct {
	Accepted   int // events appended to the log
	Duplicates int // events already in the log with the same content
}

// Ingest posts a batch of events all or nothing and appends the new ones to
// the log; it returns once they are durable. An event whose id is already in
// the log with the same content is skipped; with other content the batch is
// refused (KindConflict). The error of a refused event names it and its line.
func (s *Service) Ingest(ctx context.Context, events []bf.Event) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var r Result
	l := s.ledger
	cp := l.Checkpoint()
	fresh := make([]bf.Event, 0, len(events))
	seen := make(map[string]int, len(events))
	for i := range events {
		e := &events[i]
		if j, dup := seen[e.ID]; dup {
			if !events[j].SameContent(e) {
				l.Restore(cp)
				return Result{}, &bf.Error{Kind: bf.KindConflict, Op: "ingest", Line: e.Line, Event: e.ID, Field: "id",
					Reason: "the batch holds this id twice with different content"}
			}
			r.Duplicates++
			continue
		}
		seen[e.ID] = i
		if old, ok := l.EventByID(e.ID); ok {
			if old.SameContent(e) {
				r.Duplicates++
				continue
			}
		}
		if err := switchFor(l, s.versions, e.Date); err != nil {
			l.Restore(cp)
			return Result{}, err
		}
		if err := l.Post(e); err != nil {
			l.Restore(cp)
			return Result{}, err
		}
		fresh = append(fresh, *e)
	}
	if len(fresh) > 0 {
		if err := s.store.Append(ctx, fresh); err != nil {
			l.Restore(cp)
			return Result{}, err
		}
	}
	r.Accepted = len(fresh)
	return r, nil
}

// Recost adds a configuration version effective from a date in the open
// period and re-costs by replaying the log. The journal as it stood before
// stays readable through Previous.
func (s *Service) Recost(ctx context.Context, doc []byte, effective bf.Date, note string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ct := s.ledger.ClosedThrough(); effective <= ct {
		return 0, &bf.Error{Kind: bf.KindClosedPeriod, Op: "recost", Field: "effective",
			Reason: "the period is closed through " + ct.String() + ": a new version takes effect after it"}
	}
	if effective == 0 {
		return 0, invalid("recost", "effective", "a new version needs the date it takes effect")
	}
	c := bf.ConfigVersion{Version: len(s.versions) + 1, Effective: effective, Document: doc, Note: note, Created: time.Now().UTC()}
	saved := s.versions
	if err := s.addVersion(c); err != nil {
		s.versions = saved
		return 0, err
	}
	l, err := s.replay(ctx, s.versions)
	if err != nil {
		s.versions = saved
		return 0, err
	}
	if err := s.store.SaveConfig(ctx, &c); err != nil {
		s.versions = saved
		return 0, err
	}
	s.versions[len(s.versions)-1].cfg = c
	s.previous, s.ledger = s.ledger, l
	return c.Version, nil
}

// View runs f with the current ledger under a read lock: f must not keep it,
// nor call the service's methods (a read lock is not reentrant while a
// writer waits).
func (s *Service) View(f func(l *costing.Ledger) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return f(s.ledger)
}

// Previous runs f with the journal as it stood before the last re-costing:
// the log costed without the newest configuration version (rebuilt by
// replay when this process did not make it). NotFound when there was none.
// The previous ledger is never posted to again, so f reads it without a
// lock (and may call the service's other methods).
func (s *Service) Previous(f func(l *costing.Ledger) error) error {
	s.mu.Lock()
	if s.previous == nil {
		if len(s.versions) < 2 {
			s.mu.Unlock()
			return &bf.Error{Kind: bf.KindNotFound, Op: "previous", Reason: "no re-costing has replaced a journal yet"}
		}
		l, err := s.replay(context.Background(), s.versions[:len(s.versions)-1])
		if err != nil {
			s.mu.Unlock()
			return err
		}
		s.previous = l
	}
	prev := s.previous
	s.mu.Unlock()
	return f(prev)
}

// Versions returns the configuration versions, oldest first.
func (s *Service) Versions() []bf.ConfigVersion {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]bf.ConfigVersion, len(s.versions))
	for i, v := range s.versions {
		out[i] = v.cfg
	}
	return out
}

// Chart returns the plant's account codes (of the newest version).
func (s *Service) Chart() *bf.Chart {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := s.chart
	return &c
}

// Name returns the plant's name.
func (s *Service) Name() string { return s.name }

// Store returns the store behind the service.
func (s *Service) Store() bf.Store { return s.store }
