package costing

import (
	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/throughput"
)

// AnalyzeThroughput is throughput accounting's decision support for a
// configuration's throughput section: each product's throughput per unit
// and per minute of the bottleneck, the ranking and the best mix. The rule
// of throughput accounting (Goldratt; Corbett) is that only materials are
// truly variable: throughput is the price less the standard material
// content of the exploded BOM, and all conversion is operating expense.
// file names the source in errors.
func AnalyzeThroughput(sc *bf.Config, file string) ([]throughput.Analysis, *throughput.Mix, error) {
	t := sc.Throughput
	if t == nil {
		return nil, nil, noThroughput(file)
	}
	std, err := Compile(&sc.Plant)
	if err != nil {
		return nil, nil, err
	}
	return AnalyzeThroughputOf(std, t, file)
}

func noThroughput(file string) error {
	return bf.E("throughput", bf.KindInvalid, bf.File(file), bf.Field("throughput"), "the scenario has no throughput section (resources, operating_expenses, products)")
}

// AnalyzeThroughputOf is AnalyzeThroughput on compiled standards: those of
// a ledger, whose configuration gives the throughput section t.
func AnalyzeThroughputOf(std *Standards, t *bf.ThroughputData, file string) ([]throughput.Analysis, *throughput.Mix, error) {
	if t == nil {
		return nil, nil, noThroughput(file)
	}
	ps, f, err := throughputProducts(std, t, file, false)
	if err != nil {
		return nil, nil, err
	}
	an, err := throughput.Analyze(ps, f)
	if err != nil {
		if e, ok := bf.AsError(err); ok {
			e.File, e.Line = file, t.Line
		}
		return nil, nil, err
	}
	mix, err := throughput.BestMix(ps, f)
	return an, mix, err
}

// throughputProducts are the throughput section's products at the
// standards: price less the truly variable cost per unit, which is the
// material content (throughput accounting), or with marginal the material
// content and the variable conversion of every level (contribution).
func throughputProducts(std *Standards, t *bf.ThroughputData, file string, marginal bool) ([]throughput.Product, throughput.Factory, error) {
	f := throughput.Factory{OperatingExpenses: t.OperatingExpenses, Scale: std.Scale}
	if marginal {
		f.Measure = "contribution"
	}
	for _, r := range t.Resources {
		f.Capacity = append(f.Capacity, r.Capacity)
	}
	var ps []throughput.Product
	for _, p := range t.Products {
		i, ok := std.Lookup(p.Item)
		if !ok {
			return nil, f, bf.E("throughput", bf.KindNotFound, bf.File(file), bf.LineNo(p.Line), bf.ItemID(p.Item), bf.Field("item"), "unknown item "+p.Item)
		}
		it := std.Item(i)
		variable := std.MaterialContent(i)
		if marginal {
			variable = std.RolledFor(i, bf.ScopeVariable)
		}
		ps = append(ps, throughput.Product{ID: it.ID, Price: it.Price, Material: variable, Minutes: p.Minutes, Demand: p.Demand})
	}
	return ps, f, nil
}

// LimitingFactor sets throughput accounting beside marginal costing at the
// bottleneck, the comparison management-accounting texts make (Kaplan,
// ACCA Performance Management; Horngren et al., ch. 11, "product-mix
// decisions under capacity constraints"). Throughput accounting takes only
// materials as variable; marginal costing takes materials and variable
// conversion, so its contribution margin per unit is the price less the
// standard material content and the variable conversion of every level
// (Standards.RolledFor with the variable scope). Each ranks the products
// per minute of the limiting factor (the first resource) and fills the same
// capacity and demand in its order (package throughput); both mixes are
// then valued by both measures against the same fixed costs, the section's
// operating expenses.
type LimitingFactor struct {
	Resource     string // the limiting factor: the first resource
	Products     []FactorProduct
	Throughput   FactorMix // the mix ranked by throughput per minute
	Contribution FactorMix // the mix ranked by contribution per minute
	FixedCosts   bf.Money  // the operating expenses, charged to both mixes
}

// FactorProduct is one product under both measures.
type FactorProduct struct {
	ID                 string
	Price              bf.Cost
	Material           bf.Cost // standard material content per unit
	VariableConversion bf.Cost // variable conversion per unit, every level
	Minutes            bf.Qty  // on the limiting factor, per unit
	Throughput         throughput.Analysis
	Contribution       throughput.Analysis // per unit: price − material − variable conversion
}

// FactorMix is a best mix valued by both measures. Mix.Throughput holds
// the measure it was ranked by; Throughput and Contribution value its
// units by each.
type FactorMix struct {
	Mix                      *throughput.Mix
	Throughput, Contribution bf.Money
	// ProfitTA is throughput less the fixed costs (all conversion fixed for
	// the period), ProfitMarginal contribution less the same fixed costs
	// (variable conversion spent per unit made).
	ProfitTA, ProfitMarginal bf.Money
}

// CompareLimitingFactor works out the LimitingFactor comparison for a
// configuration's throughput section at the standards std.
func CompareLimitingFactor(std *Standards, t *bf.ThroughputData, file string) (*LimitingFactor, error) {
	anT, _, err := AnalyzeThroughputOf(std, t, file)
	if err != nil {
		return nil, err
	}
	psT, fT, _ := throughputProducts(std, t, file, false) // checked by AnalyzeThroughputOf
	psC, fC, _ := throughputProducts(std, t, file, true)
	anC, err := throughput.Analyze(psC, fC)
	if err != nil {
		return nil, err
	}
	lf := &LimitingFactor{FixedCosts: t.OperatingExpenses}
	if len(t.Resources) > 0 {
		lf.Resource = t.Resources[0].Name
	}
	for k := range psT {
		i, _ := std.Lookup(psT[k].ID)
		lf.Products = append(lf.Products, FactorProduct{ID: psT[k].ID, Price: psT[k].Price, Material: psT[k].Material,
			VariableConversion: std.RolledFor(i, bf.ScopeVariable) - std.MaterialContent(i), Minutes: psT[k].Minutes[0],
			Throughput: anT[k], Contribution: anC[k]})
	}
	for _, m := range []struct {
		into *FactorMix
		ps   []throughput.Product
		f    throughput.Factory
	}{{&lf.Throughput, psT, fT}, {&lf.Contribution, psC, fC}} {
		mix, err := throughput.BestMix(m.ps, m.f)
		if err != nil {
			return nil, err
		}
		fm := FactorMix{Mix: mix}
		if fm.Throughput, err = throughput.Margin(psT, mix, std.Scale); err != nil {
			return nil, err
		}
		if fm.Contribution, err = throughput.Margin(psC, mix, std.Scale); err != nil {
			return nil, err
		}
		fm.ProfitTA, fm.ProfitMarginal = fm.Throughput-lf.FixedCosts, fm.Contribution-lf.FixedCosts
		*m.into = fm
	}
	return lf, nil
}
