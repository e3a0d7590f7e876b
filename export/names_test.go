package export

import (
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
)

func TestAccountNames(t *testing.T) {
	var c bf.Chart
	c.Code[bf.FinishedGoods], c.Name[bf.FinishedGoods] = "1300", "Finished goods"
	c.Code[bf.Materials], c.Name[bf.Materials] = "1100", "Matières premières; stock (raw)"
	c.Name[bf.COGS] = "cost:of  sales"
	c.Code[bf.SalesRevenue] = "4000"
	tests := []struct {
		f    Format
		a    bf.Account
		want string
	}{
		{Ledger, bf.FinishedGoods, "Assets:Inventory:1300 Finished goods"},
		{Beancount, bf.FinishedGoods, "Assets:Inventory:1300-Finished-Goods"},
		{Ledger, bf.Materials, "Assets:Inventory:1100 Matières premières stock raw"},
		{Beancount, bf.Materials, "Assets:Inventory:1100-Matières-Premières-Stock-Raw"},
		{HLedger, bf.COGS, "Expenses:Cost of sales:cost-of sales"},
		{Beancount, bf.COGS, "Expenses:Cost-Of-Sales:Cost-Of-Sales"},
		{Ledger, bf.SalesRevenue, "Income:4000 Sales revenue"},
		{Ledger, bf.WIP, "Assets:Inventory:Work in process"},
		{Ledger, bf.InventoryAllowance, "Assets:Inventory:Inventory allowance"},
		{Ledger, bf.ConversionAllocated, "Expenses:Manufacturing overhead:Conversion allocated"},
		{Beancount, bf.AccountsPayable, "Liabilities:Accounts-Payable"},
		{Beancount, bf.AccountsReceivable, "Assets:Accounts-Receivable"},
		{Beancount, retained, "Equity:Retained-Earnings"},
	}
	for _, tt := range tests {
		if got := AccountName(tt.f, tt.a, &c); got != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.f, tt.a, got, tt.want)
		}
	}
	// Every default account has a root the tools know.
	for a := range numAccounts {
		for _, f := range []Format{Ledger, Beancount} {
			n := AccountName(f, bf.Account(a), nil)
			root, _, _ := strings.Cut(n, ":")
			switch root {
			case "Assets", "Liabilities", "Equity", "Income", "Expenses":
			default:
				t.Errorf("%s: %q has root %q", f, n, root)
			}
		}
	}
}

func TestOverlappingChartRefused(t *testing.T) {
	var c bf.Chart
	c.Name[bf.Materials], c.Name[bf.WIP] = "Stock", "Stock"
	used := make([]bool, numAccounts)
	used[bf.Materials], used[bf.WIP] = true, true
	_, err := accountNames(Ledger, &c, used)
	if err == nil || bf.ErrorKind(err) != bf.KindInvalid || !strings.Contains(err.Error(), "materials") {
		t.Fatalf("two accounts named alike: %v", err)
	}
	used[bf.WIP] = false
	if _, err := accountNames(Ledger, &c, used); err != nil {
		t.Fatalf("one of them unused: %v", err)
	}
}
