package export

import (
	"encoding/csv"
	"io"

	bf "github.com/backflush/backflush"
)

// CSVColumns are the columns of a CSV export, one row per journal line:
// the entry's date, number, event and memo, the account's code and name in
// the plant's chart, the debit or the credit (the other left empty), and
// the line's origin (item, BOM path, quantity).
var CSVColumns = []string{"date", "entry", "event", "memo", "account", "account_name", "debit", "credit", "item", "path", "qty"}

// writeCSV writes the journal as CSV (RFC 4180). Amounts are plain
// decimals at the currency's scale, so a spreadsheet or a loader reads them
// exactly.
func writeCSV(w io.Writer, m *model, c *bf.Chart) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	row := make([]string, len(CSVColumns))
	for i := range m.entries {
		e := &m.entries[i]
		for _, ln := range e.lines {
			debit, credit := "", ""
			if ln.amount > 0 {
				debit = ln.amount.Format(m.scale)
			} else {
				credit = (-ln.amount).Format(m.scale)
			}
			row[0], row[1], row[2], row[3] = e.date.String(), e.id, e.event, e.memo
			row[4], row[5] = AccountCode(ln.acct, c), AccountTitle(ln.acct, c)
			row[6], row[7] = debit, credit
			row[8], row[9], row[10] = ln.item, ln.path, ln.qty
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
