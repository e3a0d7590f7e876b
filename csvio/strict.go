package csvio

import (
	"strconv"
	"strings"
	"time"
)

// plainNumber turns a cell written in the file's locale into the plain
// decimal the bf parsers read ("-1234.5"), or says why it is no number of
// that locale. With a decimal comma, a dot (or a space) is accepted only as
// a thousands separator in groups of three digits, so "4.20" — a decimal
// point in a decimal-comma file — is refused rather than read as 420. A
// trailing minus ("12,50-", as SAP writes negative values) is a sign. A
// percentage may end in "%". With a decimal point, a comma is refused: the
// parser's hint says why.
func plainNumber(s string, decimalComma, pct bool) (string, string) {
	s = strings.TrimSpace(s)
	if pct {
		s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	}
	if strings.HasSuffix(s, "-") && len(s) > 1 && !strings.HasPrefix(s, "-") {
		s = "-" + strings.TrimSpace(s[:len(s)-1])
	}
	if !decimalComma {
		return s, ""
	}
	sign := ""
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		sign, s = s[:1], s[1:]
		if sign == "+" {
			sign = ""
		}
	}
	intPart, frac, hasFrac := strings.Cut(s, ",")
	if hasFrac && strings.ContainsAny(frac, ",. \u00a0") {
		return "", "is not a number with a decimal comma: a separator after the decimal comma"
	}
	// The grouping separator, if any, must be one kind, and every group
	// after the first must have exactly three digits.
	sep := ""
	for _, c := range []string{".", " ", "\u00a0", "\u202f", "'"} {
		if strings.Contains(intPart, c) {
			if sep != "" {
				return "", "is not a number with a decimal comma: two kinds of thousands separator"
			}
			sep = c
		}
	}
	if sep != "" {
		groups := strings.Split(intPart, sep)
		ok := len(groups[0]) >= 1 && len(groups[0]) <= 3 && allDigits(groups[0])
		for _, g := range groups[1:] {
			ok = ok && len(g) == 3 && allDigits(g)
		}
		if !ok {
			if sep == "." {
				return "", "is not a number with a decimal comma: the dot groups thousands in threes here; a decimal point in a decimal-comma file is a wrong export (write " + strings.Replace(intPart, ".", ",", 1) + suffix(frac, hasFrac) + " if a decimal was meant)"
			}
			return "", "is not a number with a decimal comma: thousands are grouped in threes"
		}
		intPart = strings.Join(groups, "")
	}
	if hasFrac {
		return sign + intPart + "." + frac, ""
	}
	return sign + intPart, ""
}

func suffix(frac string, has bool) string {
	if has {
		return "," + frac
	}
	return ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// dateToken is one part of a date layout: a field (YYYY, MM, DD, and the
// time fields hh, mm, ss, which are read and checked but not kept) or a
// literal.
type dateToken struct {
	field string // "" for a literal
	lit   string
}

// dateLayout splits a layout such as "DD.MM.YYYY hh:mm:ss" into tokens.
func dateLayout(format string) []dateToken {
	var out []dateToken
	for i := 0; i < len(format); {
		matched := false
		for _, f := range []string{"YYYY", "MM", "DD", "hh", "mm", "ss"} {
			if strings.HasPrefix(format[i:], f) {
				out = append(out, dateToken{field: f})
				i += len(f)
				matched = true
				break
			}
		}
		if !matched {
			if n := len(out); n > 0 && out[n-1].field == "" {
				out[n-1].lit += format[i : i+1]
			} else {
				out = append(out, dateToken{lit: format[i : i+1]})
			}
			i++
		}
	}
	return out
}

// parseDateAs reads a date cell by a layout with YYYY, MM and DD (and
// optionally hh, mm, ss for a datetime, whose time is dropped: events carry
// days) into YYYY-MM-DD, or says exactly what is wrong: a cell not of the
// layout, a month that is no month, a day the month does not have
// ("31.04.2026: April has 30 days").
func parseDateAs(s, format string) (string, string) {
	s = strings.TrimSpace(s)
	if format == "" {
		format = "YYYY-MM-DD"
	}
	notOf := "is not a date of the form " + format + " (" + s + ")"
	var y, m, d int
	rest := s
	for _, t := range dateLayout(format) {
		if t.field == "" {
			if !strings.HasPrefix(rest, t.lit) {
				return "", notOf
			}
			rest = rest[len(t.lit):]
			continue
		}
		n := 2
		if t.field == "YYYY" {
			n = 4
		}
		if len(rest) < n || !allDigits(rest[:n]) {
			return "", notOf
		}
		v, _ := strconv.Atoi(rest[:n])
		rest = rest[n:]
		switch t.field {
		case "YYYY":
			y = v
		case "MM":
			m = v
		case "DD":
			d = v
		case "hh":
			if v > 23 {
				return "", s + ": " + strconv.Itoa(v) + " is not an hour"
			}
		case "mm", "ss":
			if v > 59 {
				return "", s + ": " + strconv.Itoa(v) + " is not a minute or second"
			}
		}
	}
	if rest != "" {
		return "", notOf
	}
	if y == 0 && m == 0 && d == 0 {
		return "", s + ": is an empty date (all zeros, as an ERP writes no date)"
	}
	if m < 1 || m > 12 {
		return "", s + ": " + strconv.Itoa(m) + " is not a month"
	}
	days := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d < 1 || d > days {
		month := time.Month(m).String()
		if m == 2 {
			month += " " + strconv.Itoa(y)
		}
		return "", s + ": " + month + " has " + strconv.Itoa(days) + " days"
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), ""
}

// checkDateFormat says why a date format cannot be used, or "".
func checkDateFormat(s string) string {
	n := map[string]int{}
	for _, t := range dateLayout(s) {
		n[t.field]++
	}
	if n["YYYY"] != 1 || n["MM"] != 1 || n["DD"] != 1 || n["hh"] > 1 || n["mm"] > 1 || n["ss"] > 1 {
		return "must hold YYYY, MM and DD once each, such as DD.MM.YYYY or YYYYMMDD (and optionally hh, mm, ss for a time, which is dropped)"
	}
	return ""
}
