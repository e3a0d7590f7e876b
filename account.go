package backflush

// Account identifies a ledger account by its default id. A plant maps the ids
// to its own ledger codes and names in reports and exports (see Chart).
type Account uint8

// The default accounts. Their ids are the strings in accountIDs.
const (
	Materials              Account = iota // raw materials at standard (sequential)
	MaterialsInProcess                    // raw and in-process materials (backflush with a purchase trigger)
	WIP                                   // work in process and stocked sub-assemblies (sequential)
	FinishedGoods                         // finished goods at standard
	COGS                                  // cost of goods sold
	ConversionControl                     // actual conversion costs incurred
	ConversionAllocated                   // conversion allocated to products at standard (credit)
	AccountsPayable                       // owed to suppliers for materials
	ConversionPayable                     // owed for labour and overhead (wages, utilities…)
	SalesRevenue                          // sales at selling price (credit)
	AccountsReceivable                    // owed by customers
	PurchasePriceVariance                 // actual minus standard price of materials bought
	MaterialUsageVariance                 // count differences and other usage off the BOM
	ScrapLoss                             // standard cost of reported scrap
	FixedOverheadControl                  // actual fixed manufacturing overhead incurred
	FixedOverheadAllocated                // fixed overhead allocated to products at the budgeted rate (credit)
	SellingAdminVariable                  // marketing and administration that vary with units sold
	SellingAdminFixed                     // marketing and administration of the period
	AccruedExpenses                       // owed for marketing and administration
	InventoryAllowance                    // LCNRV write-downs of inventory on hand (contra-asset, credit)
	InventoryWritedown                    // the LCNRV loss (part of cost of sales)
	BackflushClearing                     // components issued but short in stock, held until re-processed (credit)
	NumAccounts                           // the number of default accounts
)

var accountIDs = [NumAccounts]string{
	"materials", "materials_in_process", "wip", "finished_goods", "cogs",
	"conversion_control", "conversion_allocated", "accounts_payable", "conversion_payable",
	"sales_revenue", "accounts_receivable", "purchase_price_variance", "material_usage_variance",
	"scrap_loss", "fixed_overhead_control", "fixed_overhead_allocated", "selling_admin_variable",
	"selling_admin_fixed", "accrued_expenses", "inventory_allowance", "inventory_writedown", "backflush_clearing",
}

// String returns the default id of the account.
func (a Account) String() string {
	if a < NumAccounts {
		return accountIDs[a]
	}
	return "?"
}

// ParseAccount returns the account with the given default id.
func ParseAccount(id string) (Account, bool) {
	for i, s := range accountIDs {
		if s == id {
			return Account(i), true
		}
	}
	return 0, false
}

// AccountClass groups accounts for statements.
type AccountClass uint8

// The account classes.
const (
	ClassInventory AccountClass = iota + 1 // an inventory asset
	ClassAsset                             // another asset
	ClassLiability                         // a liability
	ClassRevenue                           // revenue (income statement)
	ClassExpense                           // an expense or variance (income statement)
	ClassClearing                          // conversion control and allocated: cleared at close, expense until then
)

// Class returns the class of a default account.
func (a Account) Class() AccountClass {
	switch a {
	case Materials, MaterialsInProcess, WIP, FinishedGoods, InventoryAllowance:
		return ClassInventory
	case AccountsReceivable:
		return ClassAsset
	case AccountsPayable, ConversionPayable, AccruedExpenses, BackflushClearing:
		return ClassLiability
	case SalesRevenue:
		return ClassRevenue
	case ConversionControl, ConversionAllocated, FixedOverheadControl, FixedOverheadAllocated:
		return ClassClearing
	default:
		return ClassExpense
	}
}

// InventoryAccounts lists the inventory accounts, those of class
// ClassInventory, in balance-sheet order (their order as accounts):
// materials, materials-in-process, WIP, finished goods and the LCNRV
// allowance against them. It is the one list of inventory accounts; the
// statements, the comparisons and the reconciliations all read it.
var InventoryAccounts = accountsOfClass(ClassInventory)

func accountsOfClass(c AccountClass) []Account {
	var out []Account
	for a := Account(0); a < NumAccounts; a++ {
		if a.Class() == c {
			out = append(out, a)
		}
	}
	return out
}

// InventoryValue sums the balances of the inventory accounts: the book's
// total inventory, net of its LCNRV allowance.
func InventoryValue(bal [NumAccounts]Money) Money {
	var v Money
	for _, a := range InventoryAccounts {
		v += bal[a]
	}
	return v
}

// OperatingIncome is what balances say of operating income: minus the sum
// of every account that enters it (InIncome), that is revenue less every
// income-statement charge, conversion not yet closed included.
func OperatingIncome(bal [NumAccounts]Money) Money {
	var v Money
	for a := Account(0); a < NumAccounts; a++ {
		if a.InIncome() {
			v -= bal[a]
		}
	}
	return v
}

// InIncome reports whether the account's balance enters operating income.
// Conversion control net of allocated is conversion not yet inventoried: it is
// a period cost until the close disposes of it.
func (a Account) InIncome() bool {
	c := a.Class()
	return c == ClassRevenue || c == ClassExpense || c == ClassClearing
}

// Chart maps default account ids to a plant's own ledger codes and names.
type Chart struct {
	Code [NumAccounts]string // the plant's code for each account; the default id when empty
	Name [NumAccounts]string // a display name; empty for none
}

// CodeOf returns the plant's code for a, or its default id.
func (c *Chart) CodeOf(a Account) string {
	if c != nil && a < NumAccounts && c.Code[a] != "" {
		return c.Code[a]
	}
	return a.String()
}
