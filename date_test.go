package backflush

import "testing"

func TestParseDateSaysWhyADayIsImpossible(t *testing.T) {
	for _, c := range []struct{ in, why string }{
		{"2026-02-28", ""},
		{"2024-02-29", ""},
		{"2026-02-30", "is not a date: February 2026 has 28 days (2026-02-30)"},
		{"2026-02-29", "is not a date: February 2026 has 28 days (2026-02-29)"},
		{"2026-04-31", "is not a date: April 2026 has 30 days (2026-04-31)"},
		{"2026-13-01", "is not a date of the form YYYY-MM-DD"},
		{"2026-02-00", "is not a date of the form YYYY-MM-DD"},
		{"2026-1-1", "is not a date of the form YYYY-MM-DD"},
		{"30/02/2026", "is not a date of the form YYYY-MM-DD"},
		{"", "is not a date of the form YYYY-MM-DD"},
	} {
		d, why := ParseDate(c.in)
		if why != c.why {
			t.Errorf("ParseDate(%q) says %q, want %q", c.in, why, c.why)
		}
		if why == "" && d.String() != c.in {
			t.Errorf("ParseDate(%q) = %s", c.in, d)
		}
	}
}
