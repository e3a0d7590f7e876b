package backflush_test

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"testing"

	bf "github.com/backflush/backflush"
)

// TestECulprits builds an error with every combination of culprits, with a
// reason, a cause, both or neither, and checks that E fills the same fields
// as the literal would and that the message names the culprits in order.
func TestECulprits(t *testing.T) {
	cause := errors.New("disk full")
	type part struct {
		arg  any
		set  func(*bf.Error)
		text string // what the culprit adds to the message
	}
	parts := []part{
		{bf.File("plant.yaml"), func(e *bf.Error) { e.File = "plant.yaml" }, "plant.yaml"},
		{bf.LineNo(7), func(e *bf.Error) { e.Line = 7 }, "line 7"},
		{bf.EventID("p1"), func(e *bf.Error) { e.Event = "p1" }, `event "p1"`},
		{bf.ItemID("bolt"), func(e *bf.Error) { e.Item = "bolt" }, `item "bolt"`},
		{bf.Field("qty"), func(e *bf.Error) { e.Field = "qty" }, "field qty"},
	}
	tails := []struct {
		args []any
		set  func(*bf.Error)
		text string
	}{
		{nil, func(*bf.Error) {}, ""},
		{[]any{"must be positive"}, func(e *bf.Error) { e.Reason = "must be positive" }, "must be positive"},
		{[]any{cause}, func(e *bf.Error) { e.Err = cause }, "disk full"},
		{[]any{"cannot be written", cause}, func(e *bf.Error) { e.Reason, e.Err = "cannot be written", cause }, "cannot be written: disk full"},
	}
	for mask := 0; mask < 1<<len(parts); mask++ {
		for _, tail := range tails {
			args := []any{bf.KindInvalid}
			want := &bf.Error{Kind: bf.KindInvalid, Op: "post"}
			msg := ""
			has := func(i int) bool { return mask&(1<<i) != 0 }
			for i, p := range parts {
				if has(i) {
					args = append(args, p.arg)
					p.set(want)
				}
			}
			// File and line share one prefix: "file:line: ", "file: " or "line n: ".
			switch {
			case has(0) && has(1):
				msg += "plant.yaml:7: "
			case has(0):
				msg += "plant.yaml: "
			case has(1):
				msg += "line 7: "
			}
			for i := 2; i < len(parts); i++ {
				if has(i) {
					msg += parts[i].text + ": "
				}
			}
			args = append(args, tail.args...)
			tail.set(want)
			msg += tail.text
			got := bf.E("post", args...)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("E(%v) = %#v, want %#v", args, got, want)
			}
			if got.Error() != msg {
				t.Errorf("E(%v).Error() = %q, want %q", args, got.Error(), msg)
			}
		}
	}
}

// TestEArguments covers the rules for arguments beyond one of each type.
func TestEArguments(t *testing.T) {
	var nilErr error
	for _, c := range []struct {
		name string
		got  *bf.Error
		want *bf.Error
		msg  string
	}{
		{"the usual call",
			bf.E("post", bf.KindInvalid, bf.LineNo(3), bf.EventID("p1"), bf.Field("qty"), "must be positive"),
			&bf.Error{Kind: bf.KindInvalid, Op: "post", Line: 3, Event: "p1", Field: "qty", Reason: "must be positive"},
			`line 3: event "p1": field qty: must be positive`},
		{"a later argument replaces an earlier one",
			bf.E("read items", bf.KindInvalid, bf.LineNo(1), bf.Field("id"), bf.KindNotFound, bf.LineNo(4), bf.Field("parent"), "unknown parent"),
			&bf.Error{Kind: bf.KindNotFound, Op: "read items", Line: 4, Field: "parent", Reason: "unknown parent"},
			"line 4: field parent: unknown parent"},
		{"nil and a nil error are ignored",
			bf.E("write", bf.KindNotFound, nil, nilErr, "cannot be written"),
			&bf.Error{Kind: bf.KindNotFound, Op: "write", Reason: "cannot be written"},
			"cannot be written"},
		{"zero culprits render as absent ones",
			bf.E("validate plant", bf.KindInvalid, bf.File(""), bf.LineNo(0), bf.ItemID(""), bf.Field("start"), "is missing"),
			&bf.Error{Kind: bf.KindInvalid, Op: "validate plant", Field: "start", Reason: "is missing"},
			"field start: is missing"},
		{"an argument of another type is kept in the reason",
			bf.E("post", bf.KindInvalid, "must be positive", 5),
			&bf.Error{Kind: bf.KindInvalid, Op: "post", Reason: "must be positive%!(EXTRA int=5)"},
			"must be positive%!(EXTRA int=5)"},
		{"no kind and no cause is internal",
			bf.E("replay", "the log is damaged"),
			&bf.Error{Kind: bf.KindInternal, Op: "replay", Reason: "the log is damaged"},
			"the log is damaged"},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: %#v, want %#v", c.name, c.got, c.want)
		}
		if c.got.Error() != c.msg {
			t.Errorf("%s: message %q, want %q", c.name, c.got.Error(), c.msg)
		}
	}
}

// TestEWrapping checks that a cause stays reachable by errors.Is and
// errors.As, and which kind an error takes from a wrapped *Error.
func TestEWrapping(t *testing.T) {
	inner := bf.E("post", bf.KindConflict, bf.EventID("p1"), bf.Field("id"), "is already in the log")
	for _, c := range []struct {
		name string
		err  *bf.Error
		kind bf.Kind
	}{
		{"a kind of its own wins over the cause's", bf.E("replay", bf.KindInternal, "a stored event no longer posts", inner), bf.KindInternal},
		{"without a kind, the cause's", bf.E("ingest", "refused", inner), bf.KindConflict},
		{"without a kind, the kind of an *Error the cause wraps", bf.E("ingest", fmt.Errorf("batch 2: %w", inner)), bf.KindConflict},
		{"without a kind, a plain cause is internal", bf.E("ingest", io.ErrUnexpectedEOF), bf.KindInternal},
	} {
		if c.err.Kind != c.kind {
			t.Errorf("%s: kind %v, want %v", c.name, c.err.Kind, c.kind)
		}
	}

	outer := bf.E("import", bf.KindInvalid, bf.File("bom.csv"), "cannot be read", fmt.Errorf("line 3: %w", io.ErrUnexpectedEOF))
	if !errors.Is(outer, io.ErrUnexpectedEOF) {
		t.Errorf("errors.Is does not reach the cause of %v", outer)
	}
	if want := "bom.csv: cannot be read: line 3: unexpected EOF"; outer.Error() != want {
		t.Errorf("message %q, want %q", outer.Error(), want)
	}

	nested := bf.E("replay", bf.KindInternal, "a stored event no longer posts", inner)
	wrapped := fmt.Errorf("serve: %w", nested)
	e, ok := bf.AsError(wrapped)
	if !ok || e != nested {
		t.Errorf("AsError(%v) = %v, %v; want the outer *Error", wrapped, e, ok)
	}
	var be *bf.Error
	if !errors.As(wrapped, &be) || be != nested {
		t.Errorf("errors.As finds %v, want the outer *Error", be)
	}
	if !errors.Is(wrapped, inner) {
		t.Errorf("errors.Is does not reach the inner *Error of %v", wrapped)
	}
	if k := bf.ErrorKind(wrapped); k != bf.KindInternal {
		t.Errorf("ErrorKind = %v, want the outer error's internal", k)
	}
	if want := `serve: a stored event no longer posts: event "p1": field id: is already in the log`; wrapped.Error() != want {
		t.Errorf("message %q, want %q", wrapped.Error(), want)
	}

	if e, ok := bf.AsError(nil); ok || e != nil {
		t.Errorf("AsError(nil) = %v, %v", e, ok)
	}
	if e, ok := bf.AsError(io.EOF); ok || e != nil {
		t.Errorf("AsError(io.EOF) = %v, %v", e, ok)
	}
}

// TestKindMapping pins the one mapping of kinds to names, exit codes (the
// README's) and HTTP statuses (the API's).
func TestKindMapping(t *testing.T) {
	for _, c := range []struct {
		kind   bf.Kind
		name   string
		ident  string
		exit   int
		status int
	}{
		{bf.KindInternal, "internal", "internal", 1, 500},
		{bf.KindInvalid, "invalid", "invalid", 3, 400},
		{bf.KindNotFound, "not found", "not_found", 4, 404},
		{bf.KindConflict, "conflict", "conflict", 5, 409},
		{bf.KindClosedPeriod, "closed period", "closed_period", 6, 409},
		{bf.KindInsufficient, "insufficient stock", "insufficient_stock", 7, 422},
		{bf.Kind(9), "kind(9)", "internal", 1, 500},
	} {
		if got := c.kind.String(); got != c.name {
			t.Errorf("Kind(%d).String() = %q, want %q", c.kind, got, c.name)
		}
		if got := c.kind.Ident(); got != c.ident {
			t.Errorf("%v.Ident() = %q, want %q", c.kind, got, c.ident)
		}
		if got := c.kind.ExitCode(); got != c.exit {
			t.Errorf("%v.ExitCode() = %d, want %d", c.kind, got, c.exit)
		}
		if got := c.kind.HTTPStatus(); got != c.status {
			t.Errorf("%v.HTTPStatus() = %d, want %d", c.kind, got, c.status)
		}
	}
	if got := bf.ErrorKind(io.EOF).ExitCode(); got != 1 {
		t.Errorf("a plain error exits %d, want 1", got)
	}
	if got := bf.ErrorKind(fmt.Errorf("x: %w", bf.E("post", bf.KindClosedPeriod, "closed"))).ExitCode(); got != 6 {
		t.Errorf("a wrapped closed-period error exits %d, want 6", got)
	}
}
