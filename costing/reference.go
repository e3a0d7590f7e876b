package costing

import (
	"strings"

	bf "github.com/backflush/backflush"
)

// Purpose is what a reference book is chosen for. It is the one parameter
// of ReferenceBook's rule: it sets which books qualify, which of them are
// preferred, and what happens when none qualifies.
type Purpose uint8

// The purposes.
const (
	// ForComparison chooses the book the others are compared with (the
	// differences between books, whatif's drift): the first sequential
	// book; without one there is no comparison.
	ForComparison Purpose = iota
	// ForGAAP chooses the GAAP book a backflush book is reconciled to: the
	// first sequential absorption book, preferring the first of them that
	// applies LCNRV, as external reporting does (ASC 330, IAS 2); without
	// one there is no reconciliation. A book named must be one.
	ForGAAP
	// ForLCNRV chooses the book an LCNRV test reads: the first sequential
	// book, else the first book. Any book may be named.
	ForLCNRV
	// ForProcess chooses the book process costing reads: the first that
	// keeps actual costs (basis fifo or weighted_average), which only
	// sequential books can. A book named must keep them, and one must exist.
	ForProcess
)

// refRule is one row of the reference-book rule.
type refRule struct {
	fits     func(c *bf.BookConfig) bool // the books that can serve
	prefer   func(c *bf.BookConfig) bool // among them, the first of these wins over the first; nil: the first
	strict   bool                        // a named book must fit
	orFirst  bool                        // when none fits, the ledger's first book
	required bool                        // when none fits, an error
	unfit    func(name string) error     // the error of a book that does not fit
}

func sequential(c *bf.BookConfig) bool { return c.Method == bf.MethodSequential }

var refRules = [...]refRule{
	ForComparison: {fits: sequential},
	ForGAAP: {
		fits:   func(c *bf.BookConfig) bool { return sequential(c) && c.Scope == bf.ScopeAbsorption },
		prefer: func(c *bf.BookConfig) bool { return c.LCNRV != nil },
		strict: true,
		unfit: func(name string) error {
			return bf.E("reconcile", bf.KindInvalid, bf.Field("gaap"), "book "+name+" is not a GAAP book: it needs sequential tracking and absorption costing")
		},
	},
	ForLCNRV: {fits: sequential, orFirst: true},
	ForProcess: {
		fits:     func(c *bf.BookConfig) bool { return c.Basis.Actual() },
		strict:   true,
		required: true,
		unfit: func(string) error {
			return bf.E("process", bf.KindInvalid, bf.Field("book"), "process costing needs a sequential book with basis fifo or weighted_average")
		},
	},
}

// ReferenceBook is the one rule that chooses the reference book: the book
// the others are compared or reconciled to, or a report reads by default.
// Its preference order, for every purpose:
//
//  1. the book named, when a name is given: it must exist (a not-found
//     error, as CheckBook) and, for ForGAAP and ForProcess, qualify (an
//     invalid error);
//  2. else the first book, in the ledger's order, that qualifies for the
//     purpose — sequential tracking (ForComparison, ForLCNRV), sequential
//     tracking with absorption costing (ForGAAP), an actual-cost basis
//     (ForProcess) — except that ForGAAP takes the first qualifying book
//     with an LCNRV policy over one without;
//  3. else, when no book qualifies: no book and no error (ForComparison,
//     ForGAAP), the ledger's first book (ForLCNRV), or an invalid error
//     (ForProcess).
//
// No standard prescribes the choice; it is Backflush's: the GAAP book is
// the one external reporting would use (ASC 330, IAS 2: sequential
// tracking at full absorption cost, written down to NRV). The four
// purposes are the four choices the reports, the CLI and the API made
// each in its own way before; the purpose parameter keeps each one's
// choice exactly.
func ReferenceBook(l *Ledger, name string, want Purpose) (*Book, error) {
	r := &refRules[want]
	if name != "" {
		if err := l.CheckBook(name); err != nil {
			return nil, err
		}
		b := l.Book(name)
		if r.strict && !r.fits(&b.Config) {
			return nil, r.unfit(name)
		}
		return b, nil
	}
	var ref *Book
	for _, b := range l.Books {
		if !r.fits(&b.Config) {
			continue
		}
		if ref == nil || (r.prefer != nil && !r.prefer(&ref.Config) && r.prefer(&b.Config)) {
			ref = b
		}
		if r.prefer == nil {
			break
		}
	}
	switch {
	case ref != nil:
		return ref, nil
	case r.orFirst:
		return l.Books[0], nil
	case r.required:
		return nil, r.unfit("")
	}
	return nil, nil
}

// CheckBook returns a not-found error, listing the books, when the ledger
// has no book of that name. An empty name names no book and is no error.
func (l *Ledger) CheckBook(name string) error {
	if name == "" || l.Book(name) != nil {
		return nil
	}
	names := make([]string, len(l.Books))
	for i, b := range l.Books {
		names[i] = b.Config.Name
	}
	return bf.E("report", bf.KindNotFound, bf.Field("book"), "no book named "+name+" (books: "+strings.Join(names, ", ")+")")
}
