package backflush

import (
	"errors"
	"strconv"
	"strings"
)

// Kind classifies an error so that adapters can map it to an exit code or an
// HTTP status without parsing messages.
type Kind uint8

// The error kinds. Adapters map them, for instance Invalid to HTTP 400 and
// exit code 2.
const (
	KindInternal     Kind = iota // a bug or an unexpected failure
	KindInvalid                  // the input breaks a rule
	KindNotFound                 // the input names something that does not exist
	KindConflict                 // the input contradicts what was accepted before
	KindClosedPeriod             // the input falls in a closed period
	KindInsufficient             // the input needs stock that is not there
)

var kindNames = [...]string{"internal", "invalid", "not found", "conflict", "closed period", "insufficient stock"}

// String names the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Error is the one error type of the domain: a kind, the operation and the
// culprit (file and line, event id or item, field) and a reason.
type Error struct {
	Kind   Kind
	Op     string // the operation, e.g. "post", "decode scenario"
	File   string // the input file, if any
	Line   int    // the 1-based line in File, if known
	Event  string // the id of the event at fault, if any
	Item   string // the id of the item at fault, if any
	Field  string // the field at fault, if any
	Reason string // why, in words a plant controller understands
	Err    error  // an underlying error, if any
}

// Error renders "file:line: event x: field y: reason".
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(": ")
	}
	if e.Event != "" {
		b.WriteString("event ")
		b.WriteString(strconv.Quote(e.Event))
		b.WriteString(": ")
	}
	if e.Item != "" {
		b.WriteString("item ")
		b.WriteString(strconv.Quote(e.Item))
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString("field ")
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	if e.Err != nil {
		if e.Reason != "" {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// ErrorKind returns the kind of err, KindInternal when err is not an *Error.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// Errorf is shorthand for an *Error of the given kind with a reason.
func Errorf(kind Kind, op, reason string) *Error {
	return &Error{Kind: kind, Op: op, Reason: reason}
}
