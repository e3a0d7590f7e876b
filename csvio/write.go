package csvio

import (
	"encoding/csv"
	"io"

	bf "github.com/backflush/backflush"
)

// WriteItems writes a plant's item master as CSV: the columns every ERP
// has, then each optional column some item uses. Numbers are plain
// decimals, exactly as the plant holds them; a made item's standard cost
// is left empty (Backflush rolls it up), and so is any zero optional value.
func WriteItems(w io.Writer, p *bf.Plant) error {
	used := map[string]bool{}
	for i := range p.Items {
		it := &p.Items[i]
		used["conversion_cost"] = used["conversion_cost"] || it.ConversionCost != 0
		// The fixed part is written when it is given directly; with a
		// budget and denominator it follows from them.
		used["fixed_conversion"] = used["fixed_conversion"] || (it.FixedConversion != 0 && it.Denominator == 0)
		used["fixed_budget"] = used["fixed_budget"] || it.Denominator != 0
		used["denominator"] = used["denominator"] || it.Denominator != 0
		used["selling_cost"] = used["selling_cost"] || it.SellingCost != 0
		used["nrv"] = used["nrv"] || it.NRV != 0
		used["class"] = used["class"] || it.Class != ""
		used["shortage"] = used["shortage"] || it.Shortage != bf.ShortageAllow
	}
	var cols []string
	for i, f := range itemFields {
		if i < 6 || used[f] {
			cols = append(cols, f)
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return err
	}
	cost := func(c bf.Cost) string {
		if c == 0 {
			return ""
		}
		return c.String()
	}
	row := make([]string, len(cols))
	for i := range p.Items {
		it := &p.Items[i]
		for c, f := range cols {
			var v string
			switch f {
			case "id":
				v = it.ID
			case "description":
				v = it.Name
			case "type":
				v = it.Kind.String()
			case "unit":
				v = it.UOM
			case "standard_cost":
				v = cost(it.StandardCost)
			case "price":
				v = cost(it.Price)
			case "conversion_cost":
				v = cost(it.ConversionCost)
			case "fixed_conversion":
				if it.Denominator == 0 {
					v = cost(it.FixedConversion)
				}
			case "fixed_budget":
				if it.Denominator != 0 {
					v = it.FixedBudget.Format(p.Currency.Scale)
				}
			case "denominator":
				if it.Denominator != 0 {
					v = it.Denominator.String()
				}
			case "selling_cost":
				v = cost(it.SellingCost)
			case "nrv":
				v = cost(it.NRV)
			case "class":
				v = it.Class
			case "shortage":
				if it.Shortage != bf.ShortageAllow {
					v = it.Shortage.String()
				}
			}
			row[c] = v
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteBOM writes every BOM line of a plant as CSV, parents in item order
// and each parent's lines in BOM order, which is the order reading them
// back gives.
func WriteBOM(w io.Writer, p *bf.Plant) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(bomFields[:4]); err != nil { // per unit of the parent, in the base unit
		return err
	}
	for i := range p.Items {
		it := &p.Items[i]
		for _, l := range it.BOM {
			scrap := ""
			if l.ScrapPct != 0 {
				scrap = l.ScrapPct.String()
			}
			if err := cw.Write([]string{it.ID, l.Item, l.Qty.String(), scrap}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
