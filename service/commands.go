package service

import (
	"context"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// The service's commands. Each builds the event it stands for and posts it
// like any batch, so it is durable when it returns and is checked by the
// same rules. Adapters (the CLI, the HTTP API) call these rather than build
// events themselves, so that one request retried by any path is one event.

// Posted is what a command did: the id of the event it stands for, and
// whether that event was appended or was already in the log (a retry).
type Posted struct {
	ID string
	Result
	// Warnings: for a close, what costing.ExternalCloseWarnings says of it
	// (books kept for external reporting that wrote a material favourable
	// variance off to COGS).
	Warnings []string
}

// CommandID is the id of the event a command posts when the caller gives
// none. It is derived from the request alone, never from the clock or
// chance, so that the same request retried by any path (a lost answer, a
// second click, the CLI after the API) finds its event already in the log
// and is a no-op:
//
//	close      close-DATE
//	reverse    reverse-EVENT (an event is reversed at most once)
//	reprocess  reprocess-DATE, or reprocess-DATE-ITEM for one component
//
// A second, deliberate re-processing on the same day needs an id of its own.
func CommandID(e *bf.Event) string {
	switch e.Type {
	case bf.Close:
		return "close-" + e.Date.String()
	case bf.Reverse:
		return "reverse-" + e.Reverses
	case bf.Reprocess:
		if e.Item != "" {
			return "reprocess-" + e.Date.String() + "-" + e.Item
		}
		return "reprocess-" + e.Date.String()
	}
	return ""
}

// Close closes the period through d: conversion variances are closed and
// later events dated on or before d are refused. reason is kept on record
// (it is required while the failed-backflush queue holds entries); id may
// be empty (CommandID).
func (s *Service) Close(ctx context.Context, d bf.Date, reason, id string) (Posted, error) {
	return s.close(ctx, bf.Event{ID: id, Date: d, Type: bf.Close, Reason: reason})
}

// close posts a close event and says what ExternalCloseWarnings says of it.
func (s *Service) close(ctx context.Context, e bf.Event) (Posted, error) {
	p, err := s.command(ctx, e)
	if err != nil {
		return p, err
	}
	err = s.View(func(l *costing.Ledger) error {
		if i, ok := l.EventIndex(p.ID); ok {
			for _, w := range costing.ExternalCloseWarnings(l, i, costing.DefaultMateriality) {
				p.Warnings = append(p.Warnings, w.Message(l))
			}
		}
		return nil
	})
	return p, err
}

// Reverse undoes the event target by a reversing event dated d in the open
// period; id may be empty (CommandID).
func (s *Service) Reverse(ctx context.Context, target string, d bf.Date, memo, id string) (Posted, error) {
	return s.command(ctx, bf.Event{ID: id, Date: d, Type: bf.Reverse, Reverses: target, Memo: memo})
}

// Reprocess retries the failed-backflush queue (only component item's
// entries when item is not empty) on date d; id may be empty (CommandID).
func (s *Service) Reprocess(ctx context.Context, d bf.Date, item, id string) (Posted, error) {
	return s.command(ctx, bf.Event{ID: id, Date: d, Type: bf.Reprocess, Item: item})
}

func (s *Service) command(ctx context.Context, e bf.Event) (Posted, error) {
	if e.ID == "" {
		e.ID = CommandID(&e)
	}
	r, err := s.Ingest(ctx, []bf.Event{e})
	return Posted{ID: e.ID, Result: r}, err
}
