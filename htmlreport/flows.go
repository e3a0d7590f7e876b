package htmlreport

import (
	"fmt"
	"math"
	"sort"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/svgchart"
)

// A cost-flow diagram shows where a book's costs went: from suppliers and
// labour into materials and conversion, through work in process and
// finished goods, to cost of goods sold, scrap and variances, and what is
// left on hand. Accounts are grouped into nodes; an entry's flows split each
// credit over its debits in proportion (bf.Apportion), so the flows of an
// entry add up to it exactly.

// node is a box of the diagram: a short label, the full name for its
// tooltip, and its column.
type node struct {
	label, name string
	col         int
}

var (
	nSuppliers = node{"Suppliers", "Suppliers (accounts payable)", 0}
	nLabour    = node{"Labour", "Labour and overhead (conversion payable)", 0}
	nMaterials = node{"Materials", "Materials", 1}
	nMIP       = node{"Mat. in process", "Materials in process", 1}
	nConv      = node{"Conversion", "Conversion (control and allocated)", 1}
	nWIP       = node{"WIP", "Work in process", 2}
	nFG        = node{"Finished", "Finished goods", 3}
	nCOGS      = node{"COGS", "Cost of goods sold", 4}
	nScrap     = node{"Scrap", "Scrap loss", 4}
	nVar       = node{"Variances", "Price and usage variances", 4}
	nOther     = node{"Other", "Other expenses", 4}
	nEnd       = node{"On hand", "On hand at the end", 4}
)

// nodeOf groups an account; ok is false for accounts outside the cost flow
// (sales, receivables).
func nodeOf(a bf.Account) (node, bool) {
	switch a {
	case bf.AccountsPayable:
		return nSuppliers, true
	case bf.ConversionPayable:
		return nLabour, true
	case bf.Materials:
		return nMaterials, true
	case bf.MaterialsInProcess:
		return nMIP, true
	case bf.ConversionControl, bf.ConversionAllocated:
		return nConv, true
	case bf.WIP:
		return nWIP, true
	case bf.FinishedGoods:
		return nFG, true
	case bf.COGS:
		return nCOGS, true
	case bf.ScrapLoss:
		return nScrap, true
	case bf.PurchasePriceVariance, bf.MaterialUsageVariance:
		return nVar, true
	case bf.SalesRevenue, bf.AccountsReceivable:
		return node{}, false
	}
	switch a.Class() {
	case bf.ClassExpense, bf.ClassClearing:
		return nOther, true
	case bf.ClassInventory:
		return nWIP, true
	}
	return node{}, false
}

type edge struct{ from, to node }

// costFlows sums a book's flows between nodes, ending inventory included.
// A flow adds up amounts over the whole journal, which no posting check
// bounds (a book's balances are bounded, not what passed through them): the
// sums are exact (bf.Sum), and ok is false when a flow, or what a node
// takes in or gives out in all, does not fit in an amount.
func costFlows(b *costing.Book) (_ map[edge]bf.Money, ok bool) {
	sums := map[edge]*bf.Sum{}
	add := func(e edge, v bf.Money) {
		s := sums[e]
		if s == nil {
			s = new(bf.Sum)
			sums[e] = s
		}
		s.Add(v)
	}
	var debits []bf.Money
	var dnodes []node
	var shares []bf.Money
	for _, ls := range b.Journal.All() {
		debits, dnodes = debits[:0], dnodes[:0]
		for _, l := range ls {
			if n, ok := nodeOf(l.Account); ok && l.Amount > 0 {
				debits = append(debits, l.Amount)
				dnodes = append(dnodes, n)
			}
		}
		if len(debits) == 0 {
			continue
		}
		shares = append(shares[:0], make([]bf.Money, len(debits))...)
		for _, l := range ls {
			src, ok := nodeOf(l.Account)
			if !ok || l.Amount >= 0 {
				continue
			}
			if !bf.Apportion(-l.Amount, debits, shares) {
				continue
			}
			for k, v := range shares {
				if v != 0 && dnodes[k] != src {
					add(edge{src, dnodes[k]}, v)
				}
			}
		}
	}
	bal := b.Balances()
	for _, a := range []bf.Account{bf.Materials, bf.MaterialsInProcess, bf.WIP, bf.FinishedGoods} {
		if bal[a] > 0 {
			n, _ := nodeOf(a)
			add(edge{n, nEnd}, bal[a])
		}
	}
	out := make(map[edge]bf.Money, len(sums))
	in, from := map[node]*bf.Sum{}, map[node]*bf.Sum{}
	for e, s := range sums {
		v, fits := s.Money()
		if !fits {
			return nil, false
		}
		out[e] = v
		if v > 0 { // as sankey adds them up
			for _, x := range []struct {
				m map[node]*bf.Sum
				n node
			}{{from, e.from}, {in, e.to}} {
				if x.m[x.n] == nil {
					x.m[x.n] = new(bf.Sum)
				}
				x.m[x.n].Add(v)
			}
		}
	}
	for _, m := range []map[node]*bf.Sum{in, from} {
		for _, s := range m {
			if _, fits := s.Money(); !fits {
				return nil, false
			}
		}
	}
	return out, true
}

// sankey draws the cost flows of a book: a box per node (its height the
// larger of what came in and went out), a band per flow (its thickness the
// amount), columns left to right from suppliers to cost of goods sold.
func sankey(title string, flows map[edge]bf.Money, scale int, w float64) string {
	type box struct {
		n         node
		in, out   bf.Money
		x, y, h   float64
		inY, outY float64
	}
	boxes := map[node]*box{}
	var list []*box
	get := func(n node) *box {
		if b, ok := boxes[n]; ok {
			return b
		}
		b := &box{n: n}
		boxes[n] = b
		list = append(list, b)
		return b
	}
	// The largest flows first, so that the diagram reads the same every time.
	edges := make([]edge, 0, len(flows))
	for e, v := range flows {
		if v > 0 {
			edges = append(edges, e)
		}
	}
	sort.Slice(edges, func(a, c int) bool {
		if flows[edges[a]] != flows[edges[c]] {
			return flows[edges[a]] > flows[edges[c]]
		}
		return edges[a].from.name+edges[a].to.name < edges[c].from.name+edges[c].to.name
	})
	for _, e := range edges { // costFlows found these sums fit
		get(e.from).out += flows[e]
		get(e.to).in += flows[e]
	}
	// The order of the nodes within their columns.
	rank := map[node]int{nSuppliers: 0, nLabour: 1, nMaterials: 0, nMIP: 1, nConv: 2, nWIP: 0, nFG: 0, nCOGS: 0, nScrap: 1, nVar: 2, nOther: 3, nEnd: 4}
	sort.Slice(list, func(a, c int) bool {
		if list[a].n.col != list[c].n.col {
			return list[a].n.col < list[c].n.col
		}
		return rank[list[a].n] < rank[list[c].n]
	})
	// Columns a book does not use (no WIP in backflush) are left out.
	var used []int
	cols := map[int][]*box{}
	for _, b := range list {
		if len(cols[b.n.col]) == 0 {
			used = append(used, b.n.col)
		}
		cols[b.n.col] = append(cols[b.n.col], b)
	}
	const plot, top, gap, bw = 280.0, 26.0, 16.0, 14.0
	var most float64
	maxGaps := 0
	for _, c := range cols {
		var s float64
		for _, b := range c {
			s += float64(max(b.in, b.out))
		}
		most = math.Max(most, s)
		maxGaps = max(maxGaps, len(c)-1)
	}
	if most == 0 {
		most = 1
	}
	k := (plot - gap*float64(maxGaps)) / most // pixels per minor unit
	left, right := 8.0, 96.0
	placed := map[node]bool{}
	bottom := top
	for pos, c := range used {
		x := left
		if len(used) > 1 {
			x += (w - left - right - bw) * float64(pos) / float64(len(used)-1)
		}
		// Each box sits level with what flows into it, as far as the boxes
		// above it allow, so that bands run straight where they can.
		y := top
		for _, b := range cols[c] {
			b.x = x
			b.h = math.Max(float64(max(b.in, b.out))*k, 2)
			var sum, wsum float64
			for _, e := range edges {
				if e.to == b.n && placed[e.from] {
					src := boxes[e.from]
					sum += float64(flows[e]) * (src.y + src.h/2)
					wsum += float64(flows[e])
				}
			}
			if wsum > 0 {
				y = math.Max(y, sum/wsum-b.h/2)
			}
			b.y, b.inY, b.outY = y, y, y
			placed[b.n] = true
			y += b.h + gap
			bottom = math.Max(bottom, b.y+b.h)
		}
	}
	f1, colour := svgchart.F1, svgchart.OkabeIto.Colour
	var sb strings.Builder
	svgchart.Open(&sb, w, bottom+16, title)
	fmt.Fprintf(&sb, `<text x="4" y="14" class="ctitle">%s</text>`, esc(title))
	for _, e := range edges {
		v := flows[e]
		s, t := boxes[e.from], boxes[e.to]
		th := math.Max(float64(v)*k, 0.8)
		x0, x1 := s.x+bw, t.x
		a0, a1 := s.outY, t.inY // top edges at both ends
		s.outY += th
		t.inY += th
		mx := (x0 + x1) / 2
		if x1 <= x0 { // a flow back to an earlier column
			mx = x0 + 30
		}
		// A band: the top edge as a curve, down the target, the bottom edge
		// back as a curve.
		fmt.Fprintf(&sb, `<path d="M%s,%s C%s,%s %s,%s %s,%s L%s,%s C%s,%s %s,%s %s,%s Z" fill="%s" fill-opacity="0.38"><title>%s → %s: %s</title></path>`,
			f1(x0), f1(a0), f1(mx), f1(a0), f1(mx), f1(a1), f1(x1), f1(a1),
			f1(x1), f1(a1+th), f1(mx), f1(a1+th), f1(mx), f1(a0+th), f1(x0), f1(a0+th),
			colour(s.n.col), esc(e.from.name), esc(e.to.name), esc(money(v, scale)))
	}
	for _, b := range list {
		fmt.Fprintf(&sb, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s: in %s, out %s</title></rect>`,
			f1(b.x), f1(b.y), f1(bw), f1(b.h), colour(b.n.col), esc(b.n.name), esc(money(b.in, scale)), esc(money(b.out, scale)))
	}
	// Labels last, haloed, so that no band hides them.
	for _, b := range list {
		v := max(b.in, b.out)
		y := b.y + math.Min(b.h/2, 12) + 2
		fmt.Fprintf(&sb, `<text x="%s" y="%s" class="nlab">%s</text><text x="%s" y="%s" class="nval">%s</text>`,
			f1(b.x+bw+4), f1(y), esc(b.n.label), f1(b.x+bw+4), f1(y+12), esc(svgchart.Short(float64(v)/math.Pow10(scale))))
	}
	sb.WriteString(`</svg>`)
	return sb.String()
}
