package service

import (
	bf "github.com/backflush/backflush"
)

// The service's queries that adapters need besides View: typed answers, so
// that neither the CLI nor the HTTP API reads the ledger's internals.

// Currency returns the plant's currency. It is fixed by the first
// configuration version (a new version cannot change it), so it is read
// without a lock.
func (s *Service) Currency() bf.Currency { return s.currency }

// Shortfall is one entry of the failed-backflush queue: units of a
// component a completion could not flush, waiting for stock.
type Shortfall struct {
	Component string // the component short
	For       string // the item being made
	Event     string // the id of the event that issued it
	Date      bf.Date
	Qty       bf.Qty // units still to issue
}

// Queue returns the failed-backflush queue, oldest first.
func (s *Service) Queue() []Shortfall {
	s.rlock()
	defer s.mu.RUnlock()
	q := s.ledger.Queue()
	out := make([]Shortfall, len(q))
	for i, e := range q {
		ev := s.ledger.Event(e.Event)
		out[i] = Shortfall{Component: s.ledger.Std.Item(e.Comp).ID, For: s.ledger.Std.Item(e.Parent).ID,
			Event: ev.ID, Date: ev.Date, Qty: e.Qty}
	}
	return out
}
