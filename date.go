package backflush

import (
	"strconv"
	"time"
)

// Date is a calendar day, counted in days since 1970-01-01. Events carry
// dates, not instants: a period closes at the end of a day.
type Date int32

// ParseDate parses "2006-01-02"; the reason is empty on success.
func ParseDate(s string) (Date, string) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != 10 {
		if why := impossibleDate(s); why != "" {
			return 0, why
		}
		return 0, "is not a date of the form YYYY-MM-DD"
	}
	return Date(t.Unix() / 86400), ""
}

// DateOf returns the day of t in UTC.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String formats d as YYYY-MM-DD.
func (d Date) String() string { return d.Time().Format(time.DateOnly) }

// AppendFormat appends d as YYYY-MM-DD to dst.
func (d Date) AppendFormat(dst []byte) []byte { return d.Time().AppendFormat(dst, time.DateOnly) }

// impossibleDate says why s, written YYYY-MM-DD, names no day of the
// calendar ("2026-02-30: February 2026 has 28 days"), or "" when s is not
// of that form at all.
func impossibleDate(s string) string {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return ""
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:7])
	d, err3 := strconv.Atoi(s[8:])
	if err1 != nil || err2 != nil || err3 != nil || y < 0 || m < 0 || d < 0 {
		return ""
	}
	if m < 1 || m > 12 || d < 1 {
		return "" // not of the form: MM is 01 to 12, DD from 01
	}
	days := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return "is not a date: " + time.Month(m).String() + " " + s[:4] + " has " + strconv.Itoa(days) + " days (" + s + ")"
}
