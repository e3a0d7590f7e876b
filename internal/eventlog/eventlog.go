// Package eventlog holds what the Store adapters (packages sqlite, postgres
// and inmem) share: the exact encoding of an event into the stored
// payload, the checks a batch passes before it reaches a database, and the
// mapping of failures to the domain's error kinds. Keeping them in one place means every
// adapter stores the same bytes and refuses the same input with the same
// error, which is what lets one conformance suite (storetest) cover them.
package eventlog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/eventio"
)

// MoneyScale is the currency scale at which amounts are written into stored
// payloads. A store does not know the plant's currency, and Money is already
// an integer count of minor units, so the payload keeps that integer as is
// ("amount":"4500000" is 45,000.00 in a two-decimal currency). Any scale
// would round trip; zero is the one that never misstates a value when the
// currency changes.
const MoneyScale = 0

// The dates eventio can write and read back: YYYY-MM-DD has four year digits.
var (
	minDate = bf.DateOf(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC))
	maxDate = bf.DateOf(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))
)

// Batch is a batch of events checked and encoded for storage.
type Batch struct {
	IDs      []string // the events' ids, in batch order
	Payloads []string // eventio JSON, amounts at MoneyScale
}

// Encode checks a batch for Append and encodes it. Every event must pass
// bf.Event.Validate and must survive the payload encoding exactly (replay
// could not reproduce it otherwise); an id given twice in the batch is a
// conflict, because the log could not hold both. The error names the event
// and field, with op as its operation; nothing is encoded on error.
func Encode(op string, events []bf.Event) (*Batch, error) {
	b := &Batch{IDs: make([]string, len(events)), Payloads: make([]string, len(events))}
	// One buffer and one string conversion for the whole batch: payloads are
	// substrings of it, so a 50,000-event batch costs two allocations, not
	// 50,000.
	// Sized for typical payloads, so the buffer seldom grows (and copies).
	buf := make([]byte, 0, 160*len(events))
	ends := make([]int, len(events))
	seen := make(map[string]struct{}, len(events))
	for i := range events {
		e := &events[i]
		if err := e.Validate(); err != nil {
			var be *bf.Error
			if errors.As(err, &be) {
				be.Op = op
			}
			return nil, err
		}
		if _, dup := seen[e.ID]; dup {
			return nil, bf.E(op, bf.KindConflict, bf.EventID(e.ID), bf.Field("id"), "is given twice in the batch")
		}
		seen[e.ID] = struct{}{}
		start := len(buf)
		buf = eventio.AppendJSON(buf, e, MoneyScale)
		if !plain(e) {
			if err := roundTrips(op, e, buf[start:]); err != nil {
				return nil, err
			}
		}
		ends[i] = len(buf)
		b.IDs[i] = e.ID
	}
	all := string(buf)
	start := 0
	for i, end := range ends {
		b.Payloads[i] = all[start:end]
		start = end
	}
	return b, nil
}

// plain reports whether e certainly survives the encoding: a date eventio can
// write and text made only of printable runes, which strconv.Quote (used by
// eventio) leaves as they are. Anything else is checked by decoding it back.
func plain(e *bf.Event) bool {
	return e.Date >= minDate && e.Date <= maxDate && plainText(e.ID) && plainText(e.Item) && plainText(e.Memo)
}

func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return printable(s)
		}
	}
	return true
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !strconv.IsPrint(r) {
			return false
		}
	}
	return true
}

// roundTrips decodes payload and compares it with e. strconv.Quote writes
// some characters (controls other than \b \f \n \r \t, DEL, invalid UTF-8,
// unprintable runes beyond U+FFFF) as Go escapes that are not JSON; such an
// event would be accepted and then fail every replay, so it is refused now.
func roundTrips(op string, e *bf.Event, payload []byte) error {
	got, err := eventio.DecodeJSON(payload, MoneyScale)
	if err == nil && got.SameContent(e) {
		return nil
	}
	field, reason := "", "cannot be stored exactly"
	switch {
	case e.Date < minDate || e.Date > maxDate:
		field, reason = "date", "must fall in the years 0001 to 9999"
	case !jsonText(e.ID):
		field = "id"
	case !jsonText(e.Item):
		field = "item"
	case !jsonText(e.Memo):
		field = "memo"
	}
	if field != "date" && field != "" {
		reason = "holds a character the event encoding cannot represent (a control character, invalid UTF-8 or an unprintable rune)"
	}
	return bf.E(op, bf.KindInvalid, bf.EventID(e.ID), bf.Field(field), reason)
}

// jsonText reports whether s survives strconv.Quote read back as JSON.
func jsonText(s string) bool {
	var out string
	return json.Unmarshal([]byte(strconv.Quote(s)), &out) == nil && out == s
}

// Decode decodes a stored payload. A payload that does not decode means the
// database was changed behind the store's back: that is an internal error
// naming the position in the log.
func Decode(op string, seq int64, payload []byte) (bf.Event, error) {
	// One decoder reads what Encode writes: eventio's fast path, with one
	// allocation (TestDecodeStored holds it to every payload Encode
	// accepts). The general decoder runs only for a payload it refuses, to
	// say what is wrong with it.
	if e, ok := eventio.DecodeFast(payload, MoneyScale); ok {
		return e, nil
	}
	e, err := eventio.DecodeJSON(payload, MoneyScale)
	if err != nil {
		return e, bf.E(op, bf.KindInternal, bf.EventID(e.ID), "the stored event at position "+strconv.FormatInt(seq, 10)+" cannot be decoded; the database was modified outside Backflush", err)
	}
	return e, nil
}

// fieldBit returns a bit per event field, 0 for an unknown key.
func fieldBit(key string) uint32 {
	for i, f := range bf.EventFields {
		if f == key {
			return 1 << i
		}
	}
	return 0
}

// Conflict is the error for an id already in the log.
func Conflict(op, id string) error {
	return bf.E(op, bf.KindConflict, bf.EventID(id), bf.Field("id"), "is already in the log")
}

// Time returns t as a store keeps it: in UTC to the microsecond, which is
// what PostgreSQL's timestamptz holds; a zero t is the current time. Both
// adapters apply it so that a time reads back equal in either.
func Time(t time.Time) time.Time {
	if t.IsZero() {
		t = time.Now()
	}
	return t.UTC().Truncate(time.Microsecond)
}

// CheckText refuses text a database column cannot hold exactly: invalid
// UTF-8 (PostgreSQL rejects it) or NUL (PostgreSQL text cannot hold it).
// Both adapters apply it so that they accept the same values.
func CheckText(op, field, s string) error {
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		return bf.E(op, bf.KindInvalid, bf.Field(field), "must be UTF-8 text without NUL characters")
	}
	return nil
}

// CheckToken checks a token before it is stored. The hash must look like a
// hex SHA-256 so that a secret passed by mistake is never written in clear.
func CheckToken(op string, t *bf.Token) error {
	if !isSHA256Hex(t.Hash) {
		return bf.E(op, bf.KindInvalid, bf.Field("hash"), "must be the SHA-256 of the secret in lowercase hex (64 digits)")
	}
	if t.Role < bf.Viewer || t.Role > bf.Admin {
		return bf.E(op, bf.KindInvalid, bf.Field("role"), "must be viewer, operator, controller or admin")
	}
	return CheckText(op, "name", t.Name)
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// TokenNotFound is the error for deleting a token that does not exist.
func TokenNotFound(op string) error {
	return bf.E(op, bf.KindNotFound, bf.Field("hash"), "no token has this hash")
}

// Wrap turns a failure of the database or of the context into an *bf.Error
// with op, keeping err underneath so that errors.Is(err, context.Canceled)
// still holds. An *bf.Error passes unchanged; nil stays nil.
func Wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var be *bf.Error
	if errors.As(err, &be) {
		return err
	}
	reason := "the database failed"
	switch {
	case errors.Is(err, context.Canceled):
		reason = "was cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		reason = "ran out of time"
	}
	return bf.E(op, bf.KindInternal, reason, err)
}

// WrapCtx is Wrap for a failure that happened under ctx: when ctx is done,
// the cause is the context, even if the driver reported it otherwise (SQLite
// reports an interrupted statement), so that callers can tell a cancelled
// call from a failing database.
func WrapCtx(ctx context.Context, op string, err error) error {
	return Wrap(op, WithCtx(ctx, err))
}

// WithCtx puts ctx's error in front of err when ctx is done (see WrapCtx).
func WithCtx(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w: %w", cerr, err)
	}
	return err
}

// Closed is the error for a call on a closed store.
func Closed(op string) error {
	return bf.E(op, bf.KindInternal, "the store is closed")
}

// Stored is an event read back from a log with its position.
type Stored struct {
	Seq   int64
	Event bf.Event
}

// ReadAhead calls fn with every event of a log up to position last, in
// order, reading it page by page with read (the events after a position,
// up to last, in order). The next page is read and decoded by a goroutine
// while fn runs over the current one: reading and decoding cost about as
// much as costing the events, and on two cores they overlap. Each page is
// a new slice, so fn may keep the pointer it is given. ReadAhead returns
// only once no read is in flight, so the store may be closed after it.
func ReadAhead(ctx context.Context, op string, last int64, read func(after int64) ([]Stored, error), fn func(*bf.Event) error) error {
	if last <= 0 {
		return nil
	}
	type result struct {
		page []Stored
		err  error
	}
	next := make(chan result, 1)
	fetch := func(after int64) {
		go func() {
			page, err := read(after)
			next <- result{page, err}
		}()
	}
	from := int64(0) // where the page being read starts
	fetch(from)
	for {
		res := <-next
		if res.err != nil {
			return res.err
		}
		page := res.page
		if len(page) == 0 {
			return bf.E(op, bf.KindInternal, "the log ends at position "+strconv.FormatInt(from, 10)+
				" before its last, "+strconv.FormatInt(last, 10)+"; the database was modified outside Backflush")
		}
		from = page[len(page)-1].Seq
		more := from < last
		if more {
			fetch(from)
		}
		for i := range page {
			err := ctx.Err()
			if err != nil {
				err = Wrap(op, err)
			} else {
				err = fn(&page[i].Event)
			}
			if err != nil {
				if more {
					<-next // the read in flight ends before the store may close
				}
				return err
			}
		}
		if !more {
			return nil
		}
	}
}
