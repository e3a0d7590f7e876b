package export

import (
	"strings"
	"unicode"
	"unicode/utf8"

	bf "github.com/backflush/backflush"
)

// retained is the account an opening entry carries earlier periods' income
// to. It is not a default account: Backflush books never close income
// accounts, but a journal of one period has to start from the balance sheet
// of the period before, and that balance sheet needs its equity.
const retained = bf.NumAccounts

// numAccounts counts the exported accounts: the defaults and retained.
const numAccounts = int(bf.NumAccounts) + 1

// defaultNames are the display names of accounts whose id does not read
// well on its own; the others are their id in words ("purchase price
// variance").
var defaultNames = map[bf.Account]string{
	bf.WIP:  "Work in process",
	bf.COGS: "Cost of goods sold",
}

// DefaultName returns the display name of an account when the chart gives
// none: its id in words, capitalised ("Materials in process").
func DefaultName(a bf.Account) string {
	if a == retained {
		return "Retained earnings"
	}
	if n, ok := defaultNames[a]; ok {
		return n
	}
	s := strings.ReplaceAll(a.String(), "_", " ")
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// AccountCode returns the plant's code of an account (its default id when
// the chart maps none).
func AccountCode(a bf.Account, c *bf.Chart) string {
	if a == retained {
		return "retained_earnings"
	}
	return c.CodeOf(a)
}

// AccountTitle returns the plant's name of an account: the chart's name,
// else the default name.
func AccountTitle(a bf.Account, c *bf.Chart) string {
	if c != nil && a < bf.NumAccounts && c.Name[a] != "" {
		return c.Name[a]
	}
	return DefaultName(a)
}

// label is the last component of an account's ledger name: the plant's code
// and name when the chart maps a code ("1300 Finished goods"), else the name
// alone, so an unmapped book still reads as words.
func label(a bf.Account, c *bf.Chart) string {
	name := AccountTitle(a, c)
	if c != nil && a < bf.NumAccounts && c.Code[a] != "" && c.Code[a] != name {
		return c.Code[a] + " " + name
	}
	return name
}

// group places an account in the five-root hierarchy every plain-text tool
// understands. The root follows the account's class; the middle level keeps
// related accounts together in balance reports. Contra accounts sit beside
// what they reduce (the LCNRV allowance under inventory, allocated
// conversion beside its control account), and the conversion clearing
// accounts under expenses: until a close clears them, their net is
// conversion not yet inventoried, a cost of the period (bf.Account.InIncome).
func group(a bf.Account) []string {
	switch a {
	case retained:
		return []string{"Equity"}
	case bf.COGS, bf.InventoryWritedown:
		return []string{"Expenses", "Cost of sales"}
	case bf.PurchasePriceVariance, bf.MaterialUsageVariance, bf.ScrapLoss:
		return []string{"Expenses", "Variances"}
	case bf.SellingAdminVariable, bf.SellingAdminFixed:
		return []string{"Expenses", "Selling and administration"}
	}
	switch a.Class() {
	case bf.ClassInventory:
		return []string{"Assets", "Inventory"}
	case bf.ClassAsset:
		return []string{"Assets"}
	case bf.ClassLiability:
		return []string{"Liabilities"}
	case bf.ClassRevenue:
		return []string{"Income"}
	case bf.ClassClearing:
		return []string{"Expenses", "Manufacturing overhead"}
	}
	return []string{"Expenses"}
}

// AccountName returns the name of an account in a plain-text format: for
// ledger and hledger words separated by single spaces
// ("Assets:Inventory:1300 Finished goods"); for beancount capitalised
// components joined by hyphens ("Assets:Inventory:1300-Finished-Goods"), as
// its grammar requires. Other formats get the ledger name.
func AccountName(f Format, a bf.Account, c *bf.Chart) string {
	parts := append(group(a), label(a, c))
	for i, p := range parts {
		if f == Beancount {
			parts[i] = beanComponent(p)
		} else {
			parts[i] = ledgerComponent(p)
		}
	}
	return strings.Join(parts, ":")
}

// ledgerComponent makes text safe as one component of a ledger or hledger
// account name: a colon would nest, two spaces or a tab would end the name,
// a semicolon would start a comment, and brackets or parentheses around a
// name make a virtual posting. Such a character becomes a hyphen between
// two words ("a:b" → "a-b") and a space elsewhere ("goods; raw" → "goods
// raw"); runs of spaces become one.
func ledgerComponent(s string) string {
	ok := func(r rune) bool {
		return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.&/'+#%", r)
	}
	rs := []rune(s)
	var b strings.Builder
	space := false
	for i, r := range rs {
		if !ok(r) {
			if !unicode.IsSpace(r) && i > 0 && i+1 < len(rs) && ok(rs[i-1]) && ok(rs[i+1]) {
				b.WriteByte('-')
				continue
			}
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return "Unnamed"
	}
	return b.String()
}

// beanComponent makes text a valid beancount account component: words of
// letters and digits, each capitalised, joined by hyphens. Beancount wants
// a component to start with a capital letter or a digit and to hold only
// letters, digits and hyphens.
func beanComponent(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[size:]
	}
	out := strings.Join(words, "-")
	if out == "" {
		return "Unnamed"
	}
	if r, _ := utf8.DecodeRuneInString(out); !unicode.IsUpper(r) && !unicode.IsDigit(r) {
		// A letter without a capital form (as in many scripts) cannot
		// start a component; a prefix keeps the name readable.
		out = "X-" + out
	}
	return out
}

// accountNames names every account in a format and refuses a chart that
// maps two accounts to one name, or one account inside another: the tools
// would merge them and the balances would no longer match the book.
func accountNames(f Format, c *bf.Chart, used []bool) ([numAccounts]string, error) {
	var names [numAccounts]string
	var list []int
	for a := range numAccounts {
		names[a] = AccountName(f, bf.Account(a), c)
		if used[a] {
			list = append(list, a)
		}
	}
	// Few accounts: every pair is compared, since a sorted scan would miss
	// "A:B" inside "A:B:C" when "A:B C" sorts between them.
	for i, a := range list {
		for _, b := range list[i+1:] {
			x, y := names[a], names[b]
			if x == y || strings.HasPrefix(y, x+":") || strings.HasPrefix(x, y+":") {
				return names, bf.E("export", bf.KindInvalid, bf.Field("accounts"),
					"accounts "+AccountCode(bf.Account(a), c)+" ("+x+") and "+AccountCode(bf.Account(b), c)+
						" ("+y+") overlap as "+f.String()+" accounts; give them different codes or names in the chart")
			}
		}
	}
	return names, nil
}
