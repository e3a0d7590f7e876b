package jit

// MeasuresJSON are the measures in JSON: amounts as decimal strings,
// durations in working minutes, ratios as numbers.
type MeasuresJSON struct {
	SupplierOnTimePct   float64        `json:"supplier_on_time_pct"`
	RejectedPPM         int64          `json:"rejected_ppm"`
	CustomerOnTimePct   float64        `json:"customer_on_time_pct"`
	Orders              int            `json:"orders"`
	Shipped             int            `json:"shipped"`
	Open                int            `json:"open"`
	Deferred            int            `json:"deferred"`
	LeadTimeMinutes     Durations      `json:"lead_time_minutes"`
	CycleTimeMinutes    Durations      `json:"cycle_time_minutes"`
	MCE                 float64        `json:"manufacturing_cycle_efficiency"`
	Scrap               int64          `json:"defects"`
	FirstPassYield      float64        `json:"first_pass_yield"`
	AverageInventory    string         `json:"average_inventory"`
	StandardCostOfSales string         `json:"standard_cost_of_sales"`
	Turns               float64        `json:"inventory_turns"`
	DaysOfSupply        float64        `json:"days_of_supply"`
	Stages              []string       `json:"stages"`
	Inventory           [][]string     `json:"inventory_per_stage"` // per day, per stage
	Loops               []LoopJSON     `json:"kanban_loops"`
	Suppliers           []SupplierJSON `json:"suppliers"`
	Processes           []ProcessJSON  `json:"processes"`
}

// LoopJSON is a kanban loop's stock-outs in JSON.
type LoopJSON struct {
	Item            string `json:"item"`
	Stockouts       int    `json:"stockouts"`
	StockoutMinutes int64  `json:"stockout_minutes"`
}

// SupplierJSON is a supplier's delivery performance in JSON.
type SupplierJSON struct {
	ID          string  `json:"id"`
	Deliveries  int     `json:"deliveries"`
	OnTimePct   float64 `json:"on_time_pct"`
	RejectedPPM int64   `json:"rejected_ppm"`
}

// ProcessJSON is a process's quality in JSON.
type ProcessJSON struct {
	ID             string  `json:"id"`
	Started        int64   `json:"started"`
	Good           int64   `json:"good"`
	Scrap          int64   `json:"scrap"`
	FirstPassYield float64 `json:"first_pass_yield"`
}

// JSON renders the measures for JSON: amounts in the currency's scale.
func (ms *Measures) JSON(scale int) MeasuresJSON {
	j := MeasuresJSON{SupplierOnTimePct: ms.SupplierOnTimePct(), RejectedPPM: ms.RejectedPPM(), CustomerOnTimePct: ms.CustomerOnTimePct(),
		Orders: ms.Orders, Shipped: ms.ShippedOrders, Open: ms.OpenOrders, Deferred: ms.Deferred,
		LeadTimeMinutes: ms.LeadTime, CycleTimeMinutes: ms.CycleTime, MCE: ms.MCE(), Scrap: ms.Scrap, FirstPassYield: ms.FirstPassYield(),
		AverageInventory: ms.AverageInventory.Format(scale), StandardCostOfSales: ms.CostOfSales.Format(scale),
		Turns: ms.Turns(), DaysOfSupply: ms.DaysOfSupply()}
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
		j.Loops = append(j.Loops, LoopJSON{Item: l.Item, Stockouts: l.Stockouts, StockoutMinutes: l.StockoutMinutes})
	}
	for i := range ms.Suppliers {
		s := &ms.Suppliers[i]
		j.Suppliers = append(j.Suppliers, SupplierJSON{ID: s.ID, Deliveries: s.Deliveries, OnTimePct: s.OnTimePct(), RejectedPPM: s.RejectedPPM()})
	}
	for i := range ms.Processes {
		p := &ms.Processes[i]
		j.Processes = append(j.Processes, ProcessJSON{ID: p.ID, Started: p.Started, Good: p.Good, Scrap: p.Scrap, FirstPassYield: p.FirstPassYield()})
	}
	return j
}
