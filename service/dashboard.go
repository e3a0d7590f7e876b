package service

import (
	"context"
	"strconv"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/report"
)

// The dashboard's queries: the periods, trial balances as of a date or for
// a period, an account's lines filtered for a controller, and the exports.
// Each reads the same functions of package report and export as the CLI
// and the API, so a figure has one implementation.

// Periods returns the periods of the log, split at its close events
// (report.Periods); the last is open when events follow the last close.
func (s *Service) Periods() []report.Period {
	var out []report.Period
	s.View(func(l *costing.Ledger) error {
		out = report.Periods(l)
		return nil
	})
	return out
}

// TrialBalanceQuery chooses what a trial balance sums: the balances as of
// a date (the lines of events dated on or before AsOf), or the movements
// of one period (report.Movements), or with both zero the whole journal.
type TrialBalanceQuery struct {
	Book   string
	AsOf   bf.Date
	Period int // 1-based; NotFound past the last period
}

// TrialBalanceOf returns the trial balance q asks for, its accounts named
// by the plant's chart; an unknown book or period is NotFound, a query
// giving both a date and a period Invalid.
func (s *Service) TrialBalanceOf(q TrialBalanceQuery) (*TrialBalance, error) {
	if q.AsOf != 0 && q.Period != 0 {
		return nil, bf.E("trial balance", bf.KindInvalid, bf.Field("period"), "give a date or a period, not both")
	}
	chart := s.Chart()
	var tb *TrialBalance
	err := s.View(func(l *costing.Ledger) error {
		b, err := bookOf(l, q.Book)
		if err != nil {
			return err
		}
		var bal [bf.NumAccounts]bf.Money
		var used [bf.NumAccounts]bool
		n := 0
		in := func(int32) bool { return true }
		switch {
		case q.Period != 0:
			ps := report.Periods(l)
			if q.Period < 1 || q.Period > len(ps) {
				return bf.E("trial balance", bf.KindNotFound, bf.Field("period"), "no period "+strconv.Itoa(q.Period)+" (periods 1 to "+strconv.Itoa(len(ps))+")")
			}
			p := ps[q.Period-1]
			in = func(ev int32) bool { return ev >= p.FirstEvent && ev <= p.LastEvent }
		case q.AsOf != 0:
			in = func(ev int32) bool { return l.Event(ev).Date <= q.AsOf }
		}
		for e, lines := range b.Journal.All() {
			if !in(e.Event) {
				continue
			}
			n++
			for _, ln := range lines {
				bal[ln.Account] += ln.Amount // within bf.MaxBalance per account (costing checks every posting)
				used[ln.Account] = true
			}
		}
		tb = &TrialBalance{Config: b.Config, Entries: n, TrialBalance: report.NewTrialBalance(bal[:], used[:], report.ChartNames(chart))}
		return nil
	})
	return tb, err
}

// AccountQuery chooses the lines of an account: those of one event, of
// events dated from From to To, of one item (the line's item, or else the
// event's), of one event type; a field left zero matches every line. At
// asks for the page holding the first chosen line dated on or after it.
type AccountQuery struct {
	Book    string
	Account bf.Account
	Event   string
	From    bf.Date
	To      bf.Date
	Item    string
	Type    bf.EventType
	At      bf.Date
}

// AccountLines returns an account's balance and a page of the lines q
// chooses, each with the account's running balance over every line (not
// only the chosen ones). With q.At the page is the one that holds the
// first chosen line dated on or after it (the last page when none is),
// and p.Number is ignored; the answer's Page says which it is.
func (s *Service) AccountLines(q AccountQuery, p Page) (*AccountMovements, int, error) {
	var am *AccountMovements
	page := p.Number
	err := s.View(func(l *costing.Ledger) error {
		b, err := bookAndEvent(l, "account", q.Book, q.Event)
		if err != nil {
			return err
		}
		if q.Item != "" {
			if _, ok := l.Std.Lookup(q.Item); !ok {
				return bf.E("account", bf.KindNotFound, bf.Field("item"), bf.ItemID(q.Item), "unknown item "+q.Item)
			}
		}
		ms := report.Why(l, b, q.Account, q.Event)
		if q.From != 0 || q.To != 0 || q.Item != "" || q.Type != 0 {
			ms = filterLines(l, ms, q)
		}
		if q.At != 0 && p.Limit > 0 {
			k := len(ms) - 1
			for j, m := range ms {
				if m.Date >= q.At {
					k = j
					break
				}
			}
			page = max(k, 0)/p.Limit + 1
		}
		lo, hi := Page{Number: page, Limit: p.Limit}.Bounds(len(ms))
		am = &AccountMovements{Balance: b.Balance(q.Account), Movements: ms[lo:hi:hi], Total: len(ms)}
		return nil
	})
	return am, page, err
}

// filterLines keeps the movements of the dates, item and event type q
// chooses.
func filterLines(l *costing.Ledger, ms []report.Movement, q AccountQuery) []report.Movement {
	out := ms[:0]
	for _, m := range ms {
		i, _ := l.EventIndex(m.Event)
		ev := l.Event(i)
		item := m.Item
		if item == "" {
			item = ev.Item
		}
		if (q.From != 0 && m.Date < q.From) || (q.To != 0 && m.Date > q.To) ||
			(q.Item != "" && item != q.Item) || (q.Type != 0 && ev.Type != q.Type) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// The commands as the dashboard gives them: the same events as Close,
// Reverse and Reprocess, with who asked for them in the event's memo, so
// the log itself says who closed a period or reversed an event (the
// command's date and reason are the event's own fields). The memo is part
// of the event's content: the same person retrying the same command finds
// it in the log, while another person's identical command is refused as a
// conflict rather than silently credited to the first.

// CloseBy is Close with the memo by.
func (s *Service) CloseBy(ctx context.Context, d bf.Date, reason, by, id string) (Posted, error) {
	return s.close(ctx, bf.Event{ID: id, Date: d, Type: bf.Close, Reason: reason, Memo: by})
}

// ReprocessBy is Reprocess with the memo by.
func (s *Service) ReprocessBy(ctx context.Context, d bf.Date, item, by, id string) (Posted, error) {
	return s.command(ctx, bf.Event{ID: id, Date: d, Type: bf.Reprocess, Item: item, Memo: by})
}
