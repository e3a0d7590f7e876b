package httpapi

import (
	"net/http"
	"net/url"
	"strconv"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/report"
)

// Pagination. Pages are numbered from 1; a limit above MaxLimit is refused
// rather than clamped, so a client never mistakes a short page for the end.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// paging is a request's page and limit.
type paging struct{ page, limit int }

// pageInfo is the pagination part of a paginated response.
type pageInfo struct {
	Page  int `json:"page"`
	Limit int `json:"limit"`
	Total int `json:"total"` // items matching the filters, over all pages
	Pages int `json:"pages"`
}

func parsePaging(q url.Values, defLimit int) (paging, error) {
	p := paging{page: 1, limit: defLimit}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, badRequest("page", "must be a whole number from 1")
		}
		p.page = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxLimit {
			return p, badRequest("limit", "must be a whole number from 1 to "+itoa(MaxLimit))
		}
		p.limit = n
	}
	return p, nil
}

// slice returns the bounds of the page within total items, and its info.
func (p paging) slice(total int) (lo, hi int, info pageInfo) {
	info = pageInfo{Page: p.page, Limit: p.limit, Total: total, Pages: (total + p.limit - 1) / p.limit}
	lo = min((p.page-1)*p.limit, total)
	if p.page-1 > total/p.limit { // guards the multiplication against huge page numbers
		lo = total
	}
	hi = min(lo+p.limit, total)
	return lo, hi, info
}

// dateParam parses an optional date query parameter or body field.
func dateParam(field, v string) (bf.Date, error) {
	if v == "" {
		return 0, nil
	}
	d, why := bf.ParseDate(v)
	if why != "" {
		return 0, badRequest(field, why)
	}
	return d, nil
}

// requiredDate parses a date that must be given.
func requiredDate(field, v string) (bf.Date, error) {
	if v == "" {
		return 0, badRequest(field, "is missing: a date of the form YYYY-MM-DD")
	}
	return dateParam(field, v)
}

// bookOf returns the named book, or a 404 listing the books.
func bookOf(l *costing.Ledger, name string) (*costing.Book, error) {
	if err := report.CheckBook(l, name); err != nil {
		return nil, err
	}
	return l.Book(name), nil
}

// accountOf resolves an account by its default id or the plant's own code.
func accountOf(chart *bf.Chart, id string) (bf.Account, error) {
	if a, ok := bf.ParseAccount(id); ok {
		return a, nil
	}
	for a := bf.Account(0); a < bf.NumAccounts; a++ {
		if chart.CodeOf(a) == id {
			return a, nil
		}
	}
	return 0, bf.E("account", bf.KindNotFound, bf.Field("account"), "no account "+id+" (accounts are named by their default id, e.g. materials, or the plant's code)")
}

// entriesOf returns the indexes of a book's entries made by event ev.
// Entries are appended in posting order, so their event indexes never
// decrease and a binary search finds the run.
func entriesOf(b *costing.Book, ev int32) (lo, hi int) {
	j := &b.Journal
	lo = searchEntries(j, func(e *bf.Entry) bool { return e.Event >= ev })
	hi = searchEntries(j, func(e *bf.Entry) bool { return e.Event > ev })
	return lo, hi
}

func searchEntries(j *bf.Journal, f func(*bf.Entry) bool) int {
	lo, hi := 0, j.Len()
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if !f(j.Entry(m)) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// noStore marks a response as not to be cached: books change with every batch.
func noStore(w http.ResponseWriter) { w.Header().Set("Cache-Control", "no-store") }
