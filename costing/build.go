package costing

import (
	"errors"

	bf "github.com/backflush/backflush"
)

// Build compiles a configuration's standards, opens its books and posts its
// events in order. It stops at the first event refused; the error names it.
func Build(sc *bf.Config, file string) (*Ledger, error) {
	std, err := Compile(&sc.Plant)
	if err != nil {
		return nil, withFile(err, file)
	}
	l, err := NewLedger(std, sc.Books, sc.Close)
	if err != nil {
		return nil, withFile(err, file)
	}
	if err := PostAll(l, sc.Events, file); err != nil {
		return nil, err
	}
	return l, nil
}

// PostAll posts events in the order given, as arriving in that order,
// stopping at the first refused; the error names file (where the events
// came from) and the event's line. Late events (dated before events
// already costed in the open period) are merged a period at a time
// (Replay).
func PostAll(l *Ledger, events []bf.Event, file string) error {
	l.Grow(len(events), 8)
	r := Replay{L: l}
	for i := range events {
		if err := r.Post(&events[i]); err != nil {
			return withFile(err, file)
		}
	}
	return withFile(r.Flush(), file)
}

func withFile(err error, file string) error {
	var e *bf.Error
	if errors.As(err, &e) && e.File == "" {
		e.File = file
	}
	return err
}
