package httpapi

import (
	"net/http"

	bf "github.com/backflush/backflush"
)

// opDoc is what the OpenAPI document says of a route. It is given where
// the route is registered, so that a route cannot exist without it (and
// TestOpenAPICoversRoutes fails when one is missing or incomplete).
type opDoc struct {
	summary string
	desc    string
	tag     string
	query   []param // the query parameters; any other is refused with 400
	body    string  // the components schema of a JSON request body; "" for none
	form    bool    // the body is an HTML form (login)
	status  int     // the success status; 200 when zero
	resp    string  // the components schema of the success body, or "html", "text", "redirect", "" (none)
	errs    []int   // the error statuses the route may answer besides 401/403 and 500
}

// param is a query parameter.
type param struct {
	name, typ, desc string // typ: string, integer or date
}

// Query parameters shared by several routes.
var (
	pPage  = param{"page", "integer", "the page, from 1"}
	pLimit = param{"limit", "integer", "entries per page, 1 to 1000 (100 by default)"}
	pFrom  = param{"from", "date", "only from this date (YYYY-MM-DD, inclusive)"}
	pTo    = param{"to", "date", "only up to this date (YYYY-MM-DD, inclusive)"}
	pBook  = param{"book", "string", "only this book"}
	pPrev  = param{"previous", "boolean", "true: the books as they stood before the last re-costing (404 when there was none)"}
)

// Query parameters of the income statements' columns layout.
var (
	pLayout    = param{"layout", "string", "statements (one statement per book and period, the default) or columns (the periods as columns, with the year to date)"}
	pYearStart = param{"fiscal_year_start", "string", "with layout=columns: the fiscal year's first day, MM-DD (01-01 by default)"}
)

const (
	tagService   = "service"
	tagPlant     = "plant"
	tagEvents    = "events"
	tagBooks     = "books"
	tagReports   = "reports"
	tagQueue     = "queue"
	tagTokens    = "tokens"
	tagDashboard = "dashboard"
)

// register registers every route. Each names its least role: viewer reads,
// operator posts shop-floor events and re-processes the queue, controller
// closes periods, reverses events and changes standards, admin manages
// tokens.
func (s *Server) register() {
	const v1 = "/api/v1"
	get := func(path string, role bf.Role, d opDoc, h handlerFunc) {
		s.handle(Route{Method: http.MethodGet, Path: path, Role: role, doc: d}, h)
	}
	post := func(path string, role bf.Role, limit int64, d opDoc, h handlerFunc) {
		s.handle(Route{Method: http.MethodPost, Path: path, Role: role, Limit: limit, doc: d}, h)
	}
	missing := []int{400, 404}

	get("/healthz", 0, opDoc{tag: tagService, summary: "Liveness: the books are loaded", resp: "Health"}, s.healthz)
	get("/metrics", 0, opDoc{tag: tagService, summary: "Prometheus metrics (text exposition format)",
		desc: "http_requests_total{method,route,code}, http_request_duration_seconds{method,route} (histogram), events_ingested_total, events_duplicate_total, ingest_batches_total and the books_events gauge.",
		resp: "text"}, s.metricsPage)
	get("/openapi.json", 0, opDoc{tag: tagService, summary: "This OpenAPI 3.0 document", resp: "OpenAPI"}, s.openAPI)

	get(v1+"/plant", bf.Viewer, opDoc{tag: tagPlant, summary: "The plant: items with BOMs and standards, books, configuration versions",
		desc: "Master data of the newest configuration version.", resp: "Plant"}, s.getPlant)
	get(v1+"/versions", bf.Viewer, opDoc{tag: tagPlant, summary: "Configuration versions with their documents", resp: "Versions"}, s.getVersions)
	post(v1+"/versions", bf.Controller, 0, opDoc{tag: tagPlant, summary: "Re-cost: add a configuration version effective from a date",
		desc: "The document is a scenario YAML (items, books, close, accounts) keeping the books of the first version. Events from the effective date on are re-costed by replay; the journal as it stood before stays readable. The effective date must be after the last close (409 closed_period otherwise).",
		body: "RecostRequest", status: 201, resp: "Version", errs: []int{400, 404, 409, 413}}, s.postVersion)

	post(v1+"/events", bf.Operator, EventsBodyLimit, opDoc{tag: tagEvents, summary: "Post a batch of events, all or nothing",
		desc: "The body is a JSON array of event objects, or JSON Lines (one event object a line); up to 16 MiB. Values are strings or numbers, read exactly (never as floats). The batch is applied entirely or not at all and is durable when the answer comes. An id already in the log with the same content is skipped (counted in duplicates); with other content the batch is refused (409 conflict). An error names the event, its line in the body, its index in the batch and the field.",
		body: "EventBatch", resp: "BatchResult", errs: []int{400, 404, 409, 413, 422}}, s.postEvents)
	get(v1+"/events", bf.Viewer, opDoc{tag: tagEvents, summary: "The event log, paginated, oldest first",
		query: []param{pPage, pLimit, {"type", "string", "only events of this type"}, {"item", "string", "only events of this item"}, pFrom, pTo},
		resp:  "EventPage", errs: missing}, s.getEvents)
	get(v1+"/events/{id}", bf.Viewer, opDoc{tag: tagEvents, summary: "One event with every book's entries for it",
		resp: "EventDetail", errs: []int{404}}, s.getEvent)
	post(v1+"/events/{id}/reverse", bf.Controller, 0, opDoc{tag: tagEvents, summary: "Reverse an event: post a reverse event dated in the open period",
		desc: "Undoes the event exactly in every book (a reversed backflush returns the component quantities and costs it relieved). Give an id to make a retry safe; otherwise one is generated.",
		body: "ReverseRequest", resp: "Posted", errs: []int{400, 404, 409, 413}}, s.postReverse)

	get(v1+"/books", bf.Viewer, opDoc{tag: tagBooks, summary: "Every book side by side: inventory, revenue, COGS, operating income",
		resp: "Books"}, s.getBooks)
	get(v1+"/books/{book}/journal", bf.Viewer, opDoc{tag: tagBooks, summary: "A book's journal, paginated, filtered by account, event or dates",
		query: []param{pPage, pLimit, {"account", "string", "only entries with a line on this account (default id or the plant's code)"},
			{"event", "string", "only entries of this event"}, pFrom, pTo, pPrev},
		resp: "JournalPage", errs: missing}, s.getJournal)
	get(v1+"/books/{book}/trial-balance", bf.Viewer, opDoc{tag: tagBooks, summary: "A book's trial balance",
		query: []param{pPrev}, resp: "TrialBalance", errs: []int{400, 404}}, s.getTrialBalance)
	get(v1+"/books/{book}/accounts/{account}", bf.Viewer, opDoc{tag: tagBooks, summary: "Drill-down: every line that moved an account, with its event, rule and BOM component",
		query: []param{pPage, pLimit, {"event", "string", "only the lines of this event"}},
		resp:  "AccountMovements", errs: missing}, s.getAccount)

	get(v1+"/books/{book}/export", bf.Viewer, opDoc{tag: tagBooks, summary: "Download a book's journal for ledger, hledger, beancount, a spreadsheet or Excel",
		desc:  "What backflush export writes, from the books the server keeps: a ledger-cli or hledger journal, a beancount file, one CSV row per journal line, or an Excel workbook (journal, trial balance, income statements); the whole journal or one period. Sent as an attachment named after the plant, the book and the period.",
		query: []param{{"format", "string", "ledger, hledger, beancount, csv or xlsx (required)"}, {"period", "integer", "only this period, from 1 (periods end at close events)"}, pPrev},
		resp:  "download", errs: missing}, s.getExport)

	get(v1+"/reports/income", bf.Viewer, opDoc{tag: tagReports, summary: "Income statements per book and period in each method's format",
		query: []param{pBook, pLayout, pYearStart}, resp: "Report", errs: missing}, s.getIncome)
	get(v1+"/reports/reconcile", bf.Viewer, opDoc{tag: tagReports, summary: "Reconciliations between methods and of backflush books to GAAP",
		query: []param{{"materiality", "string", "materiality threshold in percent (5 by default)"}, {"gaap", "string", "the GAAP reference book"}},
		resp:  "Report", errs: missing}, s.getReconcile)
	get(v1+"/reports/process", bf.Viewer, opDoc{tag: tagReports, summary: "Process costing of an actual-cost book",
		query: []param{{"book", "string", "the actual-cost book (the first fifo or weighted_average book by default)"}, {"item", "string", "only this item"}},
		resp:  "Report", errs: missing}, s.getProcess)
	get(v1+"/reports/lcnrv", bf.Viewer, opDoc{tag: tagReports, summary: "The lower of cost and net realizable value test",
		query: []param{{"book", "string", "the book (the first sequential book by default)"}, {"basis", "string", "item, class or total"}, {"standard", "string", "us_gaap or ias2"}},
		resp:  "Report", errs: missing}, s.getLCNRV)
	get(v1+"/reports/variances", bf.Viewer, opDoc{tag: tagReports, summary: "A book's variances by period, item and cause, reconciled to its variance accounts",
		desc:  "Material price (at purchase), material usage (from counts), WIP rounding residue, scrap, conversion in total (events record no hours: no rate or efficiency split) and fixed overhead (spending and production volume where budgeted); each line names its period, item, cause, direction and events. A total per account reconciles to the book to the cent.",
		query: []param{{"book", "string", "the book (the GAAP book by default, else the first standard-cost book; the answer says which)"}},
		resp:  "Report", errs: missing}, s.getVariances)

	// The controller's reports (controller.go).
	get(v1+"/reports/bom", bf.Viewer, opDoc{tag: tagReports, summary: "The costed BOM, and the effect of a proposed configuration version",
		desc:  "Every level of the item's BOM (phantoms shown as such) with quantities including scrap, unit and extended costs, conversion by level, and totals equal to the rolled-up standard, at the standards the books use. With version, that stored configuration version's standards against them: per item the rolled-up standard before and after, and the revaluation of inventory on hand.",
		query: []param{{"item", "string", "the item (every finished item by default)"}, {"version", "integer", "a configuration version to set against the standards in use"}},
		resp:  "Report", errs: missing}, s.getBOM)
	get(v1+"/reports/throughput", bf.Viewer, opDoc{tag: tagReports, summary: "Throughput per bottleneck minute, ranking and best mix; contribution per minute of the limiting factor beside it",
		desc:  "From the throughput section of the configuration version the books use (400 when it has none).",
		query: []param{{"contribution", "boolean", "true: also contribution (price − materials − variable conversion) per minute, its ranking and mix, and the profit of each mix with the same fixed costs"}},
		resp:  "Report", errs: []int{400}}, s.getThroughput)

	get(v1+"/queue", bf.Viewer, opDoc{tag: tagQueue, summary: "The failed-backflush queue: component shortfalls waiting for stock",
		resp: "Queue"}, s.getQueue)
	post(v1+"/queue/reprocess", bf.Operator, 0, opDoc{tag: tagQueue, summary: "Re-process the queue (of one item, or all) with the stock on hand",
		desc: "Posts a reprocess event; give an id to make a retry safe, otherwise one is generated.",
		body: "ReprocessRequest", resp: "Posted", errs: []int{400, 404, 409, 413}}, s.postReprocess)
	post(v1+"/periods/close", bf.Controller, 0, opDoc{tag: tagQueue, summary: "Close the period through a date",
		desc: "Posts a close event. Refused (409 conflict) while the failed-backflush queue holds entries, unless a reason is given, which stays on record. Events dated on or before a close are refused afterwards (409 closed_period).",
		body: "CloseRequest", resp: "Posted", errs: []int{400, 409, 413}}, s.postClose)

	get(v1+"/tokens", bf.Admin, opDoc{tag: tagTokens, summary: "API tokens (their hashes, names and roles; never secrets)",
		resp: "Tokens"}, s.getTokens)
	post(v1+"/tokens", bf.Admin, 0, opDoc{tag: tagTokens, summary: "Create a token; the answer holds its secret, shown this once",
		body: "TokenRequest", status: 201, resp: "Token", errs: []int{400, 413}}, s.postToken)
	s.handle(Route{Method: http.MethodDelete, Path: v1 + "/tokens/{hash}", Role: bf.Admin, doc: opDoc{tag: tagTokens,
		summary: "Delete a token: it stops working at once", status: 204, errs: []int{404}}}, s.deleteToken)

	s.registerPages()
}
