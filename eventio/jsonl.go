// Package eventio reads and writes event streams outside a scenario file:
// JSON Lines (one event per line) and CSV with a header of event fields,
// the one reader and writer of events files for every command (ReadFile,
// WriteFile). Values are read from their text (JSON
// numbers are kept as written, never parsed as float64) through the same
// field rules as the scenario decoder (bf.Event.Set), and every error names
// the file, the line, the event and the field.
package eventio

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"unicode/utf8"

	bf "github.com/backflush/backflush"
)

// maxLine bounds one JSONL record, so a corrupt file cannot exhaust memory.
const maxLine = 1 << 20

// ReadJSONL decodes every event of a JSON Lines stream; scale is the
// currency's decimals. Blank lines are skipped. It stops at the first bad
// line: a stream with an error yields no events.
func ReadJSONL(file string, r io.Reader, scale int) ([]bf.Event, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	var out []bf.Event
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		e, err := DecodeJSON(text, scale)
		if err != nil {
			if be, ok := bf.AsError(err); ok {
				be.File, be.Line = file, line
			}
			return nil, err
		}
		e.Line = line
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		reason := "cannot be read"
		if err == bufio.ErrTooLong {
			reason = "is longer than " + strconv.Itoa(maxLine) + " bytes"
		}
		return nil, bf.E("read events", bf.KindInvalid, bf.File(file), bf.LineNo(line+1), reason, err)
	}
	return out, nil
}

// DecodeJSON decodes one event from a JSON object and checks its fields.
func DecodeJSON(data []byte, scale int) (bf.Event, error) {
	if !utf8.Valid(data) {
		// encoding/json would quietly turn bad bytes into U+FFFD: refuse
		// them, so that what is stored is what was sent.
		return bf.Event{}, bf.E("decode event", bf.KindInvalid, "is not valid UTF-8 text")
	}
	if e, ok := DecodeFast(data, scale); ok {
		return e, nil
	}
	return decodeJSON(data, scale)
}

// decodeJSON is DecodeJSON through encoding/json's tokenizer: any JSON,
// and the error that explains what is wrong with it. data is valid UTF-8.
func decodeJSON(data []byte, scale int) (bf.Event, error) {
	var e bf.Event
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return e, bf.E("decode event", bf.KindInvalid, bf.EventID(e.ID), "an event is a JSON object")
	}
	// Read the id first when present so that every later error names it.
	var fields []string
	var values []string
	seen := map[string]bool{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return e, bf.E("decode event", bf.KindInvalid, bf.EventID(e.ID), "is not valid JSON")
		}
		key, _ := kt.(string)
		if seen[key] {
			return e, bf.E("decode event", bf.KindInvalid, bf.EventID(e.ID), bf.Field(key), "is given twice")
		}
		seen[key] = true
		vt, err := dec.Token()
		if err != nil {
			return e, bf.E("decode event", bf.KindInvalid, bf.EventID(e.ID), bf.Field(key), "is not valid JSON")
		}
		var text string
		switch v := vt.(type) {
		case string:
			text = v
		case json.Number:
			text = v.String()
		default:
			return e, bf.E("decode event", bf.KindInvalid, bf.EventID(e.ID), bf.Field(key), "must be a string or a number")
		}
		if key == "id" {
			e.ID = text
		}
		fields = append(fields, key)
		values = append(values, text)
	}
	if _, err := dec.Token(); err != nil {
		return e, bf.E("decode event", bf.KindInvalid, bf.EventID(e.ID), "is not valid JSON")
	}
	if dec.More() {
		return e, bf.E("decode event", bf.KindInvalid, bf.EventID(e.ID), "has data after the event object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return e, bf.E("decode event", bf.KindInvalid, bf.EventID(e.ID), "has data after the event object")
	}
	for i, f := range fields {
		if why := e.Set(f, values[i], scale); why != "" {
			return e, bf.E("decode event", bf.KindInvalid, bf.EventID(e.ID), bf.Field(f), why)
		}
	}
	if e.Type == 0 {
		return e, bf.E("decode event", bf.KindInvalid, bf.EventID(e.ID), bf.Field("type"), "is missing")
	}
	if err := e.Validate(); err != nil {
		return e, err
	}
	return e, nil
}

// WriteJSONL writes events as JSON Lines; zero fields are left out. Amounts
// are written at the given currency scale as strings, so readers keep them exact.
func WriteJSONL(w io.Writer, events []bf.Event, scale int) error {
	bw := bufio.NewWriter(w)
	var buf []byte
	for i := range events {
		buf = AppendJSON(buf[:0], &events[i], scale)
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// AppendJSON appends one event as a JSON object to dst.
func AppendJSON(dst []byte, e *bf.Event, scale int) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, e.ID)
	dst = append(dst, `,"date":"`...)
	dst = e.Date.AppendFormat(dst)
	dst = append(dst, `","type":"`...)
	dst = append(dst, e.Type.String()...)
	dst = append(dst, '"')
	str := func(key, v string) {
		dst = append(dst, ',', '"')
		dst = append(dst, key...)
		dst = append(dst, `":`...)
		dst = appendString(dst, v)
	}
	if e.Item != "" {
		str("item", e.Item)
	}
	if e.Qty != 0 || e.Type == bf.Count || e.Type == bf.WIPCount || (e.Type == bf.Complete && e.ScrapQty != 0) {
		str("qty", e.Qty.String())
	}
	if e.ScrapQty != 0 {
		str("scrap", e.ScrapQty.String())
	}
	if e.Type == bf.Purchase {
		str("unit_cost", e.UnitCost.String())
	}
	if e.UnitPrice != 0 {
		str("unit_price", e.UnitPrice.String())
	}
	if e.Amount != 0 {
		str("amount", e.Amount.Format(scale))
	}
	if e.Hours != 0 {
		str("hours", e.Hours.String())
	}
	if e.Behavior != bf.BehaviorUnset {
		str("behavior", e.Behavior.String())
	}
	if e.Type == bf.WIPCount {
		str("materials_pct", e.MaterialsPct.String())
		str("conversion_pct", e.ConversionPct.String())
	}
	if e.Reverses != "" {
		str("reverses", e.Reverses)
	}
	if e.Reason != "" {
		str("reason", e.Reason)
	}
	if e.Memo != "" {
		str("memo", e.Memo)
	}
	return append(dst, '}')
}

// appendString appends s as a JSON string. Go's quoting is not JSON's
// (\x01, \U0001f600): control characters become \u00XX escapes, and
// everything else valid UTF-8 is written as it is. Event text is valid
// UTF-8 (bf.Event.Set refuses anything else); invalid bytes would be
// written as U+FFFD.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			dst = append(dst, '\\', byte(r))
		case r == '\n':
			dst = append(dst, '\\', 'n')
		case r == '\t':
			dst = append(dst, '\\', 't')
		case r == '\r':
			dst = append(dst, '\\', 'r')
		case r < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[r>>4], hex[r&0xf])
		default:
			dst = utf8.AppendRune(dst, r)
		}
	}
	return append(dst, '"')
}
