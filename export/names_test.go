package export

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

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

// beanComponentRE is a beancount account component after the root: a
// capital or a digit (or any non-ASCII character), then letters, digits,
// hyphens (beancount's lexer).
var beanComponentRE = regexp.MustCompile(`^([A-Z0-9]|[^\x00-\x7f])([A-Za-z0-9-]|[^\x00-\x7f])*$`)

// FuzzAccountName: whatever a chart names an account, the ledger name has
// no character that would end, nest or comment it, and every beancount
// component is valid.
func FuzzAccountName(f *testing.F) {
	for _, s := range []string{"Finished goods", "Matières premières; stock (raw)", "a:b", "  [x]  ", "ß", "١٢٣", "", ";;", "e\u0301t\u00e9"} {
		f.Add("1300", s)
	}
	f.Fuzz(func(t *testing.T, code, name string) {
		if !utf8.ValidString(code) || !utf8.ValidString(name) {
			return
		}
		var c bf.Chart
		c.Code[bf.FinishedGoods], c.Name[bf.FinishedGoods] = code, name
		l := AccountName(Ledger, bf.FinishedGoods, &c)
		parts := strings.Split(l, ":")
		if len(parts) != 3 || parts[0] != "Assets" {
			t.Fatalf("ledger name %q", l)
		}
		last := parts[2]
		if last == "" || strings.ContainsAny(last, ";\t\n\r()[]{}") || strings.Contains(last, "  ") ||
			strings.HasPrefix(last, " ") || strings.HasSuffix(last, " ") {
			t.Fatalf("ledger component %q", last)
		}
		for _, p := range strings.Split(AccountName(Beancount, bf.FinishedGoods, &c), ":")[1:] {
			if !beanComponentRE.MatchString(p) {
				t.Fatalf("beancount component %q", p)
			}
		}
	})
}
