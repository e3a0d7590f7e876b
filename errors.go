package backflush

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Kind classifies an error so that adapters can map it to an exit code or an
// HTTP status without parsing messages: ExitCode, HTTPStatus and Ident are
// the one mapping they use.
type Kind uint8

// The error kinds. Each maps to one exit code and one HTTP status, for
// instance Invalid to exit code 3 and HTTP 400 (see ExitCode and HTTPStatus).
const (
	KindInternal     Kind = iota // a bug or an unexpected failure
	KindInvalid                  // the input breaks a rule
	KindNotFound                 // the input names something that does not exist
	KindConflict                 // the input contradicts what was accepted before
	KindClosedPeriod             // the input falls in a closed period
	KindInsufficient             // the input needs stock that is not there
)

// kinds holds, for each kind, its name in messages, its identifier in
// machine-readable answers, its exit code and its HTTP status. The statuses
// are numbers so that the domain does not import net/http.
var kinds = [...]struct {
	name, ident string
	exit        int
	status      int
}{
	KindInternal:     {"internal", "internal", 1, 500},                     // 500 Internal Server Error
	KindInvalid:      {"invalid", "invalid", 3, 400},                       // 400 Bad Request
	KindNotFound:     {"not found", "not_found", 4, 404},                   // 404 Not Found
	KindConflict:     {"conflict", "conflict", 5, 409},                     // 409 Conflict
	KindClosedPeriod: {"closed period", "closed_period", 6, 409},           // 409 Conflict, not 423 Locked: the request conflicts with the books' state
	KindInsufficient: {"insufficient stock", "insufficient_stock", 7, 422}, // 422 Unprocessable Entity
}

// String names the kind.
func (k Kind) String() string {
	if int(k) < len(kinds) {
		return kinds[k].name
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Ident returns the kind as an identifier (internal, invalid, not_found,
// conflict, closed_period, insufficient_stock), as the HTTP API's error
// bodies name it. A kind out of range is internal.
func (k Kind) Ident() string {
	if int(k) < len(kinds) {
		return kinds[k].ident
	}
	return kinds[KindInternal].ident
}

// ExitCode returns the process exit code for the kind: 1 internal, 3
// invalid, 4 not found, 5 conflict, 6 closed period, 7 insufficient stock.
// The other codes are no kind's: 0 is success and 2 a usage error (a
// command line the program cannot follow). A kind out of range is internal.
func (k Kind) ExitCode() int {
	if int(k) < len(kinds) {
		return kinds[k].exit
	}
	return kinds[KindInternal].exit
}

// HTTPStatus returns the HTTP status for the kind: 500 internal, 400
// invalid, 404 not found, 409 conflict and closed period, 422 insufficient
// stock. A kind out of range is internal.
func (k Kind) HTTPStatus() int {
	if int(k) < len(kinds) {
		return kinds[k].status
	}
	return kinds[KindInternal].status
}

// File names the input file at fault, as an argument of E.
type File string

// LineNo is the 1-based line at fault, in the File or else in the input, as
// an argument of E. (Line is the journal's line.)
type LineNo int

// EventID is the id of the event at fault, as an argument of E.
type EventID string

// ItemID is the id of the item at fault, as an argument of E.
type ItemID string

// Field names the field at fault, as an argument of E.
type Field string

// E builds the *Error of the operation op. Each argument says by its type
// what it is:
//
//	Kind     the kind
//	File     the input file
//	LineNo   the 1-based line
//	EventID  the event at fault
//	ItemID   the item at fault
//	Field    the field at fault
//	string   the reason, in words a plant controller understands
//	error    the underlying cause, kept for errors.Is and errors.As
//
// A later argument of a type replaces an earlier one, so that a function
// that adds its own context to E's arguments lets its callers override it;
// a nil argument or a nil error is ignored. Without a Kind, the error takes
// the kind of the *Error its cause is or wraps, if any, and is internal
// otherwise. An argument of another type is a bug of the caller: E keeps it
// in the reason, as fmt does, as %!(EXTRA type=value).
//
//	E("post", KindInvalid, LineNo(3), EventID("p1"), Field("qty"), "must be positive")
//
// renders as `line 3: event "p1": field qty: must be positive`.
func E(op string, args ...any) *Error {
	e := &Error{Op: op} // the one literal of the tree: filled argument by argument below
	hasKind := false
	var extra []any
	for _, a := range args {
		switch a := a.(type) {
		case nil:
		case Kind:
			e.Kind, hasKind = a, true
		case File:
			e.File = string(a)
		case LineNo:
			e.Line = int(a)
		case EventID:
			e.Event = string(a)
		case ItemID:
			e.Item = string(a)
		case Field:
			e.Field = string(a)
		case string:
			e.Reason = a
		case error:
			e.Err = a
		default:
			extra = append(extra, a)
		}
	}
	if !hasKind && e.Err != nil {
		e.Kind = ErrorKind(e.Err)
	}
	for _, a := range extra {
		e.Reason += "%!(EXTRA " + fmt.Sprintf("%T=%v", a, a) + ")"
	}
	return e
}

// Error is the one error type of the domain: a kind, the operation and the
// culprit (file and line, event id or item, field) and a reason. E builds
// it.
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

// AsError returns the first *Error in err's chain, as errors.As finds it.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
