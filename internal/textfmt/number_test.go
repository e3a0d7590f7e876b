package textfmt

import (
	"testing"

	bf "github.com/backflush/backflush"
)

func TestGrouped(t *testing.T) {
	for _, c := range []struct {
		in, hyphen, sign string
	}{
		{"0.00", "0.00", "0.00"},
		{"999.99", "999.99", "999.99"},
		{"1000.00", "1,000.00", "1,000.00"},
		{"-1234567.89", "-1,234,567.89", "−1,234,567.89"},
		{"-123456", "-123,456", "−123,456"},
		{"21000", "21,000", "21,000"},
		{"0.128125", "0.128125", "0.128125"},
		{"", "", ""},
	} {
		if got := Grouped(c.in, Hyphen); got != c.hyphen {
			t.Errorf("Grouped(%q, Hyphen) = %q, want %q", c.in, got, c.hyphen)
		}
		if got := Grouped(c.in, MinusSign); got != c.sign {
			t.Errorf("Grouped(%q, MinusSign) = %q, want %q", c.in, got, c.sign)
		}
	}
	if got := Money(-123456789, 2, MinusSign); got != "−1,234,567.89" {
		t.Errorf("Money = %q", got)
	}
	if got := Money(bf.Money(5), 0, Hyphen); got != "5" {
		t.Errorf("Money at scale 0 = %q", got)
	}
}
