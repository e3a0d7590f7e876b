package backflush

// Config is a plant's whole configuration: its master data (items, BOMs,
// standards), the books kept over its events, the close policy, the chart of
// accounts, the events given with it and its throughput data. A scenario
// file is its YAML form (package scenario); a ConfigVersion stores it.
type Config struct {
	Name   string
	Plant  Plant
	Books  []BookConfig
	Close  ClosePolicy
	Chart  Chart
	Events []Event
	// Throughput is the bottleneck data for throughput decision support.
	Throughput *ThroughputData
}

// ThroughputData is a configuration's throughput section: the constrained resources
// with their capacity in minutes per period, the period's operating expenses,
// and each product's minutes on every resource and demand limit. Prices and
// material costs come from the items.
type ThroughputData struct {
	OperatingExpenses Money
	Resources         []Resource
	Products          []ThroughputProduct
	Line              int
}

// Resource is one constrained resource; the first listed is the bottleneck.
type Resource struct {
	Name     string
	Capacity Qty // minutes per period
}

// ThroughputProduct is one product's use of the resources.
type ThroughputProduct struct {
	Item    string
	Minutes []Qty // per unit, one per resource
	Demand  Qty   // zero: no limit
	Line    int
}

// DefaultBooks are the books kept when a configuration names none: sequential
// tracking and the four textbook backflush variants.
func DefaultBooks() []BookConfig {
	return []BookConfig{
		{Name: "sequential", Method: MethodSequential},
		{Name: "purchase+completion", Method: MethodBackflush, Triggers: TriggerPurchase | TriggerCompletion},
		{Name: "purchase+sale", Method: MethodBackflush, Triggers: TriggerPurchase | TriggerSale},
		{Name: "completion", Method: MethodBackflush, Triggers: TriggerCompletion},
		{Name: "sale", Method: MethodBackflush, Triggers: TriggerSale},
	}
}

// SameBooks reports whether b keeps a's books and close policy: a new
// configuration version may change standards, never the books the journal
// was kept in.
func (a *Config) SameBooks(b *Config) bool {
	if len(a.Books) != len(b.Books) || a.Close != b.Close {
		return false
	}
	for i := range a.Books {
		x, y := a.Books[i], b.Books[i]
		if x.Name != y.Name || x.Method != y.Method || x.Triggers != y.Triggers || x.Scope != y.Scope || x.Basis != y.Basis || x.External != y.External ||
			(x.LCNRV == nil) != (y.LCNRV == nil) || (x.LCNRV != nil && *x.LCNRV != *y.LCNRV) {
			return false
		}
	}
	return true
}
