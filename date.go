package backflush

import "time"

// Date is a calendar day, counted in days since 1970-01-01. Events carry
// dates, not instants: a period closes at the end of a day.
type Date int32

// ParseDate parses "2006-01-02"; the reason is empty on success.
func ParseDate(s string) (Date, string) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != 10 {
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
