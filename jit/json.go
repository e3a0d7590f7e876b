package jit

// MeasuresJSON are the measures in JSON: amounts as decimal strings,
// durations in working minutes, ratios as numbers, and null for a ratio
// whose denominator is empty (n/a).
type MeasuresJSON struct {
	SupplierOTIFPct     *float64       `json:"supplier_otif_pct"`
	SupplierKanbans     int            `json:"supplier_kanbans"`
	SupplierDeliveries  int            `json:"supplier_deliveries"`
	Replacements        int            `json:"supplier_replacements"`
	Lateness            []LatenessJSON `json:"supplier_lateness"` // deliveries per class, in LatenessLabels' order
	LateMinutes         Durations      `json:"supplier_late_minutes"`
	RejectedPPM         int64          `json:"rejected_ppm"`
	CustomerOnTimePct   *float64       `json:"customer_on_time_pct"`
	Orders              int            `json:"orders"`
	Shipped             int            `json:"shipped"`
	Open                int            `json:"open"`
	OpenLate            int            `json:"open_late"`
	Deferred            int            `json:"deferred"`
	LeadTimeMinutes     Durations      `json:"lead_time_minutes"`  // shipped orders
	CycleTimeMinutes    Durations      `json:"cycle_time_minutes"` // completed orders
	OpenAgeMinutes      Durations      `json:"open_order_age_minutes"`
	MCE                 *float64       `json:"manufacturing_cycle_efficiency"` // order to completion
	LineMCE             *float64       `json:"line_cycle_efficiency"`          // line start to completion
	Scrap               int64          `json:"defects"`
	RolledYield         *float64       `json:"rolled_first_pass_yield"`
	AverageInventory    string         `json:"average_inventory"`
	StandardCostOfSales string         `json:"standard_cost_of_sales"`
	Turns               *float64       `json:"inventory_turns"`
	DaysOfSupply        *float64       `json:"days_of_supply"`
	Stages              []string       `json:"stages"`
	Inventory           [][]string     `json:"inventory_per_stage"` // per day, per stage
	Loops               []LoopJSON     `json:"kanban_loops"`
	Suppliers           []SupplierJSON `json:"suppliers"`
	Processes           []ProcessJSON  `json:"processes"`
}

// LatenessJSON is one class of the supplier lateness distribution: its
// label (a value, so that JSON keys stay snake_case) and its deliveries.
type LatenessJSON struct {
	Class      string `json:"class"`
	Deliveries int    `json:"deliveries"`
}

// LoopJSON is a kanban loop's stock-outs in JSON.
type LoopJSON struct {
	Item            string `json:"item"`
	Stockouts       int    `json:"stockouts"`
	StockoutMinutes int64  `json:"stockout_minutes"`
	OpenWaits       int    `json:"open_waits"`
}

// SupplierJSON is a supplier's delivery performance in JSON.
type SupplierJSON struct {
	ID           string    `json:"id"`
	Kanbans      int       `json:"kanbans"`
	OTIFPct      *float64  `json:"otif_pct"`
	Deliveries   int       `json:"deliveries"`
	Replacements int       `json:"replacements"`
	RejectedPPM  int64     `json:"rejected_ppm"`
	LateMinutes  Durations `json:"late_minutes"`
}

// ProcessJSON is a process's quality and load in JSON.
type ProcessJSON struct {
	ID             string   `json:"id"`
	Started        int64    `json:"started"`
	Good           int64    `json:"good"`
	Scrap          int64    `json:"scrap"`
	FirstPassYield *float64 `json:"first_pass_yield"`
	UtilisationPct *float64 `json:"utilisation_pct"`
	AndonPulls     int      `json:"andon_pulls"`
	StopMinutes    int64    `json:"stop_minutes"`
}

// pctJSON is a ratio in percent, nil when n/a.
func pctJSON(r Ratio) *float64 {
	if !r.Valid() {
		return nil
	}
	v := 100 * r.Value()
	return &v
}

// ratioJSON is a ratio as a fraction, nil when n/a.
func ratioJSON(r Ratio) *float64 {
	if !r.Valid() {
		return nil
	}
	v := r.Value()
	return &v
}

func maybeJSON(f Maybe) *float64 {
	if !f.OK {
		return nil
	}
	return &f.V
}

// JSON renders the measures for JSON: amounts in the currency's scale.
func (ms *Measures) JSON(scale int) MeasuresJSON {
	j := MeasuresJSON{SupplierOTIFPct: pctJSON(ms.SupplierOTIF()), SupplierKanbans: ms.Kanbans, SupplierDeliveries: ms.Deliveries,
		Replacements: ms.Replacements, Lateness: []LatenessJSON{}, LateMinutes: ms.LateMinutes,
		RejectedPPM: ms.RejectedPPM(), CustomerOnTimePct: pctJSON(ms.CustomerOnTime()),
		Orders: ms.Orders, Shipped: ms.ShippedOrders, Open: ms.OpenOrders, OpenLate: ms.OpenLate, Deferred: ms.Deferred,
		LeadTimeMinutes: ms.LeadTime, CycleTimeMinutes: ms.CycleTime, OpenAgeMinutes: ms.OpenAge,
		MCE: ratioJSON(ms.MCE()), LineMCE: ratioJSON(ms.LineMCE()), Scrap: ms.Scrap, RolledYield: maybeJSON(ms.RolledYield),
		AverageInventory: ms.AverageInventory.Format(scale), StandardCostOfSales: ms.CostOfSales.Format(scale),
		Turns: maybeJSON(ms.Turns()), DaysOfSupply: maybeJSON(ms.DaysOfSupply())}
	for k, n := range ms.Lateness {
		j.Lateness = append(j.Lateness, LatenessJSON{Class: LatenessLabels[k], Deliveries: n})
	}
	for _, s := range ms.Stages {
		j.Stages = append(j.Stages, s.Name)
	}
	for _, row := range ms.Inventory {
		r := make([]string, len(row))
		for i, v := range row {
			r[i] = v.Format(scale)
		}
		j.Inventory = append(j.Inventory, r)
	}
	for _, l := range ms.Loops {
		j.Loops = append(j.Loops, LoopJSON{Item: l.Item, Stockouts: l.Stockouts, StockoutMinutes: l.StockoutMinutes, OpenWaits: l.OpenWaits})
	}
	for i := range ms.Suppliers {
		s := &ms.Suppliers[i]
		j.Suppliers = append(j.Suppliers, SupplierJSON{ID: s.ID, Kanbans: s.Kanbans, OTIFPct: pctJSON(s.OnTimeInFull()), Deliveries: s.Deliveries,
			Replacements: s.Replacements, RejectedPPM: s.RejectedPPM(), LateMinutes: s.LateMinutes})
	}
	for i := range ms.Processes {
		p := &ms.Processes[i]
		j.Processes = append(j.Processes, ProcessJSON{ID: p.ID, Started: p.Started, Good: p.Good, Scrap: p.Scrap,
			FirstPassYield: ratioJSON(p.FirstPassYield()), UtilisationPct: pctJSON(p.Utilisation()), AndonPulls: p.Pulls, StopMinutes: p.StopMinutes})
	}
	return j
}
