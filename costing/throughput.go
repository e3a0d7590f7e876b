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
		return nil, nil, bf.E("throughput", bf.KindInvalid, bf.File(file), bf.Field("throughput"), "the scenario has no throughput section (resources, operating_expenses, products)")
	}
	std, err := Compile(&sc.Plant)
	if err != nil {
		return nil, nil, err
	}
	f := throughput.Factory{OperatingExpenses: t.OperatingExpenses, Scale: sc.Plant.Currency.Scale}
	for _, r := range t.Resources {
		f.Capacity = append(f.Capacity, r.Capacity)
	}
	var ps []throughput.Product
	for _, p := range t.Products {
		i, ok := std.Lookup(p.Item)
		if !ok {
			return nil, nil, bf.E("throughput", bf.KindNotFound, bf.File(file), bf.LineNo(p.Line), bf.ItemID(p.Item), bf.Field("item"), "unknown item "+p.Item)
		}
		it := std.Item(i)
		ps = append(ps, throughput.Product{ID: it.ID, Price: it.Price, Material: std.MaterialContent(i), Minutes: p.Minutes, Demand: p.Demand})
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
