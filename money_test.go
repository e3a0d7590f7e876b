package backflush_test

import (
	"math"
	"math/big"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
)

// The reasons the parsers give, as the scenario decoder shows them to users.
const (
	moneyWhyEmpty = "is empty"
	moneyWhyNaN   = "is not a decimal number"
	moneyWhyRange = "is out of range"
)

func moneyWhyDecimals(n int) string { return "has more than " + strconv.Itoa(n) + " decimal places" }

type moneyParseCase struct {
	in   string
	want int64
	why  string
}

// moneyCommonBad are refused by every parser, whatever its scale.
var moneyCommonBad = []moneyParseCase{
	{"", 0, moneyWhyEmpty},
	{"-", 0, moneyWhyNaN},
	{"+", 0, moneyWhyNaN},
	{".", 0, moneyWhyNaN},
	{"-.", 0, moneyWhyNaN},
	{"1e5", 0, moneyWhyNaN},
	{"1E5", 0, moneyWhyNaN},
	{"1.5e2", 0, moneyWhyNaN},
	{"0x10", 0, moneyWhyNaN},
	{"1,000", 0, moneyWhyNaN},
	{"1_000", 0, moneyWhyNaN},
	{" 1", 0, moneyWhyNaN},
	{"1 ", 0, moneyWhyNaN},
	{"--1", 0, moneyWhyNaN},
	{"+-1", 0, moneyWhyNaN},
	{"-+1", 0, moneyWhyNaN},
	{"1.2.3", 0, moneyWhyNaN},
	{"1..2", 0, moneyWhyNaN},
	{"NaN", 0, moneyWhyNaN},
	{"Inf", 0, moneyWhyNaN},
	{"-Inf", 0, moneyWhyNaN},
	{"١", 0, moneyWhyNaN}, // an Arabic-Indic digit is not an ASCII digit
	{"99999999999999999999", 0, moneyWhyRange},
	{"-99999999999999999999", 0, moneyWhyRange},
}

func TestParseQty(t *testing.T) {
	cases := []moneyParseCase{
		{"0", 0, ""},
		{"-0", 0, ""},
		{"+0", 0, ""},
		{"1", 1_000_000, ""},
		{"007", 7_000_000, ""},
		{"-1.5", -1_500_000, ""},
		{"+2.25", 2_250_000, ""},
		{".5", 500_000, ""},
		{"5.", 5_000_000, ""},
		{"0.000001", 1, ""},
		{"-0.000001", -1, ""},
		{"0.128125", 128_125, ""},
		{"21000", 21_000_000_000, ""},
		{"0.0000001", 0, moneyWhyDecimals(6)},
		{"1.0000000", 0, moneyWhyDecimals(6)}, // even zeros: silently dropping digits would hide errors
		{"-1.1234567", 0, moneyWhyDecimals(6)},
		// Near the int64 limit: 9223372036854.775807 units is MaxInt64 millionths.
		{"9223372036854.775807", math.MaxInt64, ""},
		{"-9223372036854.775807", -math.MaxInt64, ""},
		{"9223372036854.775808", 0, moneyWhyRange},
		{"-9223372036854.775808", 0, moneyWhyRange},
		{"9223372036855", 0, moneyWhyRange},
		{"9223372036854.78", 0, moneyWhyRange},
		{"9223372036854.77", 9_223_372_036_854_770_000, ""},
	}
	cases = append(cases, moneyCommonBad...)
	for _, c := range cases {
		got, why := bf.ParseQty(c.in)
		if why != c.why || (why == "" && int64(got) != c.want) {
			t.Errorf("ParseQty(%q) = %d, %q; want %d, %q", c.in, got, why, c.want, c.why)
		}
		if why != "" && got != 0 {
			t.Errorf("ParseQty(%q) refused (%q) but returned %d, want 0", c.in, why, got)
		}
	}
}

func TestParseCost(t *testing.T) {
	cases := []moneyParseCase{
		{"0", 0, ""},
		{"1", 1_000_000_000, ""},
		{"1.00", 1_000_000_000, ""},
		{"0.0125", 12_500_000, ""},
		{"-3.5", -3_500_000_000, ""},
		{"1.000000001", 1_000_000_001, ""},
		{"0.0000000001", 0, moneyWhyDecimals(9)},
		{"9223372036.854775807", math.MaxInt64, ""},
		{"9223372036.854775808", 0, moneyWhyRange},
		{"9223372037", 0, moneyWhyRange},
		{"-9223372036.854775807", -math.MaxInt64, ""},
	}
	cases = append(cases, moneyCommonBad...)
	for _, c := range cases {
		got, why := bf.ParseCost(c.in)
		if why != c.why || (why == "" && int64(got) != c.want) {
			t.Errorf("ParseCost(%q) = %d, %q; want %d, %q", c.in, got, why, c.want, c.why)
		}
	}
}

func TestParsePct(t *testing.T) {
	cases := []moneyParseCase{
		{"2.5", 2_500_000, ""},
		{"0", 0, ""},
		{"100", 100_000_000, ""},
		{"-10", -10_000_000, ""},
		{"0.000001", 1, ""},
		{"0.0000001", 0, moneyWhyDecimals(6)},
		{"2.5%", 0, moneyWhyNaN},
	}
	cases = append(cases, moneyCommonBad...)
	for _, c := range cases {
		got, why := bf.ParsePct(c.in)
		if why != c.why || (why == "" && int64(got) != c.want) {
			t.Errorf("ParsePct(%q) = %d, %q; want %d, %q", c.in, got, why, c.want, c.why)
		}
	}
}

func TestParseMoney(t *testing.T) {
	cases := []struct {
		in    string
		scale int
		want  int64
		why   string
	}{
		{"45000.00", 2, 4_500_000, ""},
		{"45000", 2, 4_500_000, ""},
		{"0.01", 2, 1, ""},
		{"-0.01", 2, -1, ""},
		{"+12.3", 2, 1230, ""},
		{"0.001", 2, 0, moneyWhyDecimals(2)},
		{"12", 0, 12, ""},
		{"12.5", 0, 0, moneyWhyDecimals(0)},
		{"1.234", 3, 1234, ""},
		{"1.2345", 3, 0, moneyWhyDecimals(3)},
		{"1.2345", 4, 12345, ""},
		{"92233720368547758.07", 2, math.MaxInt64, ""},
		{"92233720368547758.08", 2, 0, moneyWhyRange},
		{"-92233720368547758.07", 2, -math.MaxInt64, ""},
		{"9223372036854775807", 0, math.MaxInt64, ""},
		{"9223372036854775808", 0, 0, moneyWhyRange},
		{"92233720368547758", 2, 9_223_372_036_854_775_800, ""},
		{"92233720368547759", 2, 0, moneyWhyRange},
		{"1e3", 2, 0, moneyWhyNaN},
		{"", 2, 0, moneyWhyEmpty},
	}
	for _, c := range cases {
		got, why := bf.ParseMoney(c.in, c.scale)
		if why != c.why || (why == "" && int64(got) != c.want) {
			t.Errorf("ParseMoney(%q, %d) = %d, %q; want %d, %q", c.in, c.scale, got, why, c.want, c.why)
		}
	}
}

func TestMoneyFormat(t *testing.T) {
	cases := []struct {
		m     bf.Money
		scale int
		want  string
	}{
		{0, 2, "0.00"},
		{1, 2, "0.01"},
		{-1, 2, "-0.01"},
		{10, 2, "0.10"},
		{4_500_000, 2, "45000.00"},
		{-123456, 2, "-1234.56"},
		{12, 0, "12"},
		{-12, 0, "-12"},
		{1, 3, "0.001"},
		{1234, 4, "0.1234"},
		{math.MaxInt64, 2, "92233720368547758.07"},
		{math.MinInt64, 2, "-92233720368547758.08"},
		{math.MinInt64, 0, "-9223372036854775808"},
	}
	for _, c := range cases {
		if got := c.m.Format(c.scale); got != c.want {
			t.Errorf("Money(%d).Format(%d) = %q, want %q", int64(c.m), c.scale, got, c.want)
		}
		if got := string(c.m.AppendFormat([]byte("x="), c.scale)); got != "x="+c.want {
			t.Errorf("Money(%d).AppendFormat(x=, %d) = %q, want %q", int64(c.m), c.scale, got, "x="+c.want)
		}
	}
}

func TestQtyCostPctString(t *testing.T) {
	qty := []struct {
		q    bf.Qty
		want string
	}{
		{0, "0"},
		{bf.Units(21000), "21000"},
		{128_125, "0.128125"},
		{1_500_000, "1.5"},
		{-1, "-0.000001"},
		{-2_000_000, "-2"},
		{10_000_000, "10"},
		{math.MaxInt64, "9223372036854.775807"},
		{math.MinInt64, "-9223372036854.775808"},
	}
	for _, c := range qty {
		if got := c.q.String(); got != c.want {
			t.Errorf("Qty(%d).String() = %q, want %q", int64(c.q), got, c.want)
		}
	}
	cost := []struct {
		c    bf.Cost
		want string
	}{
		{0, "0.00"},
		{bf.Dollars(1), "1.00"},
		{bf.Dollars(20), "20.00"},
		{1_500_000_000, "1.50"},
		{12_500_000, "0.0125"},
		{1_234_000_000, "1.234"},
		{123_456_789_000, "123.456789"},
		{-1, "-0.000000001"},
		{-bf.Dollars(3), "-3.00"},
		{-300_000_000, "-0.30"},
		{100_000_000, "0.10"},
	}
	for _, c := range cost {
		if got := c.c.String(); got != c.want {
			t.Errorf("Cost(%d).String() = %q, want %q", int64(c.c), got, c.want)
		}
	}
	pct := []struct {
		p    bf.Pct
		want string
	}{{2_500_000, "2.5"}, {0, "0"}, {10_000_000, "10"}, {1, "0.000001"}}
	for _, c := range pct {
		if got := c.p.String(); got != c.want {
			t.Errorf("Pct(%d).String() = %q, want %q", int64(c.p), got, c.want)
		}
	}
}

// The String forms parse back to the same value (MinInt64 is the one value
// the parsers refuse: they accept only magnitudes up to MaxInt64).
func TestStringRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		v := moneyRandInt64(r)
		if v == math.MinInt64 {
			continue
		}
		if q, why := bf.ParseQty(bf.Qty(v).String()); why != "" || int64(q) != v {
			t.Fatalf("ParseQty(Qty(%d).String() = %q) = %d, %q", v, bf.Qty(v).String(), q, why)
		}
		if c, why := bf.ParseCost(bf.Cost(v).String()); why != "" || int64(c) != v {
			t.Fatalf("ParseCost(Cost(%d).String() = %q) = %d, %q", v, bf.Cost(v).String(), c, why)
		}
		if p, why := bf.ParsePct(bf.Pct(v).String()); why != "" || int64(p) != v {
			t.Fatalf("ParsePct(Pct(%d).String() = %q) = %d, %q", v, bf.Pct(v).String(), p, why)
		}
		for scale := 0; scale <= 4; scale++ {
			s := bf.Money(v).Format(scale)
			if m, why := bf.ParseMoney(s, scale); why != "" || int64(m) != v {
				t.Fatalf("ParseMoney(%q, %d) = %d, %q; want %d", s, scale, m, why, v)
			}
		}
	}
}

// moneyRandInt64 draws an int64 of random magnitude (so small values are as
// likely as huge ones), sometimes an edge value.
func moneyRandInt64(r *rand.Rand) int64 {
	switch r.IntN(16) {
	case 0:
		edges := []int64{0, 1, -1, 2, -2, math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, math.MinInt64 + 1,
			500_000, -500_000, 1_000_000, 1 << 32, -(1 << 32), 1 << 62, -(1 << 62)}
		return edges[r.IntN(len(edges))]
	}
	bitsN := r.IntN(64)
	v := int64(r.Uint64() >> (64 - bitsN) >> 1)
	if bitsN == 0 {
		v = 0
	}
	if r.IntN(2) == 0 {
		v = -v
	}
	return v
}

// moneyRefMulDiv returns a×b/d rounded half to even, computed exactly with
// math/big, and whether it fits an int64 with a magnitude of at most MaxInt64.
// minInt reports whether the result is MinInt64, which is representable but
// which the fixed-point code may refuse.
func moneyRefMulDiv(a, b, d int64) (v int64, ok, minInt bool) {
	p := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	neg := p.Sign() < 0
	p.Abs(p)
	bd := big.NewInt(d)
	q, r := new(big.Int).QuoRem(p, bd, new(big.Int))
	r2 := new(big.Int).Lsh(r, 1)
	if c := r2.Cmp(bd); c > 0 || (c == 0 && q.Bit(0) == 1) {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	if q.IsInt64() && q.Int64() == math.MinInt64 {
		return math.MinInt64, false, true
	}
	if !q.IsInt64() {
		return 0, false, false
	}
	return q.Int64(), true, false
}

var moneyPow10 = []int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// moneyCheckMulDiv checks every multiply-divide helper on one pair of inputs.
func moneyCheckMulDiv(t *testing.T, a, b int64) {
	t.Helper()
	check := func(name string, got int64, gotOK bool, x, y, d int64) {
		t.Helper()
		want, ok, minInt := moneyRefMulDiv(x, y, d)
		if minInt {
			// MinInt64 exactly: representable, but the code may call it an
			// overflow; either answer is acceptable as long as a value given is right.
			if gotOK && got != math.MinInt64 {
				t.Errorf("%s: got %d, want %d", name, got, want)
			}
			return
		}
		if gotOK != ok || (ok && got != want) {
			t.Errorf("%s: got %d, %v; want %d, %v (exact %d×%d/%d, half to even)", name, got, gotOK, want, ok, x, y, d)
		}
	}
	q, ok := bf.MulQty(bf.Qty(a), bf.Qty(b))
	check("MulQty("+strconv.FormatInt(a, 10)+", "+strconv.FormatInt(b, 10)+")", int64(q), ok, a, b, 1_000_000)
	c, ok := bf.MulCost(bf.Qty(a), bf.Cost(b))
	check("MulCost("+strconv.FormatInt(a, 10)+", "+strconv.FormatInt(b, 10)+")", int64(c), ok, a, b, 1_000_000)
	for scale := 0; scale <= 9; scale++ {
		m, ok := bf.Extend(bf.Qty(a), bf.Cost(b), scale)
		check("Extend("+strconv.FormatInt(a, 10)+", "+strconv.FormatInt(b, 10)+", "+strconv.Itoa(scale)+")",
			int64(m), ok, a, b, moneyPow10[15-scale])
		m, ok = bf.CostToMoney(bf.Cost(a), scale)
		check("CostToMoney("+strconv.FormatInt(a, 10)+", "+strconv.Itoa(scale)+")", int64(m), ok, a, 1, moneyPow10[9-scale])
		cc, ok := bf.MoneyToCost(bf.Money(a), scale)
		check("MoneyToCost("+strconv.FormatInt(a, 10)+", "+strconv.Itoa(scale)+")", int64(cc), ok, a, moneyPow10[9-scale], 1)
	}
	// WithScrap: q × (1 + pct/100) with pct in millionths of a percent.
	if b <= math.MaxInt64-100_000_000 {
		w, ok := bf.WithScrap(bf.Qty(a), bf.Pct(b))
		check("WithScrap("+strconv.FormatInt(a, 10)+", "+strconv.FormatInt(b, 10)+")", int64(w), ok, a, 100_000_000+b, 100_000_000)
	}
}

func TestMulDivAgainstBig(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 30000; i++ {
		moneyCheckMulDiv(t, moneyRandInt64(r), moneyRandInt64(r))
		if t.Failed() {
			t.Fatalf("stopped after iteration %d", i)
		}
	}
}

func TestRoundingHalfEven(t *testing.T) {
	cent := bf.Cost(10_000_000) // 0.01 per unit
	half := bf.Qty(500_000)     // 0.5 units
	cases := []struct {
		name string
		got  func() (int64, bool)
		want int64
	}{
		{"0.5 × 0.01 = 0.005 → 0.00", func() (int64, bool) { m, ok := bf.Extend(half, cent, 2); return int64(m), ok }, 0},
		{"0.5 × 0.03 = 0.015 → 0.02", func() (int64, bool) { m, ok := bf.Extend(half, 3*cent, 2); return int64(m), ok }, 2},
		{"0.5 × 0.05 = 0.025 → 0.02", func() (int64, bool) { m, ok := bf.Extend(half, 5*cent, 2); return int64(m), ok }, 2},
		{"-0.5 × 0.03 = -0.015 → -0.02", func() (int64, bool) { m, ok := bf.Extend(-half, 3*cent, 2); return int64(m), ok }, -2},
		{"-0.5 × 0.05 = -0.025 → -0.02", func() (int64, bool) { m, ok := bf.Extend(-half, 5*cent, 2); return int64(m), ok }, -2},
		{"0.5 × -0.01 = -0.005 → 0", func() (int64, bool) { m, ok := bf.Extend(half, -cent, 2); return int64(m), ok }, 0},
		{"3 × 0.333 = 0.999 → 1.00", func() (int64, bool) { m, ok := bf.Extend(bf.Units(3), 333_000_000, 2); return int64(m), ok }, 100},
		{"0.0051 → 0.01", func() (int64, bool) { m, ok := bf.Extend(bf.Units(1), 5_100_000, 2); return int64(m), ok }, 1},
		{"0.0049 → 0.00", func() (int64, bool) { m, ok := bf.Extend(bf.Units(1), 4_900_000, 2); return int64(m), ok }, 0},
		{"JPY 2.5 → 2", func() (int64, bool) { m, ok := bf.Extend(bf.Units(1), 2_500_000_000, 0); return int64(m), ok }, 2},
		{"JPY 3.5 → 4", func() (int64, bool) { m, ok := bf.Extend(bf.Units(1), 3_500_000_000, 0); return int64(m), ok }, 4},
		{"MulQty 0.000001 × 0.5 → 0", func() (int64, bool) { q, ok := bf.MulQty(1, half); return int64(q), ok }, 0},
		{"MulQty 0.000003 × 0.5 → 0.000002", func() (int64, bool) { q, ok := bf.MulQty(3, half); return int64(q), ok }, 2},
		{"MulQty -0.000003 × 0.5 → -0.000002", func() (int64, bool) { q, ok := bf.MulQty(-3, half); return int64(q), ok }, -2},
		{"WithScrap 0.125 at 2.5% = 0.128125", func() (int64, bool) { q, ok := bf.WithScrap(125_000, 2_500_000); return int64(q), ok }, 128_125},
		{"WithScrap 0.000001 at 50% = 0.0000015 → 0.000002", func() (int64, bool) { q, ok := bf.WithScrap(1, 50_000_000); return int64(q), ok }, 2},
		{"WithScrap 0.000003 at 50% = 0.0000045 → 0.000004", func() (int64, bool) { q, ok := bf.WithScrap(3, 50_000_000); return int64(q), ok }, 4},
		{"WithScrap 3 at 10% = 3.3", func() (int64, bool) { q, ok := bf.WithScrap(bf.Units(3), 10_000_000); return int64(q), ok }, 3_300_000},
		{"CostToMoney 0.125 → 0.12", func() (int64, bool) { m, ok := bf.CostToMoney(125_000_000, 2); return int64(m), ok }, 12},
		{"CostToMoney 0.135 → 0.14", func() (int64, bool) { m, ok := bf.CostToMoney(135_000_000, 2); return int64(m), ok }, 14},
		{"MoneyToCost 12.34", func() (int64, bool) { c, ok := bf.MoneyToCost(1234, 2); return int64(c), ok }, 12_340_000_000},
	}
	for _, c := range cases {
		got, ok := c.got()
		if !ok || got != c.want {
			t.Errorf("%s: got %d, %v; want %d", c.name, got, ok, c.want)
		}
	}
	// Overflow is reported, not wrapped.
	if _, ok := bf.Extend(bf.Units(9_000_000_000), bf.Dollars(9_000_000_000), 2); ok {
		t.Error("Extend(9e9 units, 9e9 per unit) reported no overflow")
	}
	if _, ok := bf.MulQty(math.MaxInt64, bf.Units(2)); ok {
		t.Error("MulQty(max, 2) reported no overflow")
	}
	if _, ok := bf.MulQty(math.MinInt64, bf.Units(2)); ok {
		t.Error("MulQty(min, 2) reported no overflow")
	}
	if _, ok := bf.MoneyToCost(math.MaxInt64/100, 2); ok {
		t.Error("MoneyToCost(max/100, 2) reported no overflow")
	}
	if v, ok := bf.MulQty(math.MaxInt64, bf.Units(1)); !ok || v != math.MaxInt64 {
		t.Errorf("MulQty(max, 1) = %d, %v; want max, true", v, ok)
	}
	if v, ok := bf.MulQty(-math.MaxInt64, bf.Units(1)); !ok || v != -math.MaxInt64 {
		t.Errorf("MulQty(-max, 1) = %d, %v; want -max, true", v, ok)
	}
}

func TestAddMoney(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for i := 0; i < 20000; i++ {
		a, b := moneyRandInt64(r), moneyRandInt64(r)
		sum := new(big.Int).Add(big.NewInt(a), big.NewInt(b))
		got, ok := bf.AddMoney(bf.Money(a), bf.Money(b))
		if ok != sum.IsInt64() || (ok && int64(got) != sum.Int64()) {
			t.Fatalf("AddMoney(%d, %d) = %d, %v; exact sum %s", a, b, got, ok, sum)
		}
	}
}

// TestAddBalanceStock: AddBalance and AddStock give the exact sum, and say
// it fits exactly when it is within the limit, for any change however
// large, near the limits above all.
func TestAddBalanceStock(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 1))
	lim := int64(bf.MaxBalance)
	if int64(bf.MaxStock) != lim {
		t.Fatalf("MaxStock %d and MaxBalance %d differ: this test draws for both", bf.MaxStock, lim)
	}
	near := func() int64 { // within a few units of ±lim, ±2lim or 0
		base := []int64{0, lim, -lim, 2 * lim, -2 * lim, lim / 2, -lim / 2}[r.IntN(7)]
		return base + int64(r.IntN(7)) - 3
	}
	for i := 0; i < 50000; i++ {
		a := near()
		if a > lim || a < -lim {
			a = lim - int64(r.IntN(3))
		}
		var b int64
		switch r.IntN(3) {
		case 0:
			b = near()
		case 1:
			b = moneyRandInt64(r)
		default:
			b = near() - a
		}
		sum := new(big.Int).Add(big.NewInt(a), big.NewInt(b))
		want := sum.CmpAbs(big.NewInt(lim)) <= 0
		if got, ok := bf.AddBalance(bf.Money(a), bf.Money(b)); ok != want || (ok && int64(got) != sum.Int64()) {
			t.Fatalf("AddBalance(%d, %d) = %d, %v; exact sum %s, limit %d", a, b, got, ok, sum, lim)
		}
		if got, ok := bf.AddStock(bf.Qty(a), bf.Qty(b)); ok != want || (ok && int64(got) != sum.Int64()) {
			t.Fatalf("AddStock(%d, %d) = %d, %v; exact sum %s, limit %d", a, b, got, ok, sum, lim)
		}
	}
}

// TestSum: a Sum of any amounts is exact: Money and Within say whether it
// fits, Div gives the truncated mean, all as math/big has them.
func TestSum(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 2))
	for i := 0; i < 3000; i++ {
		var s bf.Sum
		exact := new(big.Int)
		n := 1 + r.IntN(40)
		for k := 0; k < n; k++ {
			v := moneyRandInt64(r)
			if r.IntN(2) == 0 { // runs of one sign pass the int64 range
				v = []int64{math.MaxInt64, math.MinInt64, math.MaxInt64 - 1}[r.IntN(3)]
			}
			s.Add(bf.Money(v))
			exact.Add(exact, big.NewInt(v))
		}
		got, ok := s.Money()
		if ok != exact.IsInt64() || (ok && int64(got) != exact.Int64()) {
			t.Fatalf("Sum = %d, %v; exact %s", got, ok, exact)
		}
		lim := bf.MaxBalance
		if got, ok := s.Within(lim); ok != (exact.CmpAbs(big.NewInt(int64(lim))) <= 0) || (ok && int64(got) != exact.Int64()) {
			t.Fatalf("Sum.Within = %d, %v; exact %s", got, ok, exact)
		}
		q := new(big.Int).Quo(exact, big.NewInt(int64(n))) // truncated, as Go divides
		if got, ok := s.Div(int64(n)); ok != q.IsInt64() || (ok && int64(got) != q.Int64()) {
			t.Fatalf("Sum.Div(%d) = %d, %v; exact %s", n, got, ok, q)
		}
	}
	var s bf.Sum
	if _, ok := s.Div(0); ok {
		t.Error("Sum.Div(0) reported a quotient")
	}
}

// moneyRefApportion is largest-remainder apportionment written out with big
// integers: floor of |total|×w/sum each, then one unit to each of the largest
// remainders (ties to the lowest index), the sign of total applied last.
func moneyRefApportion(total int64, w []int64) ([]int64, bool) {
	sum := new(big.Int)
	for _, x := range w {
		if x < 0 {
			return nil, false
		}
		sum.Add(sum, big.NewInt(x))
	}
	if !sum.IsInt64() {
		return nil, false
	}
	if len(w) == 0 {
		return nil, total == 0
	}
	out := make([]int64, len(w))
	if sum.Sign() == 0 {
		out[len(out)-1] = total
		return out, true
	}
	t := new(big.Int).Abs(big.NewInt(total))
	rems := make([]*big.Int, len(w))
	given := new(big.Int)
	shares := make([]*big.Int, len(w))
	for i, x := range w {
		p := new(big.Int).Mul(t, big.NewInt(x))
		q, r := new(big.Int).QuoRem(p, sum, new(big.Int))
		shares[i], rems[i] = q, r
		given.Add(given, q)
	}
	left := new(big.Int).Sub(t, given).Int64()
	used := make([]bool, len(w))
	for ; left > 0; left-- {
		best := -1
		for i := range w {
			if used[i] {
				continue
			}
			if best < 0 || rems[i].Cmp(rems[best]) > 0 {
				best = i
			}
		}
		used[best] = true
		shares[best].Add(shares[best], big.NewInt(1))
	}
	for i, s := range shares {
		if total < 0 {
			s.Neg(s)
		}
		out[i] = s.Int64()
	}
	return out, true
}

func TestApportion(t *testing.T) {
	cases := []struct {
		total bf.Money
		w     []bf.Money
		want  []bf.Money
		ok    bool
	}{
		{100, []bf.Money{1, 1, 1}, []bf.Money{34, 33, 33}, true},              // tie: lowest index
		{-100, []bf.Money{1, 1, 1}, []bf.Money{-34, -33, -33}, true},          // sign mirrored
		{101, []bf.Money{1, 1, 1}, []bf.Money{34, 34, 33}, true},              // two ties
		{100, []bf.Money{1, 2, 3}, []bf.Money{17, 33, 50}, true},              // 16.67, 33.33, 50
		{10, []bf.Money{3, 3, 4}, []bf.Money{3, 3, 4}, true},                  // exact
		{1, []bf.Money{1, 1, 2}, []bf.Money{0, 0, 1}, true},                   // 0.25, 0.25, 0.5: largest remainder
		{2, []bf.Money{1, 1, 1, 1, 1, 5}, []bf.Money{1, 0, 0, 0, 0, 1}, true}, // 0.2×5, 1.0: the extra unit to index 0
		{7, []bf.Money{0, 0, 0}, []bf.Money{0, 0, 7}, true},                   // all zero: last share
		{-7, []bf.Money{0, 0}, []bf.Money{0, -7}, true},
		{7, []bf.Money{0, 5, 0}, []bf.Money{0, 7, 0}, true},
		{0, []bf.Money{}, []bf.Money{}, true},
		{5, []bf.Money{}, []bf.Money{}, false},
		{5, []bf.Money{1, -1}, nil, false},
		{5, []bf.Money{math.MaxInt64, 1}, nil, false}, // the weights' sum overflows
		{math.MaxInt64, []bf.Money{1, 1}, []bf.Money{math.MaxInt64/2 + 1, math.MaxInt64 / 2}, true},
		{math.MinInt64, []bf.Money{1, 1}, []bf.Money{math.MinInt64 / 2, math.MinInt64 / 2}, true},
		{math.MinInt64, []bf.Money{1, 2}, []bf.Money{-3074457345618258603, -6148914691236517205}, true},
	}
	for _, c := range cases {
		out := make([]bf.Money, len(c.w))
		ok := bf.Apportion(c.total, c.w, out)
		if ok != c.ok {
			t.Errorf("Apportion(%d, %v) ok = %v, want %v", c.total, c.w, ok, c.ok)
			continue
		}
		if ok && !moneyEqual(out, c.want) {
			t.Errorf("Apportion(%d, %v) = %v, want %v", c.total, c.w, out, c.want)
		}
	}

	r := rand.New(rand.NewPCG(13, 17))
	for i := 0; i < 20000; i++ {
		n := 1 + r.IntN(6)
		w := make([]bf.Money, n)
		wi := make([]int64, n)
		maxW := []int64{1, 3, 10, 1000, math.MaxInt64 / 8}[r.IntN(5)]
		for j := range w {
			if r.IntN(4) > 0 {
				wi[j] = r.Int64N(maxW + 1)
			}
			w[j] = bf.Money(wi[j])
		}
		total := moneyRandInt64(r)
		out := make([]bf.Money, n)
		ok := bf.Apportion(bf.Money(total), w, out)
		want, wantOK := moneyRefApportion(total, wi)
		if ok != wantOK {
			t.Fatalf("Apportion(%d, %v) ok = %v, want %v", total, wi, ok, wantOK)
		}
		if !ok {
			continue
		}
		sum := new(big.Int)
		for j := range out {
			sum.Add(sum, big.NewInt(int64(out[j])))
			if int64(out[j]) != want[j] {
				t.Fatalf("Apportion(%d, %v) = %v, want %v", total, wi, out, want)
			}
		}
		if sum.Cmp(big.NewInt(total)) != 0 {
			t.Fatalf("Apportion(%d, %v) = %v: shares add up to %s", total, wi, out, sum)
		}
	}
}

func moneyEqual(a, b []bf.Money) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// moneyDecimalRe is the grammar the parsers accept: an optional sign, digits
// with an optional point, at least one digit.
var moneyDecimalRe = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$`)

// moneyRefParse parses s at the given scale exactly with math/big, or gives
// the reason the parsers must give.
func moneyRefParse(s string, scale int) (int64, string) {
	if s == "" {
		return 0, moneyWhyEmpty
	}
	if !moneyDecimalRe.MatchString(s) {
		return 0, moneyWhyNaN
	}
	digits := strings.TrimLeft(s, "+-")
	intPart, frac, _ := strings.Cut(digits, ".")
	if len(frac) > scale {
		return 0, moneyWhyDecimals(scale)
	}
	v, ok := new(big.Int).SetString("0"+intPart+frac+strings.Repeat("0", scale-len(frac)), 10)
	if !ok {
		panic("reference parse of " + s)
	}
	if v.BitLen() > 63 {
		return 0, moneyWhyRange
	}
	if s[0] == '-' {
		v.Neg(v)
	}
	return v.Int64(), ""
}

// moneyReasonOK compares a parser's reason with the reference's. The parsers
// scan left to right and report the first fault they meet, so when a text has
// several faults ("1.2.3" at scale 0, or too many digits and decimals) any of
// the refusal reasons will do; a refusal must still be a refusal and an
// acceptance an acceptance, and a lone fault must be named right.
func moneyReasonOK(got, want string) bool {
	if got == want {
		return true
	}
	if got == "" || want == "" || want == moneyWhyEmpty || got == moneyWhyEmpty {
		return false
	}
	return want == moneyWhyNaN || strings.HasPrefix(want, "has more than") && got == moneyWhyRange
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"0", "1", "-1.5", "+2.25", ".5", "5.", "0.01", "45000.00", "1e5", "", "-", "1.2.3",
		"92233720368547758.07", "92233720368547758.08", "-0.000", "9223372036854775807", "007.10"} {
		for scale := uint8(0); scale <= 4; scale += 2 {
			f.Add(s, scale)
		}
	}
	f.Fuzz(func(t *testing.T, s string, scale uint8) {
		sc := int(scale % 5)
		m, why := bf.ParseMoney(s, sc)
		want, wantWhy := moneyRefParse(s, sc)
		if !moneyReasonOK(why, wantWhy) || (why == "" && int64(m) != want) {
			t.Fatalf("ParseMoney(%q, %d) = %d, %q; exact parse gives %d, %q", s, sc, m, why, want, wantWhy)
		}
		if why != "" {
			return
		}
		out := m.Format(sc)
		m2, why2 := bf.ParseMoney(out, sc)
		if why2 != "" || m2 != m {
			t.Fatalf("ParseMoney(%q, %d) = %d formats as %q, which parses as %d, %q", s, sc, m, out, m2, why2)
		}
		if out2 := m2.Format(sc); out2 != out {
			t.Fatalf("format not stable: %q then %q", out, out2)
		}
		// The other parsers follow the same grammar at their own scales.
		for _, p := range []struct {
			name  string
			scale int
			parse func(string) (int64, string)
		}{
			{"ParseQty", bf.QtyDecimals, func(s string) (int64, string) { v, w := bf.ParseQty(s); return int64(v), w }},
			{"ParseCost", bf.CostDecimals, func(s string) (int64, string) { v, w := bf.ParseCost(s); return int64(v), w }},
			{"ParsePct", bf.PctDecimals, func(s string) (int64, string) { v, w := bf.ParsePct(s); return int64(v), w }},
		} {
			got, why := p.parse(s)
			want, wantWhy := moneyRefParse(s, p.scale)
			if !moneyReasonOK(why, wantWhy) || (why == "" && got != want) {
				t.Fatalf("%s(%q) = %d, %q; exact parse gives %d, %q", p.name, s, got, why, want, wantWhy)
			}
		}
	})
}

// FuzzMulDiv checks Extend and the other multiply-divide helpers against an
// exact math/big computation, rounding included.
func FuzzMulDiv(f *testing.F) {
	f.Add(int64(500_000), int64(10_000_000))
	f.Add(int64(-500_000), int64(30_000_000))
	f.Add(int64(math.MaxInt64), int64(1_000_000))
	f.Add(int64(math.MinInt64), int64(-1))
	f.Add(int64(math.MinInt64), int64(1_000_000))
	f.Add(int64(9_000_000_000_000_000), int64(9_000_000_000_000))
	f.Add(int64(3), int64(50_000_000))
	f.Fuzz(func(t *testing.T, a, b int64) {
		moneyCheckMulDiv(t, a, b)
	})
}
