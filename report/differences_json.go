package report

// DifferenceJSON is a Difference in JSON: amounts as decimal strings.
type DifferenceJSON struct {
	Book            string   `json:"book"`
	Reference       string   `json:"reference"`
	MaterialsAndWIP string   `json:"materials_and_wip"`
	FinishedGoods   string   `json:"finished_goods"`
	Payable         string   `json:"payable"`
	COGS            string   `json:"cogs"`
	OtherExpenses   string   `json:"other_expenses"`
	OperatingIncome string   `json:"operating_income"`
	Reasons         []string `json:"reasons"`
}

// JSON renders the difference for JSON: amounts in the currency's scale.
func (d Difference) JSON(scale int) DifferenceJSON {
	return DifferenceJSON{Book: d.Book, Reference: d.Reference, MaterialsAndWIP: d.MaterialsAndWIP.Format(scale),
		FinishedGoods: d.FinishedGoods.Format(scale), Payable: d.Payable.Format(scale), COGS: d.COGS.Format(scale),
		OtherExpenses: d.OtherExpenses.Format(scale), OperatingIncome: d.OperatingIncome.Format(scale), Reasons: d.Reasons}
}
