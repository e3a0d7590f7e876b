package report

import (
	"encoding/json"
	"io"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// JSONReport is the JSON document of `backflush run --format json`. Amounts
// are decimal strings at the currency's scale; a balance is debit minus credit.
type JSONReport struct {
	Name       string        `json:"name,omitempty"`
	Currency   string        `json:"currency"`
	Books      []JSONBook    `json:"books"`
	Comparison []JSONSummary `json:"comparison"`
}

// JSONBook is one book with its journal and balances.
type JSONBook struct {
	Name     string            `json:"name"`
	Method   string            `json:"method"`
	Triggers []string          `json:"triggers"`
	Entries  []JSONEntry       `json:"entries"`
	Balances map[string]string `json:"balances"`
}

// JSONEntry is one journal entry.
type JSONEntry struct {
	ID    int        `json:"id"`
	Date  string     `json:"date"`
	Event string     `json:"event"`
	Kind  string     `json:"kind"`
	Memo  string     `json:"memo"`
	Lines []JSONLine `json:"lines"`
}

// JSONLine is one posting with its origin (item, BOM path, quantity).
type JSONLine struct {
	Account string `json:"account"`
	Debit   string `json:"debit"`
	Credit  string `json:"credit"`
	Item    string `json:"item,omitempty"`
	Path    string `json:"path,omitempty"`
	Qty     string `json:"qty,omitempty"`
}

// JSONSummary is one book's row of the comparison.
type JSONSummary struct {
	Book               string            `json:"book"`
	Entries            int               `json:"entries"`
	Inventory          map[string]string `json:"inventory"`
	TotalInventory     string            `json:"total_inventory"`
	Revenue            string            `json:"revenue"`
	COGS               string            `json:"cogs"`
	Expenses           string            `json:"expenses"`
	OperatingIncome    string            `json:"operating_income"`
	ConversionVariance string            `json:"conversion_variance"`
	OpenConversion     string            `json:"open_conversion"`
}

// entryKindIDs names entry kinds in JSON.
var entryKindIDs = map[bf.EntryKind]string{
	bf.EntryReceipt: "receipt", bf.EntryIssue: "issue", bf.EntryConversion: "conversion",
	bf.EntryAllocate: "allocate", bf.EntryTransfer: "transfer", bf.EntryBackflush: "backflush",
	bf.EntryScrap: "scrap", bf.EntryResidue: "residue", bf.EntryRevenue: "revenue",
	bf.EntryCostOfSale: "cost_of_sale", bf.EntryCount: "count", bf.EntryClose: "close",
	bf.EntryExpense: "expense", bf.EntryWritedown: "lcnrv", bf.EntryActual: "true_up",
	bf.EntryActualIssue: "actual_issue", bf.EntryActualConversion: "actual_conversion", bf.EntryManufactured: "manufactured",
	bf.EntryQueued: "queued", bf.EntryReversal: "reversal", bf.EntryShare: "share",
}

// BuildJSON derives the JSON document from a ledger.
func BuildJSON(l *costing.Ledger, o Options) JSONReport {
	scale := l.Std.Scale
	r := JSONReport{Name: o.Title, Currency: l.Std.Plant.Currency.Code, Books: []JSONBook{}}
	for _, b := range o.books(l) {
		jb := JSONBook{Name: b.Config.Name, Method: b.Config.Method.String(), Triggers: b.Config.Triggers.Names(),
			Entries: make([]JSONEntry, 0, b.Journal.Len()), Balances: map[string]string{}}
		if jb.Triggers == nil {
			jb.Triggers = []string{}
		}
		for i := range b.Journal.Len() {
			jb.Entries = append(jb.Entries, EntryOf(l, b, i).JSON(o.Chart, scale))
		}
		for _, row := range TrialBalanceOf(b, o.Chart).Rows {
			jb.Balances[row.Code] = row.Balance.Format(scale)
		}
		r.Books = append(r.Books, jb)
	}
	for _, b := range l.Books {
		s := Summarize(b)
		js := JSONSummary{Book: s.Name, Entries: s.Entries, Inventory: map[string]string{},
			TotalInventory: s.TotalInventory.Format(scale), Revenue: s.Revenue.Format(scale), COGS: s.COGS.Format(scale),
			Expenses: s.Expenses.Format(scale), OperatingIncome: s.OperatingIncome.Format(scale),
			ConversionVariance: s.ConversionVariance.Format(scale), OpenConversion: s.OpenConversion.Format(scale)}
		for a, v := range s.Inventory {
			js.Inventory[o.Chart.CodeOf(a)] = v.Format(scale)
		}
		r.Comparison = append(r.Comparison, js)
	}
	return r
}

// WriteJSON writes the JSON document, indented.
func WriteJSON(w io.Writer, l *costing.Ledger, o Options) error {
	if err := l.History("report"); err != nil { // a streaming ledger has no journal to read
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(BuildJSON(l, o))
}
