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
	"sync/atomic"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/scenario"
)

// Service is one plant's running books.
type Service struct {
	store bf.Store

	// mu guards the ledger against readers. Readers hold it shared; the
	// ingestion pipeline holds it exclusively from the moment it posts a
	// batch that is not yet durable until every posted batch is durable
	// again, so a reader only ever sees acknowledged events (see Ingest).
	mu sync.RWMutex
	// wmu serializes the writers (posting into the ledger, re-costing) and
	// guards the pipeline's state below; cond signals its changes.
	wmu        sync.Mutex
	cond       *sync.Cond
	dirty      bool       // the pipeline holds mu: the ledger is ahead of the store
	queue      []*pending // batches posted and waiting for their commit, in order
	committing bool       // a commit goroutine runs (see commit)
	// waiting counts readers and re-costings waiting for mu: while any
	// waits, no new batch is posted, so the commit in flight leaves the
	// ledger durable and lets them in. released counts the times the
	// ledger was released to them (see Ingest).
	waiting  atomic.Int32
	released uint64

	// cfgMu guards versions and chart for Versions and Chart, which may be
	// called at any time; Recost changes them holding wmu, mu and cfgMu.
	cfgMu    sync.RWMutex
	versions []version
	ledger   *costing.Ledger
	// previous is the ledger as it stood before the last re-costing, so the
	// journal version it replaced stays readable.
	previous *costing.Ledger
	chart    bf.Chart
	name     string
	// currency is the first version's, which no later one may change.
	currency bf.Currency
}

type version struct {
	cfg bf.ConfigVersion
	sc  *bf.Config
	std *costing.Standards
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
		return bf.E("init", bf.KindConflict, "the store already holds a configuration; use recost to change standards")
	}
	sc, err := scenario.Decode(file, doc)
	if err != nil {
		return err
	}
	if _, err := costing.Build(sc, file); err != nil { // the whole scenario must cost before anything is stored
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
		return nil, bf.E("open", bf.KindNotFound, "the store has no configuration yet: run backflush init with a scenario file")
	}
	s := &Service{store: st}
	s.cond = sync.NewCond(&s.wmu)
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
		s.chart, s.name, s.currency = sc.Chart, sc.Name, sc.Plant.Currency
	} else {
		prev := s.versions[len(s.versions)-1]
		if !prev.sc.SameBooks(sc) {
			return bf.E("recost", bf.KindInvalid, bf.Field("books"), "a new version must keep the books and the close policy of the first")
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

// replay builds a ledger from the log with the given versions. The log is
// in the order events arrived; the ledger costs them in date order, as it
// did when they were accepted (costing.Replay).
func (s *Service) replay(ctx context.Context, vs []version) (*costing.Ledger, error) {
	first := vs[0]
	l, err := costing.NewLedger(first.std, first.sc.Books, first.sc.Close)
	if err != nil {
		return nil, err
	}
	for _, v := range vs[1:] {
		if err := l.SwitchStandards(v.std, v.cfg.Effective); err != nil {
			return nil, err
		}
	}
	if n, err := s.store.Len(ctx); err == nil && n > 0 {
		l.Grow(int(n), 8)
	}
	r := costing.Replay{L: l}
	err = s.store.Replay(ctx, func(e *bf.Event) error {
		if err := r.Post(e); err != nil {
			return bf.E("replay", bf.KindInternal, bf.EventID(e.ID), "a stored event no longer posts", err)
		}
		return nil
	})
	if err == nil {
		if err = r.Flush(); err != nil {
			err = bf.E("replay", bf.KindInternal, "stored events no longer post", err)
		}
	}
	return l, err
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
//
// Concurrent batches are committed together (group commit): each batch is
// posted into the ledger in turn, and the batches posted while the store
// writes the previous group go to it as one transaction, one sync, when it
// is done. Posting the next batches thus overlaps the store's writing, and
// a sync is shared by every batch waiting for it. No batch is acknowledged
// before its group is durable, and readers (View) see the ledger only when
// everything posted is durable. If a group's append fails, the ledger goes
// back to before the group, and the group's batches and those posted after
// it are ingested again one by one, each on its own, so that each gets the
// verdict it would have had alone (a conflict with another process's log
// fails only the batch holding the id).
func (s *Service) Ingest(ctx context.Context, events []bf.Event) (Result, error) {
	s.wmu.Lock()
	// Let readers and re-costings in: post nothing more until the commit in
	// flight has made the ledger durable and released it to them. Once they
	// have had their turn, every batch that waited is posted before they
	// get another, so that a busy reader cannot reduce groups to one batch.
	for turn := s.released; s.dirty && s.waiting.Load() > 0 && s.released == turn; {
		s.cond.Wait()
	}
	if !s.dirty {
		s.mu.Lock()
		s.dirty = true
	}
	cp := s.ledger.Checkpoint()
	r, fresh, err := s.post(events, cp)
	if err != nil || len(fresh) == 0 {
		s.ledger.Release(cp)
		s.settle()
		s.wmu.Unlock()
		return r, err
	}
	p := &pending{ctx: ctx, batch: events, fresh: fresh, cp: cp, res: r, done: make(chan struct{})}
	s.queue = append(s.queue, p)
	if !s.committing {
		s.committing = true
		go s.commit()
	}
	s.wmu.Unlock()
	<-p.done
	return p.res, p.err
}

// pending is a batch posted into the ledger and waiting for its commit.
type pending struct {
	ctx   context.Context
	batch []bf.Event          // the batch as given, to ingest again on its own
	fresh []bf.Event          // its events new to the log
	cp    *costing.Checkpoint // the ledger before the batch
	res   Result
	err   error
	done  chan struct{} // closed once res and err are final
}

// post posts a batch into the ledger, all or nothing, and returns the
// events new to the log. On error the ledger is restored to cp. The caller
// holds wmu and mu.
//
// The events are posted one by one until one is late (dated before the
// last event costed); that one and the rest of the batch are merged into
// the open window at once (costing.Ledger.Merge), so that a batch re-costs
// the window once however many of its events are late.
func (s *Service) post(events []bf.Event, cp *costing.Checkpoint) (Result, []bf.Event, error) {
	var r Result
	l := s.ledger
	// The events new to the log are events itself until one is skipped (the
	// common case: no copy); from the first skipped on, they are copied.
	var fresh []bf.Event
	copied := false
	skip := func(i int) {
		if !copied {
			fresh = append(make([]bf.Event, 0, len(events)), events[:i]...)
			copied = true
		}
		r.Duplicates++
	}
	twice := func(e *bf.Event) error {
		l.Restore(cp)
		return bf.E("ingest", bf.KindConflict, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("id"),
			"the batch holds this id twice with different content")
	}
	// The events from the first late one on, merged at the end, and their ids.
	var tail []bf.Event
	var inTail map[string]int
	// The ledger's id index finds an id already posted, before this batch
	// or earlier in it: one lookup, no index of the batch's own.
	for i := range events {
		e := &events[i]
		if k, ok := l.EventIndex(e.ID); ok {
			if l.Event(k).SameContent(e) {
				skip(i)
				continue
			}
			if l.ArrivedSince(cp, k) {
				return Result{}, nil, twice(e)
			}
		}
		if tail != nil || e.Date < l.Last() {
			if inTail == nil {
				inTail = map[string]int{}
			}
			if k, ok := inTail[e.ID]; ok {
				if !tail[k].SameContent(e) {
					return Result{}, nil, twice(e)
				}
				skip(i)
				continue
			}
			inTail[e.ID] = len(tail)
			tail = append(tail, *e)
		} else if err := l.Post(e); err != nil {
			l.Restore(cp)
			return Result{}, nil, err
		}
		if copied {
			fresh = append(fresh, *e)
		}
	}
	if err := l.Merge(tail); err != nil {
		l.Restore(cp)
		return Result{}, nil, err
	}
	if !copied {
		fresh = events
	}
	r.Accepted = len(fresh)
	return r, fresh, nil
}

// commit writes the queued batches to the store, a group at a time, until
// the queue is empty; then it releases the ledger to readers.
func (s *Service) commit() {
	var durable []*pending // the last group stored, whose checkpoints may go
	for {
		s.wmu.Lock()
		for _, p := range durable {
			s.ledger.Release(p.cp)
		}
		durable = nil
		group := s.queue
		s.queue = nil
		if len(group) == 0 {
			s.committing = false
			s.settle()
			s.wmu.Unlock()
			return
		}
		s.wmu.Unlock()
		err := s.appendGroup(group)
		if err == nil {
			// Durable: the group will never be rolled back. Its checkpoints
			// are released at the next turn, under the lock taken anyway,
			// so that acknowledging waits for nothing.
			for _, p := range group {
				close(p.done)
			}
			durable = group
			continue
		}
		// The group failed as a whole: undo it and everything posted since.
		// A group of one batch has its verdict; in a larger group the
		// failure may be one batch's (a conflict with another process's
		// log), so every batch is ingested again on its own, as are the
		// batches posted after the group.
		s.wmu.Lock()
		later := s.queue
		s.queue = nil
		s.ledger.Restore(group[0].cp) // releases the later batches' checkpoints
		s.ledger.Release(group[0].cp)
		if len(group) == 1 {
			group[0].res, group[0].err = Result{}, err
			close(group[0].done)
			group = nil
		}
		for _, p := range append(group, later...) {
			p.res, p.err = s.ingestAlone(p.ctx, p.batch)
			close(p.done)
		}
		s.wmu.Unlock()
	}
}

// appendGroup appends a group's new events in one call: one transaction,
// one sync. A batch whose caller gave up (its context done) fails the
// group, so that it is handled on its own and stored or not by its context.
func (s *Service) appendGroup(group []*pending) error {
	if len(group) == 1 {
		return s.store.Append(group[0].ctx, group[0].fresh)
	}
	n := 0
	for _, p := range group {
		if err := p.ctx.Err(); err != nil {
			return err
		}
		n += len(p.fresh)
	}
	all := make([]bf.Event, 0, n)
	for _, p := range group {
		all = append(all, p.fresh...)
	}
	// Every caller is waiting for this group: no single one's cancellation
	// may cut it short (the store decides the outcome once it has begun).
	return s.store.Append(context.WithoutCancel(group[0].ctx), all)
}

// ingestAlone posts and appends one batch on its own, all or nothing. The
// caller holds wmu and mu.
func (s *Service) ingestAlone(ctx context.Context, events []bf.Event) (Result, error) {
	cp := s.ledger.Checkpoint()
	defer s.ledger.Release(cp)
	r, fresh, err := s.post(events, cp)
	if err != nil || len(fresh) == 0 {
		return r, err
	}
	if err := s.store.Append(ctx, fresh); err != nil {
		s.ledger.Restore(cp)
		return Result{}, err
	}
	return r, nil
}

// settle releases the ledger to readers when nothing posted waits for its
// commit. The caller holds wmu.
func (s *Service) settle() {
	if s.dirty && !s.committing && len(s.queue) == 0 {
		s.dirty = false
		s.released++
		s.mu.Unlock()
		s.cond.Broadcast()
	}
}

// rlock takes mu shared for a reader, telling the ingestion pipeline that
// a reader waits (see Ingest).
func (s *Service) rlock() {
	s.waiting.Add(1)
	s.mu.RLock()
	s.waiting.Add(-1)
}

// Recost adds a configuration version effective from a date in the open
// period and re-costs by replaying the log. The journal as it stood before
// stays readable through Previous.
func (s *Service) Recost(ctx context.Context, doc []byte, effective bf.Date, note string) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	// Wait until every batch posted is durable: the re-costing replays the log.
	s.waiting.Add(1)
	for s.dirty {
		s.cond.Wait()
	}
	s.waiting.Add(-1)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfgMu.Lock()
	defer s.cfgMu.Unlock()
	if ct := s.ledger.ClosedThrough(); effective <= ct {
		return 0, bf.E("recost", bf.KindClosedPeriod, bf.Field("effective"),
			"the period is closed through "+ct.String()+": a new version takes effect after it")
	}
	if effective == 0 {
		return 0, bf.E("recost", bf.KindInvalid, bf.Field("effective"), "a new version needs the date it takes effect")
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
// writer waits). The CLI and the HTTP API read through the typed queries
// (queries.go) instead; View serves those, and tests that check the books.
func (s *Service) View(f func(l *costing.Ledger) error) error {
	s.rlock()
	defer s.mu.RUnlock()
	return f(s.ledger)
}

// Previous runs f with the journal as it stood before the last re-costing:
// the log costed without the newest configuration version (rebuilt by
// replay when this process did not make it). NotFound when there was none.
// The previous ledger is never posted to again, so f reads it without a
// lock (and may call the service's other methods). The queries that take
// previous read through it.
func (s *Service) Previous(f func(l *costing.Ledger) error) error {
	// The previous ledger and the versions change only under wmu (Recost):
	// the current ledger, which mu guards, is not read here.
	s.wmu.Lock()
	if s.previous == nil {
		if len(s.versions) < 2 {
			s.wmu.Unlock()
			return bf.E("previous", bf.KindNotFound, "no re-costing has replaced a journal yet")
		}
		l, err := s.replay(context.Background(), s.versions[:len(s.versions)-1])
		if err != nil {
			s.wmu.Unlock()
			return err
		}
		s.previous = l
	}
	prev := s.previous
	s.wmu.Unlock()
	return f(prev)
}

// Versions returns the configuration versions, oldest first.
func (s *Service) Versions() []bf.ConfigVersion {
	s.cfgMu.RLock()
	defer s.cfgMu.RUnlock()
	out := make([]bf.ConfigVersion, len(s.versions))
	for i, v := range s.versions {
		out[i] = v.cfg
	}
	return out
}

// Chart returns the plant's account codes (of the newest version).
func (s *Service) Chart() *bf.Chart {
	s.cfgMu.RLock()
	defer s.cfgMu.RUnlock()
	c := s.chart
	return &c
}

// Name returns the plant's name.
func (s *Service) Name() string { return s.name }

// Store returns the store behind the service.
func (s *Service) Store() bf.Store { return s.store }
