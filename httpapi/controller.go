package httpapi

import (
	"net/http"
	"strconv"

	"github.com/backflush/backflush/report"
)

// The controller's reports: the costed BOM against a stored version, and
// throughput beside contribution at the limiting factor.

func (s *Server) getBOM(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	req := report.Request{Kind: report.KindBOM, Item: q.Get("item")}
	if v := q.Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return badRequest("version", "must be a version number from 1")
		}
		req.ProposedVersion = n
	}
	return s.report(w, req)
}

func (s *Server) getThroughput(w http.ResponseWriter, r *http.Request) error {
	req := report.Request{Kind: report.KindThroughput}
	switch v := r.URL.Query().Get("contribution"); v {
	case "", "false":
	case "true":
		req.Contribution = true
	default:
		return badRequest("contribution", "must be true or false")
	}
	return s.report(w, req)
}
