package backflush

import (
	"math"
	"math/bits"
	"strconv"
)

// Scales of the fixed-point types. Quantities carry six decimals so that BOM
// quantities with component scrap (0.125 × 1.025 = 0.128125) stay exact; unit
// costs carry nine so that rolled-up standards of such BOMs stay exact too.
const (
	QtyDecimals  = 6
	CostDecimals = 9
	// PctDecimals is the scale of percentages such as component scrap.
	PctDecimals = 6

	qtyOne  = 1_000_000
	costOne = 1_000_000_000
)

// Qty is a quantity of an item in millionths of its unit of measure.
type Qty int64

// Cost is a per-unit cost or price in billionths of the currency unit.
type Cost int64

// Pct is a percentage in millionths of a percent (2.5% is 2_500_000).
type Pct int64

// Money is an amount in minor units of a currency (cents when the scale is 2).
// Debits are positive and credits negative wherever a sign is needed.
type Money int64

// Units returns n whole units as a Qty.
func Units(n int64) Qty { return Qty(n * qtyOne) }

// Dollars returns n whole currency units as a Cost.
func Dollars(n int64) Cost { return Cost(n * costOne) }

// pow10 holds the powers of ten an int64 can represent.
var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// mulDiv returns a×b/d rounded half to even, and false when the result does
// not fit in an int64. The product is formed in 128 bits so that no
// intermediate overflows; d must be positive.
func mulDiv(a, b, d int64) (int64, bool) {
	neg := (a < 0) != (b < 0)
	ua, ub := abs64(a), abs64(b)
	hi, lo := bits.Mul64(ua, ub)
	ud := uint64(d)
	if hi >= ud {
		return 0, false
	}
	q, r := bits.Div64(hi, lo, ud)
	// Half-even: bankers' rounding keeps long sums unbiased.
	if r2 := r * 2; r2 > ud || (r2 == ud && q&1 == 1) {
		q++
	}
	if q > math.MaxInt64 {
		return 0, false
	}
	if neg {
		return -int64(q), true
	}
	return int64(q), true
}

func abs64(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// MulQty returns q × f (for instance units made × quantity per unit), rounded
// half to even at the quantity scale; ok is false on overflow.
func MulQty(q, f Qty) (Qty, bool) {
	v, ok := mulDiv(int64(q), int64(f), qtyOne)
	return Qty(v), ok
}

// WithScrap returns q grossed up by component scrap: q × (1 + pct/100).
func WithScrap(q Qty, pct Pct) (Qty, bool) {
	const hundred = 100 * 1_000_000
	v, ok := mulDiv(int64(q), hundred+int64(pct), hundred)
	return Qty(v), ok
}

// MulCost returns the cost of q units at c per unit as a Cost (used to roll up
// standards); ok is false on overflow.
func MulCost(q Qty, c Cost) (Cost, bool) {
	v, ok := mulDiv(int64(q), int64(c), qtyOne)
	return Cost(v), ok
}

// Extend returns the money value of q units at c per unit, in minor units of a
// currency with the given number of decimals, rounded half to even.
func Extend(q Qty, c Cost, scale int) (Money, bool) {
	v, ok := mulDiv(int64(q), int64(c), pow10[QtyDecimals+CostDecimals-scale])
	return Money(v), ok
}

// CostToMoney rounds a unit cost to minor units of a currency.
func CostToMoney(c Cost, scale int) (Money, bool) {
	v, ok := mulDiv(int64(c), 1, pow10[CostDecimals-scale])
	return Money(v), ok
}

// MoneyToCost converts an amount to a Cost (exact; the scale is at most nine).
func MoneyToCost(m Money, scale int) (Cost, bool) {
	v, ok := mulDiv(int64(m), pow10[CostDecimals-scale], 1)
	return Cost(v), ok
}

// AddMoney returns a+b and false on overflow.
func AddMoney(a, b Money) (Money, bool) {
	s := a + b
	if (s > a) != (b > 0) {
		return 0, false
	}
	return s, true
}

// The limits of what a ledger holds, either sign. Every balance of every
// book and every running total a book keeps is held within MaxBalance,
// every item's stock and units in process within MaxStock: 1/64 of the
// int64 range each. A posting that would take any of them past its limit
// is refused, so the sums reports make of them — a trial balance's totals
// over the accounts, an income statement's lines over a period's
// movements, the difference between two books' statements — stay exact:
// the largest, a difference of two books' operating incomes over a
// period, adds up 48 balances at most. docs/accounting.md ("The limits")
// lists the sums and their bounds.
const (
	// MaxBalance is the largest amount a book holds, in minor units of the
	// currency: 2^57 − 1, that is 1,441,151,880,758,558.71 at two decimals.
	MaxBalance Money = math.MaxInt64 >> 6
	// MaxStock is the largest quantity the ledger holds of an item, on
	// hand or in process: 2^57 − 1 millionths, 144,115,188,075.855871 units.
	MaxStock Qty = math.MaxInt64 >> 6
)

// AddBalance returns bal+amt, and whether it is within ±MaxBalance; bal
// must be. It never wraps, whatever amt.
func AddBalance(bal, amt Money) (Money, bool) { return addWithin(bal, amt, MaxBalance) }

// AddStock returns have+q, and whether it is within ±MaxStock; have must
// be. It never wraps, whatever q.
func AddStock(have, q Qty) (Qty, bool) { return addWithin(have, q, MaxStock) }

// addWithin returns a+d and whether it is within ±m (a is, and 4m fits).
func addWithin[T Money | Qty](a, d, m T) (T, bool) {
	// A change larger than 2m cannot keep both a and the sum within ±m;
	// checking it first keeps the addition below from wrapping.
	if uint64(d+2*m) > 4*uint64(m) {
		return 0, false
	}
	v := a + d
	return v, uint64(v+m) <= 2*uint64(m)
}

// Sum adds amounts exactly, in 128 bits, however many and however large:
// a total that no posting check bounds (a valuation over every item, a flow
// over a whole journal) is formed with it and read with Money or Within,
// which say whether it fits, rather than wrapping around.
type Sum struct {
	hi int64
	lo uint64
}

// Add adds m to the sum.
func (s *Sum) Add(m Money) {
	var c uint64
	s.lo, c = bits.Add64(s.lo, uint64(m), 0)
	s.hi += int64(c) + int64(m>>63)
}

// Money returns the sum, and false when it does not fit in a Money.
func (s Sum) Money() (Money, bool) {
	v := int64(s.lo)
	return Money(v), s.hi == v>>63
}

// Within returns the sum, and whether it is within ±limit.
func (s Sum) Within(limit Money) (Money, bool) {
	v, ok := s.Money()
	return v, ok && v <= limit && v >= -limit
}

// Div returns the sum divided by n (positive), truncated toward zero as Go
// divides, and false when the quotient does not fit in a Money. The mean of
// n amounts always fits, however large their sum.
func (s Sum) Div(n int64) (Money, bool) {
	if n <= 0 {
		return 0, false
	}
	neg := s.hi < 0
	hi, lo := uint64(s.hi), s.lo
	if neg { // the magnitude, in two's complement
		lo = ^lo + 1
		hi = ^hi
		if lo == 0 {
			hi++
		}
	}
	if hi >= uint64(n) {
		return 0, false
	}
	q, _ := bits.Div64(hi, lo, uint64(n))
	if neg && q <= 1<<63 {
		return Money(-q), true // -2^63 too: the negation of its magnitude wraps to itself
	}
	if q > math.MaxInt64 {
		return 0, false
	}
	return Money(q), true
}

// Apportion splits total over weights in proportion, writing the shares to out
// (len(out) == len(weights)). Shares are rounded down and the residue goes one
// minor unit at a time to the largest remainders, ties to the lowest index, so
// the shares always add up to total exactly. All weights zero put everything in
// the last share. Weights must be non-negative.
func Apportion(total Money, weights []Money, out []Money) bool {
	var sum int64
	for _, w := range weights {
		if w < 0 {
			return false
		}
		sum += int64(w)
		if sum < 0 {
			return false
		}
	}
	if len(out) == 0 {
		return total == 0
	}
	if sum == 0 {
		for i := range out {
			out[i] = 0
		}
		out[len(out)-1] = total
		return true
	}
	neg := total < 0
	t := int64(total)
	if neg {
		t = -t
	}
	rems := make([]uint64, len(weights))
	var given int64
	for i, w := range weights {
		hi, lo := bits.Mul64(uint64(t), uint64(w))
		q, r := bits.Div64(hi, lo, uint64(sum))
		out[i] = Money(q)
		rems[i] = r
		given += int64(q)
	}
	for left := t - given; left > 0; left-- {
		best := -1
		for i, r := range rems {
			if best < 0 || r > rems[best] {
				best = i
			}
		}
		out[best]++
		rems[best] = 0
	}
	if neg {
		for i := range out {
			out[i] = -out[i]
		}
	}
	return true
}

// parseFixed parses a plain decimal ("-12.5") into an integer scaled by
// 10^decimals. It accepts no exponent, no thousands separators and no more
// decimals than the scale holds: silently rounding input would hide errors.
func parseFixed(s string, decimals int) (int64, string) {
	if s == "" {
		return 0, "is empty"
	}
	i, neg := 0, false
	switch s[0] {
	case '-':
		neg, i = true, 1
	case '+':
		i = 1
	}
	var v uint64
	digits, frac, dot := 0, 0, false
	const limit = uint64(math.MaxInt64)
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.' && !dot:
			dot = true
		case c >= '0' && c <= '9':
			if dot {
				frac++
				if frac > decimals {
					return 0, "has more than " + strconv.Itoa(decimals) + " decimal places"
				}
			}
			digits++
			d := uint64(c - '0')
			if v > (limit-d)/10 {
				return 0, "is out of range"
			}
			v = v*10 + d
		default:
			return 0, "is not a decimal number"
		}
	}
	if digits == 0 {
		return 0, "is not a decimal number"
	}
	for ; frac < decimals; frac++ {
		if v > limit/10 {
			return 0, "is out of range"
		}
		v *= 10
	}
	if v > limit {
		return 0, "is out of range"
	}
	if neg {
		return -int64(v), ""
	}
	return int64(v), ""
}

// formatFixed writes v scaled by 10^decimals as a plain decimal with exactly
// that many decimals.
func formatFixed(dst []byte, v int64, decimals int) []byte {
	var u uint64
	if v < 0 {
		dst = append(dst, '-')
		u = uint64(-v)
	} else {
		u = uint64(v)
	}
	if decimals == 0 {
		return strconv.AppendUint(dst, u, 10)
	}
	p := uint64(pow10[decimals])
	dst = strconv.AppendUint(dst, u/p, 10)
	dst = append(dst, '.')
	f := u % p
	for d := p / 10; d > 0; d /= 10 {
		dst = append(dst, byte('0'+f/d%10))
	}
	return dst
}

// trimZeros drops trailing fractional zeros and a trailing point.
func trimZeros(b []byte) []byte {
	dot := -1
	for i, c := range b {
		if c == '.' {
			dot = i
		}
	}
	if dot < 0 {
		return b
	}
	for len(b) > dot+1 && b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if len(b) == dot+1 {
		b = b[:dot]
	}
	return b
}

// ParseQty parses a decimal quantity; the reason is empty on success.
func ParseQty(s string) (Qty, string) {
	v, why := parseFixed(s, QtyDecimals)
	return Qty(v), why
}

// ParseCost parses a decimal unit cost; the reason is empty on success.
func ParseCost(s string) (Cost, string) {
	v, why := parseFixed(s, CostDecimals)
	return Cost(v), why
}

// ParsePct parses a decimal percentage; the reason is empty on success.
func ParsePct(s string) (Pct, string) {
	v, why := parseFixed(s, PctDecimals)
	return Pct(v), why
}

// ParseMoney parses an amount with at most scale decimals; the reason is empty
// on success.
func ParseMoney(s string, scale int) (Money, string) {
	v, why := parseFixed(s, scale)
	return Money(v), why
}

// String formats q without trailing zeros ("21000", "0.128125").
func (q Qty) String() string { return string(trimZeros(formatFixed(nil, int64(q), QtyDecimals))) }

// String formats c without trailing zeros beyond the cents ("1.00", "0.0125").
func (c Cost) String() string {
	b := trimZeros(formatFixed(nil, int64(c), CostDecimals))
	// Keep at least two decimals: a price reads as money.
	dot := -1
	for i, ch := range b {
		if ch == '.' {
			dot = i
		}
	}
	switch {
	case dot < 0:
		b = append(b, ".00"...)
	case len(b)-dot == 2:
		b = append(b, '0')
	}
	return string(b)
}

// String formats p without trailing zeros ("2.5").
func (p Pct) String() string { return string(trimZeros(formatFixed(nil, int64(p), PctDecimals))) }

// Format writes m with exactly scale decimals ("45000.00").
func (m Money) Format(scale int) string { return string(formatFixed(nil, int64(m), scale)) }

// AppendFormat appends m with exactly scale decimals to dst.
func (m Money) AppendFormat(dst []byte, scale int) []byte { return formatFixed(dst, int64(m), scale) }

// RateOf returns budget spread over denominator units as a cost per unit:
// the budgeted fixed overhead rate. ok is false for a zero denominator or an
// overflow.
func RateOf(budget Money, scale int, denominator Qty) (Cost, bool) {
	if denominator <= 0 {
		return 0, false
	}
	// budget is in 10^-scale units; a Cost per unit is 10^-9 per 10^-6 unit.
	num, ok := mulDiv(int64(budget), pow10[CostDecimals-scale], 1)
	if !ok {
		return 0, false
	}
	v, ok := mulDiv(num, qtyOne, int64(denominator))
	return Cost(v), ok
}

// MulDiv returns a×b/d rounded half to even, formed in 128 bits; ok is false
// when the result does not fit. d must be positive.
func MulDiv(a, b, d int64) (int64, bool) { return mulDiv(a, b, d) }
