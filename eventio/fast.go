package eventio

import (
	"unicode/utf16"
	"unicode/utf8"

	bf "github.com/backflush/backflush"
)

// DecodeFast decodes the shape nearly every event has: one flat JSON object
// whose values are strings or numbers. The general
// decoder reads any JSON through encoding/json's token API, which
// allocates several times per token and made decoding most of the time of
// a batch posted over HTTP; this reads the common shape about ten times
// faster with one allocation (the text of all the strings). It accepts
// only what the general decoder accepts and decodes it the same way —
// the same fields, set in the same order by the same bf.Event.Set and
// checked by Validate — and gives up (ok false) on anything else,
// including every error, so that the general decoder says what is wrong.
// A fuzz test holds the two to agreeing. DecodeJSON tries it first; the
// stores' replay (internal/eventlog) calls it directly.
func DecodeFast(data []byte, scale int) (e bf.Event, ok bool) {
	// A field may be given once, so an event has at most maxFields.
	var keys, vals [maxFields]string
	n := 0
	text := string(data) // the strings below are slices of it
	i := skipSpace(text, 0)
	if i >= len(text) || text[i] != '{' {
		return e, false
	}
	var seen uint32
	for i = skipSpace(text, i+1); ; {
		var key, val string
		if key, i, ok = jsonString(text, i); !ok {
			return e, false
		}
		if i = skipSpace(text, i); i >= len(text) || text[i] != ':' {
			return e, false
		}
		i = skipSpace(text, i+1)
		if i < len(text) && text[i] == '"' {
			val, i, ok = jsonString(text, i)
		} else {
			val, i, ok = jsonNumber(text, i)
		}
		if !ok {
			return e, false
		}
		bit := fieldBit(key)
		if bit == 0 || seen&bit != 0 || n == maxFields {
			return e, false
		}
		seen |= bit
		keys[n], vals[n] = key, val
		n++
		if i = skipSpace(text, i); i >= len(text) {
			return e, false
		}
		if text[i] == '}' {
			break
		}
		if text[i] != ',' {
			return e, false
		}
		i = skipSpace(text, i+1)
	}
	if skipSpace(text, i+1) != len(text) {
		return e, false
	}
	for k := range n {
		if e.Set(keys[k], vals[k], scale) != "" {
			return bf.Event{}, false
		}
	}
	if e.Type == 0 || e.Validate() != nil {
		return bf.Event{}, false
	}
	return e, true
}

// maxFields is the number of event fields (bf.EventFields).
const maxFields = 16

// skipSpace returns the index of the first byte at or after i that is not
// JSON white space.
func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// jsonString reads the JSON string starting at s[i] (a quote) and returns
// its value and the index after it; ok is false for anything but a valid
// string. A \u escape of a lone surrogate, which encoding/json reads as
// U+FFFD, is left to the general decoder (ok false) so the two agree.
func jsonString(s string, i int) (val string, next int, ok bool) {
	if i >= len(s) || s[i] != '"' {
		return "", i, false
	}
	start := i + 1
	var buf []byte // only for a string with escapes
	for j := start; j < len(s); j++ {
		c := s[j]
		switch {
		case c == '"':
			if buf == nil {
				return s[start:j], j + 1, true
			}
			return string(buf), j + 1, true
		case c < 0x20:
			return "", i, false // a raw control character is not JSON
		case c == '\\':
			if buf == nil {
				buf = append(make([]byte, 0, j-start+16), s[start:j]...)
			}
			j++
			if j >= len(s) {
				return "", i, false
			}
			switch s[j] {
			case '"', '\\', '/':
				buf = append(buf, s[j])
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, n := unicodeEscape(s, j+1)
				if n == 0 {
					return "", i, false
				}
				buf = utf8.AppendRune(buf, r)
				j += n
			default:
				return "", i, false
			}
		default:
			if buf != nil {
				buf = append(buf, c)
			}
		}
	}
	return "", i, false
}

// unicodeEscape reads the hex digits of a \u escape starting at s[i] (after
// the "u"), with the low half of a surrogate pair, and returns the rune and
// the bytes read after the "u" (4, or 10 for a pair); n is 0 for bad hex or
// a lone surrogate.
func unicodeEscape(s string, i int) (r rune, n int) {
	hex4 := func(i int) rune {
		if i+4 > len(s) {
			return -1
		}
		var v rune
		for _, c := range []byte(s[i : i+4]) {
			switch {
			case c >= '0' && c <= '9':
				v = v<<4 | rune(c-'0')
			case c >= 'a' && c <= 'f':
				v = v<<4 | rune(c-'a'+10)
			case c >= 'A' && c <= 'F':
				v = v<<4 | rune(c-'A'+10)
			default:
				return -1
			}
		}
		return v
	}
	r = hex4(i)
	switch {
	case r < 0 || (r >= 0xDC00 && r < 0xE000):
		return 0, 0
	case r < 0xD800 || r >= 0xE000:
		return r, 4
	}
	// A high surrogate: the low half must follow as \uDC00–\uDFFF.
	if i+10 > len(s) || s[i+4] != '\\' || s[i+5] != 'u' {
		return 0, 0
	}
	lo := hex4(i + 6)
	if lo < 0xDC00 || lo >= 0xE000 {
		return 0, 0
	}
	return utf16.DecodeRune(r, lo), 10
}

// jsonNumber reads the JSON number starting at s[i] and returns its text,
// as json.Number keeps it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func jsonNumber(s string, i int) (val string, next int, ok bool) {
	j := i
	if j < len(s) && s[j] == '-' {
		j++
	}
	digits := func() bool {
		k := j
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		return j > k
	}
	switch {
	case j < len(s) && s[j] == '0':
		j++
	case !digits():
		return "", i, false
	}
	if j < len(s) && s[j] == '.' {
		j++
		if !digits() {
			return "", i, false
		}
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		j++
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if !digits() {
			return "", i, false
		}
	}
	return s[i:j], j, true
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
