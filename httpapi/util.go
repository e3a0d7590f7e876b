package httpapi

import (
	"net/http"
	"net/url"
	"strconv"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/service"
)

// Pagination. Pages are numbered from 1; a limit above MaxLimit is refused
// rather than clamped, so a client never mistakes a short page for the end.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// pageInfo is the pagination part of a paginated response.
type pageInfo struct {
	Page  int `json:"page"`
	Limit int `json:"limit"`
	Total int `json:"total"` // items matching the filters, over all pages
	Pages int `json:"pages"`
}

// infoOf describes a page of total items.
func infoOf(p service.Page, total int) pageInfo {
	return pageInfo{Page: p.Number, Limit: p.Limit, Total: total, Pages: p.Pages(total)}
}

// parsePaging reads the page and limit query parameters.
func parsePaging(q url.Values, defLimit int) (service.Page, error) {
	p := service.Page{Number: 1, Limit: defLimit}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, badRequest("page", "must be a whole number from 1")
		}
		p.Number = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxLimit {
			return p, badRequest("limit", "must be a whole number from 1 to "+itoa(MaxLimit))
		}
		p.Limit = n
	}
	return p, nil
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

// noStore marks a response as not to be cached: books change with every batch.
func noStore(w http.ResponseWriter) { w.Header().Set("Cache-Control", "no-store") }
