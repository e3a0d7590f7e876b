package csvio

import (
	"math/big"
	"sort"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// root is a row error that keeps rows out of the import, with the rows
// left out because they depended on that row: they are reported once,
// under it, not each as an error of its own.
type root struct {
	err  *bf.Error
	deps []string // file:line of the dependent rows
}

// depend records a row left out because of r.
func (r *root) depend(file string, line int) {
	r.deps = append(r.deps, file+":"+strconv.Itoa(line))
}

// finish writes the dependent rows into the root's reason.
func (r *root) finish() {
	if len(r.deps) == 0 {
		return
	}
	list := r.deps
	more := ""
	if len(list) > 10 {
		more = " and " + strconv.Itoa(len(list)-10) + " more"
		list = list[:10]
	}
	r.err.Reason += " [left out with it, depending on it: " + strings.Join(list, ", ") + more + "]"
}

// itemRow is one row of the item master as read.
type itemRow struct {
	line      int
	item      bf.Item
	erpStd    bf.Cost // the ERP's own standard cost per base unit, if given
	hasErpStd bool
	cause     *root // why the row is left out; nil while it is in
}

// bomRow is one BOM line as read.
type bomRow struct {
	line      int
	parent    string
	l         bf.BOMLine
	unit      string // the line's unit; "" is the component's base unit
	alt       string // the alternative BOM it belongs to
	other     bool   // a line of an alternative not chosen: filtered, not an error
	converted bool   // its quantity is in the component's base unit
	cause     *root
}

// plantRead is everything reading an item master and BOM found.
type plantRead struct {
	it, bt   *table
	p        *bf.Plant // the rows that are in (nil when Validate refused them)
	irows    []itemRow
	brows    []bomRow
	errs     Errors           // every row error; roots carry their dependents
	roots    []*root          // the errors that left rows out
	out      map[string]*root // id → why an item of the file is out
	warnings Errors
	filtered int // rows left out by design: other alternatives, row filters
	skipped  int // rows left out by errors, dependents included
}

// ReadPlant reads an item master and its BOM lines into a plant named name
// (its currency from o). Every row refused is reported, rows that depended
// on a refused row under that row's error: with o.SkipBadRows the plant
// holds the good rows and skipped lists the others; otherwise err lists
// every bad row and no plant is returned.
func ReadPlant(items, bom Source, name string, o Options) (p *bf.Plant, skipped Errors, err error) {
	r, err := loadPlant(items, bom, name, &o)
	if err != nil {
		return nil, nil, err
	}
	for _, x := range r.roots {
		x.finish()
	}
	if len(r.errs) > 0 && (!o.SkipBadRows || r.p == nil) {
		return nil, nil, r.errs
	}
	return r.p, r.errs, nil
}

// loadPlant reads both files and resolves their rows: every row's own
// faults, then what needs several rows (references, alternatives, units,
// BOM presence, cycles), leaving rows out with their root cause until
// every row in stands on rows in.
func loadPlant(items, bom Source, name string, o *Options) (*plantRead, error) {
	it, bad, err := readTable(items, "items", itemFields, itemRequired, itemAliases, o)
	if err != nil {
		return nil, err
	}
	bt, bad2, err := readTable(bom, "bom", bomFields, bomRequired, bomAliases, o)
	if err != nil {
		return nil, err
	}
	r := &plantRead{it: it, bt: bt, out: map[string]*root{}, filtered: it.filtered + bt.filtered}
	r.errs = append(append(r.errs, bad...), bad2...)
	r.warnings = append(it.skipWarnings(), bt.skipWarnings()...)
	r.skipped = len(bad) + len(bad2)
	seen := map[string]int{}
	for i := range it.rows {
		x, errs := parseItem(it, &it.rows[i], seen)
		if len(errs) > 0 {
			x.cause = r.root(errs...)
		}
		r.irows = append(r.irows, x)
	}
	for i := range bt.rows {
		x, errs := parseBOM(bt, &bt.rows[i])
		if len(errs) > 0 {
			x.cause = r.root(errs...)
		}
		r.brows = append(r.brows, x)
	}
	r.chooseAlternatives(o.BOMAlternative)
	for r.resolve(o.Units) {
	}
	for i := range r.irows {
		if r.irows[i].cause != nil {
			r.skipped++
		}
	}
	for i := range r.brows {
		if r.brows[i].cause != nil {
			r.skipped++
		}
	}
	r.errs = r.errs.sorted(items.File, bom.File)
	cur := o.Currency
	if cur.Code == "" {
		cur = bf.Currency{Code: "USD", Scale: 2}
	}
	p := &bf.Plant{Name: name, Currency: cur}
	pos := map[string]int{}
	for i := range r.irows {
		if r.irows[i].cause == nil {
			pos[r.irows[i].item.ID] = len(p.Items)
			p.Items = append(p.Items, r.irows[i].item)
		}
	}
	for i := range r.brows {
		b := &r.brows[i]
		if b.cause == nil && !b.other {
			it := &p.Items[pos[b.parent]]
			it.BOM = append(it.BOM, b.l)
		}
	}
	// The rows passed every check above; Validate is the plant's own word
	// and must agree. A disagreement is reported against the files rather
	// than lost.
	if err := p.Validate(); err != nil {
		if len(r.errs) > 0 {
			// The rows' own errors say why: a plant of none of them, or
			// of too few, is no news.
			return r, nil
		}
		if e, ok := bf.AsError(err); ok {
			e.File = items.File
			if strings.HasPrefix(e.Field, "bom") {
				e.File = bom.File
			}
		}
		return nil, err
	}
	r.p = p
	r.compareStandards(o)
	return r, nil
}

// root makes the errors of a row its root cause and reports them all.
func (r *plantRead) root(errs ...*bf.Error) *root {
	r.errs = append(r.errs, errs...)
	x := &root{err: errs[0]}
	r.roots = append(r.roots, x)
	return x
}

// chooseAlternatives keeps, per parent, the lines of one alternative BOM:
// the one asked for, or the only one there is. A parent with several and
// no choice among them is an error: concatenating them would double its
// components.
func (r *plantRead) chooseAlternatives(want string) {
	alts := map[string][]string{} // parent → its alternatives, in file order
	for i := range r.brows {
		b := &r.brows[i]
		if b.parent != "" && !contains(alts[b.parent], b.alt) {
			alts[b.parent] = append(alts[b.parent], b.alt)
		}
	}
	refused := map[string]*root{}
	for i := range r.brows {
		b := &r.brows[i]
		as := alts[b.parent]
		if len(as) <= 1 {
			continue
		}
		switch {
		case want != "" && contains(as, want):
			b.other = b.alt != want
			if b.other {
				r.filtered++
			}
		case b.cause != nil:
		case refused[b.parent] != nil:
			b.cause = refused[b.parent]
			b.cause.depend(r.bt.file, b.line)
		default:
			sorted := append([]string(nil), as...)
			sort.Strings(sorted)
			why := "has alternative BOMs " + strings.Join(sorted, ", ") + ": choose one with --bom-alternative (bom_alternative in a mapping file); they are not added together"
			if want != "" {
				why = "has alternative BOMs " + strings.Join(sorted, ", ") + " but not " + strconv.Quote(want) + ", the one chosen"
			}
			b.cause = r.root(r.bt.errAt(b.line, bf.ItemID(b.parent), bf.Field("alternative"), why))
			refused[b.parent] = b.cause
		}
	}
}

// resolve runs one round of the checks that need several rows, leaving
// out rows whose references are out or unknown; it reports whether it left
// any row out (another round is then needed).
func (r *plantRead) resolve(units *Units) bool {
	changed := false
	in := map[string]*itemRow{}
	for i := range r.irows {
		x := &r.irows[i]
		if x.cause == nil {
			if _, dup := in[x.item.ID]; !dup {
				in[x.item.ID] = x
			}
		}
	}
	for i := range r.irows {
		x := &r.irows[i]
		if x.cause != nil && in[x.item.ID] == nil && r.out[x.item.ID] == nil && x.item.ID != "" {
			r.out[x.item.ID] = x.cause
		}
	}
	// leave takes a BOM line out with its cause, and its parent with it:
	// a parent missing a line would carry a wrong standard.
	leave := func(b *bomRow, cause *root, own bool) {
		if !own {
			cause.depend(r.bt.file, b.line)
		}
		b.cause = cause
		changed = true
		if p := in[b.parent]; p != nil && p.cause == nil {
			p.cause = cause
			cause.depend(r.it.file, p.line)
		}
	}
	hasBOM := map[string]bool{}
	for i := range r.brows {
		b := &r.brows[i]
		if b.other {
			continue
		}
		if b.cause != nil {
			// A line out takes its parent out.
			if p := in[b.parent]; p != nil && p.cause == nil {
				p.cause = b.cause
				b.cause.depend(r.it.file, p.line)
				changed = true
			}
			continue
		}
		bad := func(field, reason string, kind bf.Kind) {
			leave(b, r.root(r.bt.errAt(b.line, kind, bf.ItemID(b.parent), bf.Field(field), reason)), true)
		}
		p := in[b.parent]
		switch {
		case p == nil && r.out[b.parent] != nil:
			leave(b, r.out[b.parent], false)
			continue
		case p == nil:
			bad("parent", "unknown parent "+strconv.Quote(b.parent)+": no row of "+r.it.file+" has this id", bf.KindNotFound)
			continue
		case p.item.Kind == bf.Material:
			bad("parent", b.parent+" is a material: it is bought, not made, and cannot have BOM lines", bf.KindInvalid)
			continue
		}
		c := in[b.l.Item]
		switch {
		case c == nil && r.out[b.l.Item] != nil:
			leave(b, r.out[b.l.Item], false)
			continue
		case c == nil:
			bad("component", "unknown component "+strconv.Quote(b.l.Item)+": no row of "+r.it.file+" has this id", bf.KindNotFound)
			continue
		}
		if !b.converted {
			q, why := units.toBase(b.l.Item, b.l.Qty, b.unit, c.item.UOM)
			if why != "" {
				bad("unit", why, bf.KindInvalid)
				continue
			}
			b.l.Qty, b.converted = q, true
		}
		hasBOM[b.parent] = true
	}
	for i := range r.irows {
		x := &r.irows[i]
		if x.cause != nil || !x.item.Kind.Made() || hasBOM[x.item.ID] {
			continue
		}
		x.cause = r.root(r.it.errAt(x.line, bf.ItemID(x.item.ID), bf.Field("bom"), "a made item needs a BOM: no line of "+r.bt.file+" has parent "+strconv.Quote(x.item.ID)))
		changed = true
	}
	for _, i := range r.cycles() {
		b := &r.brows[i]
		if b.cause == nil {
			continue
		}
		if p := in[b.parent]; p != nil && p.cause == nil {
			p.cause = b.cause
			b.cause.depend(r.it.file, p.line)
		}
		changed = true
	}
	return changed
}

// cycles finds BOM cycles among the lines still in and leaves each out at
// the line that closes it, so the file points at a line to fix; it returns
// those lines. Parents are visited in id order so the report is stable.
func (r *plantRead) cycles() []int {
	edges := map[string][]int{} // parent → its lines
	for i := range r.brows {
		b := &r.brows[i]
		if b.cause == nil && !b.other {
			edges[b.parent] = append(edges[b.parent], i)
		}
	}
	parents := make([]string, 0, len(edges))
	for p := range edges {
		parents = append(parents, p)
	}
	sort.Strings(parents)
	const (
		white = iota
		grey
		black
	)
	color := map[string]uint8{}
	var stack []string
	var closing []int
	var visit func(id string)
	visit = func(id string) {
		color[id] = grey
		stack = append(stack, id)
		for _, i := range edges[id] {
			b := &r.brows[i]
			if b.cause != nil {
				continue // a line cut by an earlier cycle report
			}
			switch color[b.l.Item] {
			case grey:
				start := 0
				for k, s := range stack {
					if s == b.l.Item {
						start = k
					}
				}
				path := append(append([]string{}, stack[start:]...), b.l.Item)
				b.cause = r.root(r.bt.errAt(b.line, bf.ItemID(b.parent), bf.Field("component"), "BOM cycle "+strings.Join(path, " > ")))
				closing = append(closing, i)
			case white:
				visit(b.l.Item)
			}
		}
		stack = stack[:len(stack)-1]
		color[id] = black
	}
	for _, p := range parents {
		if color[p] == white {
			visit(p)
		}
	}
	return closing
}

// compareStandards warns of every made item whose standard, rolled up from
// its BOM and conversion, differs from the ERP's own standard cost by more
// than the tolerance: the sign of a price unit, base quantity, unit of
// measure or alternative BOM read wrongly, or of conversion cost missing.
func (r *plantRead) compareStandards(o *Options) {
	tol := o.StdTolerance
	if tol == 0 {
		tol = defaultStdTolerance
	}
	if tol < 0 {
		return
	}
	std, err := costing.Compile(r.p)
	if err != nil {
		return // the plant's own errors come when it is costed
	}
	for i := range r.irows {
		x := &r.irows[i]
		if x.cause != nil || !x.item.Kind.Made() || !x.hasErpStd || x.erpStd == 0 {
			continue
		}
		k, ok := std.Lookup(x.item.ID)
		if !ok {
			continue
		}
		rolled := std.Rolled(k)
		if !beyond(rolled, x.erpStd, tol) {
			continue
		}
		r.warnings = append(r.warnings, r.it.errAt(x.line, bf.ItemID(x.item.ID), bf.Field("standard_cost"),
			"the standard rolled up from the BOM is "+rolled.String()+" but the ERP's standard cost is "+x.erpStd.String()+
				" ("+ratioText(rolled, x.erpStd)+"; tolerance "+tol.String()+" %): "+likelyCauses(rolled, x.erpStd)))
	}
}

// defaultStdTolerance is how far a rolled-up standard may differ from the
// ERP's before a warning: 0.5 %.
var defaultStdTolerance, _ = bf.ParsePct("0.5")

// beyond reports whether a differs from b by more than tol percent of b.
func beyond(a, b bf.Cost, tol bf.Pct) bool {
	diff := new(big.Int).Sub(big.NewInt(int64(a)), big.NewInt(int64(b)))
	diff.Abs(diff)
	hundred, _ := bf.ParsePct("100")
	lhs := new(big.Int).Mul(diff, big.NewInt(int64(hundred)))
	rhs := new(big.Int).Mul(big.NewInt(int64(b)), big.NewInt(int64(tol)))
	return lhs.Cmp(rhs) > 0
}

// ratioText says how a compares with b: "+2.4 %" or "1000 times".
func ratioText(a, b bf.Cost) string {
	ra := new(big.Rat).SetFrac(big.NewInt(int64(a)), big.NewInt(int64(b)))
	f, _ := ra.Float64() // for words only, never for a figure kept
	if f >= 2 || f <= 0.5 {
		return ra.FloatString(3) + " times the ERP's"
	}
	pct := new(big.Rat).Mul(new(big.Rat).Sub(ra, big.NewRat(1, 1)), big.NewRat(100, 1))
	s := pct.FloatString(1)
	if pct.Sign() > 0 {
		s = "+" + s
	}
	return s + " %"
}

// likelyCauses names what usually makes a rolled-up standard differ from
// the ERP's, the likeliest first for the size of the difference.
func likelyCauses(rolled, erp bf.Cost) string {
	ra := new(big.Rat).SetFrac(big.NewInt(int64(rolled)), big.NewInt(int64(erp)))
	for _, p := range []int64{10, 100, 1000, 10000} {
		for _, r := range []*big.Rat{big.NewRat(p, 1), big.NewRat(1, p)} {
			lo := new(big.Rat).Mul(r, big.NewRat(99, 100))
			hi := new(big.Rat).Mul(r, big.NewRat(101, 100))
			if ra.Cmp(lo) >= 0 && ra.Cmp(hi) <= 0 {
				return "a factor of " + r.RatString() + " — most likely a price unit (PEINH) not applied, a BOM base quantity (BMENG) not applied, or a line's unit of measure (G read as KG); check also the alternative BOM chosen"
			}
		}
	}
	if rolled < erp {
		return "likely conversion cost not imported (a conversion_cost column or a cost estimate), a BOM line missing or in a wrong unit, a price unit or base quantity, or another alternative BOM"
	}
	return "likely a price unit (PEINH) or BOM base quantity (BMENG) not applied, a line's unit of measure, alternative BOMs added together, or component scrap the ERP does not cost"
}
