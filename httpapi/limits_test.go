package httpapi_test

import (
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
)

// TestMoneyCannotOverflow is issue 13 through the API: a conversion cost
// of 50,000,000,000,000,000 and an equal fixed expense were accepted, and
// the trial balance then showed total_debit -84467440734485514.16. The
// batch is refused as invalid (400), naming the event, the field, the
// account and the limit, and nothing of it reaches the books; amounts that
// each fit but together pass a balance's limit are refused at the one that
// would pass it, and the trial balance stays exact.
func TestMoneyCannotOverflow(t *testing.T) {
	e := newEnv(t)
	op := e.secret[bf.Operator]
	_, before := e.do("GET", "/api/v1/books/seq/trial-balance", op, "")
	ae := e.wantErr("POST", "/api/v1/events", op, `[
{"id":"ov-p","date":"2026-01-20","type":"purchase","item":"dm","qty":"5","unit_cost":"1"},
{"id":"ov-c","date":"2026-01-20","type":"conversion_cost","amount":"50000000000000000"},
{"id":"ov-x","date":"2026-01-20","type":"expense","amount":"50000000000000000","behavior":"fixed"}]`, 400, "invalid", "amount")
	want := "the balance of conversion_control in book seq would exceed 1,441,151,880,758,558.71 USD, the largest amount a book holds"
	if ae.Event != "ov-c" || !strings.Contains(ae.Message, want) {
		t.Errorf("error %+v, want event ov-c and %q", ae, want)
	}
	if _, after := e.do("GET", "/api/v1/books/seq/trial-balance", op, ""); string(after) != string(before) {
		t.Errorf("a refused batch changed the trial balance:\n%s\n%s", before, after)
	}
	var h struct{ Events int }
	e.getJSON("/healthz", &h)
	if h.Events != 6 {
		t.Errorf("the log holds %d events after the refused batch, want 6", h.Events)
	}

	// 1,000,000,000,000,000.00 fits a balance; twice that does not.
	big := `{"id":"%s","date":"2026-01-21","type":"expense","amount":"1000000000000000","behavior":"fixed"}`
	if st, b := e.do("POST", "/api/v1/events", op, "["+strings.Replace(big, "%s", "ov-x2", 1)+"]"); st != 200 {
		t.Fatalf("the first expense: %d %s", st, b)
	}
	ae = e.wantErr("POST", "/api/v1/events", op, "["+strings.Replace(big, "%s", "ov-x3", 1)+"]", 400, "invalid", "amount")
	if ae.Event != "ov-x3" || !strings.Contains(ae.Message, "the balance of selling_admin_fixed in book seq would exceed") {
		t.Errorf("error %+v, want event ov-x3 and the balance of selling_admin_fixed", ae)
	}
	var tb struct {
		TotalDebit  string `json:"total_debit"`
		TotalCredit string `json:"total_credit"`
	}
	e.getJSON("/api/v1/books/seq/trial-balance", &tb)
	if tb.TotalDebit != tb.TotalCredit || strings.HasPrefix(tb.TotalDebit, "-") || !strings.HasPrefix(tb.TotalDebit, "1000000000") {
		t.Errorf("trial balance totals %+v after the refused expense", tb)
	}
}
