package csvio

import (
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
)

// TestPlainNumber: a decimal-comma file's numbers are read strictly: a dot
// only groups thousands in threes, so "4.20" is refused, not read as 420.
func TestPlainNumber(t *testing.T) {
	for _, tt := range []struct {
		in           string
		comma, pct   bool
		want, reason string
	}{
		{"1.234,56", true, false, "1234.56", ""},
		{"1 234,5", true, false, "1234.5", ""},
		{"1\u00a0234\u00a0567,5", true, false, "1234567.5", ""},
		{"12,50", true, false, "12.50", ""},
		{"1.000", true, false, "1000", ""},
		{"12,50-", true, false, "-12.50", ""},
		{"-3", true, false, "-3", ""},
		{"2,5%", true, true, "2.5", ""},
		{"4.20", true, false, "", "the dot groups thousands in threes"},
		{"4.20", true, false, "", "write 4,20"},
		{"1.23.456", true, false, "", "groups thousands"},
		{"1234.567", true, false, "", "groups thousands"},
		{"1.234 567", true, false, "", "two kinds"},
		{"1,2,3", true, false, "", "after the decimal comma"},
		{"4.20", false, false, "4.20", ""},
		{"100-", false, false, "-100", ""},
	} {
		got, why := plainNumber(tt.in, tt.comma, tt.pct)
		if got != tt.want || !strings.Contains(why, tt.reason) || (tt.reason == "") != (why == "") {
			t.Errorf("plainNumber(%q, comma=%v) = %q, %q; want %q, …%q…", tt.in, tt.comma, got, why, tt.want, tt.reason)
		}
	}
}

// TestParseDateAs: impossible dates are named for what is wrong with them.
func TestParseDateAs(t *testing.T) {
	for _, tt := range []struct {
		in, format, want, reason string
	}{
		{"30.04.2026", "DD.MM.YYYY", "2026-04-30", ""},
		{"31.04.2026", "DD.MM.YYYY", "", "31.04.2026: April has 30 days"},
		{"29.02.2025", "DD.MM.YYYY", "", "February 2025 has 28 days"},
		{"29.02.2024", "DD.MM.YYYY", "2024-02-29", ""},
		{"13.13.2026", "DD.MM.YYYY", "", "13 is not a month"},
		{"00.00.0000", "DD.MM.YYYY", "", "an empty date"},
		{"1.4.2026", "DD.MM.YYYY", "", "is not a date of the form DD.MM.YYYY"},
		{"20260430", "YYYYMMDD", "2026-04-30", ""},
		{"2026-04-30 13:45:00", "YYYY-MM-DD hh:mm:ss", "2026-04-30", ""},
		{"2026-04-30 25:45:00", "YYYY-MM-DD hh:mm:ss", "", "25 is not an hour"},
		{"2026-04-30", "", "2026-04-30", ""},
		{"2026-02-30", "", "", "February 2026 has 28 days"},
		{"2026-04-30x", "", "", "is not a date of the form YYYY-MM-DD"},
	} {
		got, why := parseDateAs(tt.in, tt.format)
		if got != tt.want || !strings.Contains(why, tt.reason) || (tt.reason == "") != (why == "") {
			t.Errorf("parseDateAs(%q, %q) = %q, %q; want %q, …%q…", tt.in, tt.format, got, why, tt.want, tt.reason)
		}
	}
	for f, ok := range map[string]bool{"DD.MM.YYYY": true, "YYYY-MM-DD hh:mm": true, "D/M/Y": false, "YYYY-MM-DD-DD": false} {
		if (checkDateFormat(f) == "") != ok {
			t.Errorf("checkDateFormat(%q) = %q", f, checkDateFormat(f))
		}
	}
}

// FuzzPlainNumber: whatever a cell holds, a number read is one the bf
// parser takes or a reason is given; never a panic, never a grouping
// accepted that is not in threes.
func FuzzPlainNumber(f *testing.F) {
	for _, s := range []string{"1.234,56", "4.20", "12,50-", "1 234", "-", ",", "1.2.3,4", "%"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, comma bool) {
		n, why := plainNumber(s, comma, true)
		if why != "" {
			return
		}
		if comma && strings.ContainsAny(n, ", ") {
			t.Fatalf("%q read as %q", s, n)
		}
		if q, why := bf.ParseQty(n); why == "" && comma && strings.Contains(s, ".") {
			// A dot in a decimal-comma cell is grouping: the value has
			// no decimals from it.
			core := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
			core = strings.TrimSpace(strings.TrimSuffix(core, "-"))
			intPart, _, _ := strings.Cut(core, ",")
			if strings.Contains(intPart, ".") && !strings.HasSuffix(intPart, ".") {
				groups := strings.Split(strings.TrimLeft(intPart, "+-"), ".")
				for _, g := range groups[1:] {
					if len(g) != 3 {
						t.Fatalf("%q read as %s with a group of %d", s, q, len(g))
					}
				}
			}
		}
	})
}

// FuzzParseDateAs: a date read is a real day of the calendar in the
// layout; anything else is refused with a reason.
func FuzzParseDateAs(f *testing.F) {
	for _, s := range []string{"31.04.2026", "29.02.2024", "00.00.0000", "01.01.0001", "99.99.9999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, why := parseDateAs(s, "DD.MM.YYYY")
		if why != "" {
			return
		}
		if _, why := bf.ParseDate(got); why != "" {
			t.Fatalf("%q read as %q, which is no date: %s", s, got, why)
		}
		if got[8:10]+"."+got[5:7]+"."+got[0:4] != strings.TrimSpace(s) {
			t.Fatalf("%q read as %q", s, got)
		}
	})
}

// TestBeyond: the standards comparison warns strictly beyond the
// tolerance, on either side, and names a factor of ten's likely causes.
func TestBeyond(t *testing.T) {
	c := func(s string) bf.Cost { v, _ := bf.ParseCost(s); return v }
	half, _ := bf.ParsePct("0.5")
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"100.50", "100", false}, // exactly 0.5 %
		{"100.500000001", "100", true},
		{"99.50", "100", false},
		{"99.49", "100", true},
		{"149", "149", false},
	} {
		if got := beyond(c(tt.a), c(tt.b), half); got != tt.want {
			t.Errorf("beyond(%s, %s, 0.5) = %v", tt.a, tt.b, got)
		}
	}
	if s := likelyCauses(c("3000"), c("3")); !strings.Contains(s, "a factor of 1000") {
		t.Errorf("likelyCauses(3000, 3) = %q", s)
	}
	if s := likelyCauses(c("0.3"), c("30")); !strings.Contains(s, "a factor of 1/100") {
		t.Errorf("likelyCauses(0.3, 30) = %q", s)
	}
	if s := ratioText(c("101"), c("100")); s != "+1.0 %" {
		t.Errorf("ratioText(101, 100) = %q", s)
	}
	if tol, why := ParseTolerance("off"); tol >= 0 || why != "" {
		t.Errorf("off = %v %q", tol, why)
	}
}
