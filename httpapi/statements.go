package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"

	bf "github.com/backflush/backflush"
)

// The statements pages show the controller's reports — income statements
// with the periods as columns and the year to date, the reconciliation of
// each backflush book to GAAP, variances, the costed BOM, LCNRV,
// throughput, process costing — by calling the API's own handler for the
// report and laying its JSON answer out as tables. No figure is worked out
// here: a page shows exactly what GET /api/v1/reports/KIND answers for the
// same query (the browser test checks it amount by amount), and a report
// that lands in the API appears here by adding one line to statementKinds.

// statement is one report the dashboard shows.
type statement struct {
	Kind, Title, About string
	api                func(s *Server, w http.ResponseWriter, r *http.Request) error // the API route's handler
	defaults           url.Values                                                    // query defaults of the page, where they differ from the API's
	query              []param                                                       // the API route's query parameters (set at registration)
}

var statementKinds = []statement{
	{"income", "Income statements", "each book's income statement with the periods as columns and a year-to-date column after each fiscal year's, in the book's own format (absorption, variable, throughput)", (*Server).getIncome, url.Values{"layout": {"columns"}}, nil},
	{"reconcile", "Reconciliation to GAAP", "each backflush book against the GAAP book: the inventory and income gaps, their causes, whether they are material, and the adjusting entries that bring the book to GAAP; and the reconciliations between methods", (*Server).getReconcile, nil, nil},
	{"variances", "Variances", "a book's variances by period, item and cause, each with the events behind it, and a total per account reconciled to the book to the cent", (*Server).getVariances, nil, nil},
	{"bom", "Costed BOM", "every level of each finished item's BOM with quantities including scrap, unit and extended costs, and totals equal to the rolled-up standard", (*Server).getBOM, nil, nil},
	{"lcnrv", "Lower of cost and net realizable value", "the LCNRV test of a book: cost against net realizable value per group, the allowance required and held", (*Server).getLCNRV, nil, nil},
	{"throughput", "Throughput", "throughput per unit and per bottleneck minute, the ranking and the best mix", (*Server).getThroughput, nil, nil},
	{"process", "Process costing", "process costing of an actual-cost (FIFO or weighted-average) book in the textbook's five steps", (*Server).getProcess, nil, nil},
}

// registerStatements registers the statements pages, each taking the query
// parameters of its API route.
func (s *Server) registerStatements(page func(path, nav string, d opDoc, h handlerFunc)) {
	page("/statements", "statements", opDoc{summary: "The controller's statements: the reports the dashboard shows"}, s.statementsPage)
	for _, st := range statementKinds {
		var query []param
		for _, r := range s.routes {
			if r.Method == http.MethodGet && r.Path == "/api/v1/reports/"+st.Kind {
				query = r.doc.query
			}
		}
		st.query = query
		page("/statements/"+st.Kind, "statements", opDoc{summary: st.Title + ": " + st.About + " (the API's report laid out as tables)",
			query: query, errs: []int{400, 404}}, s.statementPage(st))
	}
}

type statementLink struct{ Href, Title, About string }

func (s *Server) statementsPage(w http.ResponseWriter, r *http.Request) error {
	var links []statementLink
	for _, st := range statementKinds {
		links = append(links, statementLink{"/statements/" + st.Kind, st.Title, st.About})
	}
	return s.render(w, r, http.StatusOK, "statements", "Statements", "statements", links)
}

// reportBody is a statements page: the report's sections, or why the books
// keep no such report.
type reportBody struct {
	Kind, About, API string
	Sections         []*rsec
	Missing          string // the plant's books keep no such report: why
	Query            []field
	Params           []paramInput // the form choosing the report's parameters
}

// paramInput is a field of a report's parameter form.
type paramInput struct {
	Name, Label, Desc, Type, Value string
	Choices                        []string // a closed set of values, for a select
}

// paramInputs lays out the form of a report's query parameters, each
// holding its value in q; a book is chosen among the plant's books.
func paramInputs(ps []param, q url.Values, books []string) []paramInput {
	var out []paramInput
	for _, p := range ps {
		in := paramInput{Name: p.name, Label: humanize(p.name), Desc: p.desc, Type: "text", Value: q.Get(p.name)}
		if p.name == "book" || p.name == "gaap" {
			in.Choices = append([]string{""}, books...)
		}
		switch p.typ {
		case "date":
			in.Type = "date"
		case "integer":
			in.Type = "number"
		case "boolean":
			in.Choices = []string{"", "true", "false"}
		}
		if p.name == "layout" {
			in.Choices = []string{"columns", "statements"}
		}
		out = append(out, in)
	}
	return out
}

func (s *Server) statementPage(st statement) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		for k, v := range q { // an empty field of the form is the default
			if len(v) == 0 || v[0] == "" {
				delete(q, k)
			}
		}
		asked := len(q) > 0
		for k, v := range st.defaults {
			if !q.Has(k) {
				q[k] = v
			}
		}
		api := "/api/v1/reports/" + st.Kind
		if len(q) > 0 {
			api += "?" + q.Encode()
		}
		body := reportBody{Kind: st.Kind, About: strings.ToUpper(st.About[:1]) + st.About[1:], API: api, Params: paramInputs(st.query, q, s.bookNames())}
		for _, k := range slices.Sorted(maps.Keys(q)) {
			if v := q.Get(k); st.defaults.Get(k) != v {
				body.Query = append(body.Query, field{Label: k, Value: v})
			}
		}
		data, err := callJSON(func(w http.ResponseWriter, r *http.Request) error { return st.api(s, w, r) }, r, q)
		if err != nil {
			status, eb := describe(err)
			// A report the books cannot give (no throughput section, no
			// actual-cost book) is a fact about the plant, said in a
			// sentence; a bad parameter the user gave is an error.
			if asked || (status != http.StatusBadRequest && status != http.StatusNotFound) {
				return err
			}
			body.Missing = eb.Message
		} else {
			v, err := decodeOrdered(data)
			if err != nil {
				return err
			}
			body.Sections = layoutReport(v)
		}
		return s.render(w, r, http.StatusOK, "report", st.Title, "statements", body)
	}
}

// bookNames lists the plant's books in order.
func (s *Server) bookNames() []string {
	var out []string
	for _, b := range s.svc.Books() {
		out = append(out, b.Config.Name)
	}
	return out
}

// callJSON runs an API handler for a request with the query q and returns
// the JSON it answers; an error it returns is returned as is.
func callJSON(h handlerFunc, r *http.Request, q url.Values) ([]byte, error) {
	r2 := r.Clone(r.Context())
	u := *r.URL
	u.RawQuery = q.Encode()
	r2.URL = &u
	rec := &bufferWriter{header: http.Header{}}
	if err := h(rec, r2); err != nil {
		return nil, err
	}
	if rec.status != 0 && rec.status != http.StatusOK {
		return nil, bf.E("report", bf.KindInternal, "the report answered status "+itoa(rec.status))
	}
	return rec.buf.Bytes(), nil
}

// bufferWriter is an http.ResponseWriter that keeps the body.
type bufferWriter struct {
	header http.Header
	status int
	buf    bytes.Buffer
}

func (b *bufferWriter) Header() http.Header         { return b.header }
func (b *bufferWriter) Write(p []byte) (int, error) { return b.buf.Write(p) }
func (b *bufferWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

// jval is a JSON value decoded with the order of its object keys kept, so
// that tables show the columns in the order the report gives them.
type jval struct {
	kind   byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null
	text   string
	keys   []string
	fields map[string]*jval
	items  []*jval
}

func decodeOrdered(data []byte) (*jval, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return decodeValue(dec)
}

func decodeValue(dec *json.Decoder) (*jval, error) {
	t, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, bf.E("report", bf.KindInternal, "the report's JSON cannot be read", err)
	}
	switch t := t.(type) {
	case json.Delim:
		switch t {
		case '{':
			v := &jval{kind: 'o', fields: map[string]*jval{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, bf.E("report", bf.KindInternal, "the report's JSON cannot be read", err)
				}
				k, _ := kt.(string)
				c, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				if _, dup := v.fields[k]; !dup {
					v.keys = append(v.keys, k)
				}
				v.fields[k] = c
			}
			_, err := dec.Token()
			return v, err
		case '[':
			v := &jval{kind: 'a'}
			for dec.More() {
				c, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				v.items = append(v.items, c)
			}
			_, err := dec.Token()
			return v, err
		}
	case string:
		return &jval{kind: 's', text: t}, nil
	case json.Number:
		return &jval{kind: 'n', text: t.String()}, nil
	case bool:
		if t {
			return &jval{kind: 'b', text: "yes"}, nil
		}
		return &jval{kind: 'b', text: "no"}, nil
	}
	return &jval{kind: 'z'}, nil
}

func (v *jval) scalar() bool { return v.kind != 'o' && v.kind != 'a' }

// scalars reports whether v is an array of scalars only.
func (v *jval) scalars() bool {
	if v.kind != 'a' {
		return false
	}
	for _, it := range v.items {
		if !it.scalar() {
			return false
		}
	}
	return true
}

// flat reports whether an object holds only scalars and arrays of them:
// it can be a row of a table.
func (v *jval) flat() bool {
	if v.kind != 'o' {
		return false
	}
	for _, f := range v.fields {
		if !f.scalar() && !f.scalars() {
			return false
		}
	}
	return true
}

// rsec is a section of a report page: its scalar fields, a table and the
// sections inside it.
type rsec struct {
	Title  string
	Fields []rcell // Label, Text
	Table  *rtable
	Subs   []*rsec
}

type rtable struct {
	Head []string
	Rows [][]rcell
}

// rcell is a cell of a report table: its text, whether it is an amount
// (right-aligned) and whether it is negative (flagged).
type rcell struct {
	Label     string
	Text      string
	Num, Neg  bool
	Total     bool
	MultiLine bool
	Long      bool    // prose rather than a value: shown across the fields, not bold
	Word      bool    // one word (a date, an id): never broken across lines
	Events    []field // the events behind a figure: id (Label) and link to its page
}

// keyedCell shows the value of key: event ids as links to their events, a
// materiality verdict that is "yes" flagged, and any other scalar by
// scalarCell (an array of scalars joined).
func keyedCell(key, label string, v *jval) rcell {
	if v.kind == 'a' {
		c := rcell{Label: label, Text: joinScalars(v)}
		c.Long = len(c.Text) > 60
		if key == "events" {
			for _, it := range v.items {
				c.Events = append(c.Events, field{Label: it.text, Href: eventHref(it.text)})
			}
		}
		return c
	}
	c := scalarCell(label, v)
	switch {
	case key == "event" || key == "events":
		c.Events = []field{{Label: v.text, Href: eventHref(v.text)}}
	case strings.EqualFold(key, "material") && v.text == "yes":
		c.Neg = true // beyond the materiality threshold: the book needs its adjusting entries
	}
	return c
}

// layoutReport lays a report's JSON out as sections.
func layoutReport(v *jval) []*rsec {
	if v.kind == 'a' {
		return layoutArray("", v)
	}
	top := layoutObject("", v)
	if len(top.Fields) == 0 && top.Table == nil {
		return top.Subs
	}
	return []*rsec{top}
}

// layoutObject lays out an object; skip names a field already in the
// title (the element's ident), not repeated among the fields.
func layoutObject(title string, v *jval, skip ...string) *rsec {
	sec := &rsec{Title: title}
	if t := columnsTable(v); t != nil {
		sec.Table = t
		for _, k := range v.keys {
			if f := v.fields[k]; f.scalar() && f.kind != 'z' && !slices.Contains(skip, k) {
				sec.Fields = append(sec.Fields, keyedCell(k, humanize(k), f))
			}
		}
		return sec
	}
	for _, k := range v.keys {
		f := v.fields[k]
		switch {
		case f.kind == 'z' || slices.Contains(skip, k):
		case f.scalar():
			sec.Fields = append(sec.Fields, keyedCell(k, humanize(k), f))
		case f.scalars():
			if len(f.items) > 0 {
				sec.Fields = append(sec.Fields, keyedCell(k, humanize(k), f))
			}
		case f.kind == 'o':
			sec.Subs = append(sec.Subs, layoutObject(humanize(k), f))
		default:
			sec.Subs = append(sec.Subs, layoutArray(humanize(k), f)...)
		}
	}
	return sec
}

// layoutArray lays out an array of objects: one table when every element
// is flat, else a section per element.
func layoutArray(title string, v *jval) []*rsec {
	if len(v.items) == 0 {
		return nil
	}
	allFlat := true
	for _, it := range v.items {
		allFlat = allFlat && it.flat()
	}
	if allFlat {
		return []*rsec{{Title: title, Table: flatTable(v.items)}}
	}
	var out []*rsec
	for _, it := range v.items {
		t := title
		key, name := ident(it)
		if name != "" {
			t = strings.TrimSpace(title + ": " + name)
			if title == "" {
				t = name
			}
		}
		if it.kind == 'o' {
			out = append(out, layoutObject(t, it, key))
		} else {
			out = append(out, layoutArray(t, it)...)
		}
	}
	return out
}

// flatTable makes a table of flat objects, its columns the union of their
// keys in the order they first appear.
func flatTable(items []*jval) *rtable {
	var head []string
	seen := map[string]bool{}
	for _, it := range items {
		for _, k := range it.keys {
			if !seen[k] {
				seen[k] = true
				head = append(head, k)
			}
		}
	}
	// What names a row comes first, whatever order the report's keys
	// have (a Go map's are alphabetical): its period, book, item, path.
	rank := func(k string) int {
		i := slices.Index(leadColumns, k)
		if f := items[0].fields[k]; i < 0 || (f != nil && amountRE.MatchString(f.text) && k != "period" && k != "level") {
			return len(leadColumns) // not a name: "book" is also the book's balance of a variance account
		}
		return i
	}
	slices.SortStableFunc(head, func(a, b string) int { return rank(a) - rank(b) })
	t := &rtable{}
	for _, k := range head {
		t.Head = append(t.Head, humanize(k))
	}
	for _, it := range items {
		row := make([]rcell, len(head))
		for j, k := range head {
			f, ok := it.fields[k]
			switch {
			case !ok || f.kind == 'z':
			default:
				row[j] = keyedCell(k, "", f)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// leadColumns are the keys that name a row, in the order they lead a
// table.
var leadColumns = []string{"period", "to", "date", "book", "Book", "group", "level", "item", "Item", "path", "kind", "element", "cause", "account", "name", "Name"}

// columnsTable lays out the income statements' columns layout: an object
// with "columns" (each with a "label") and "lines" (each with a "label"
// and one amount per column), and the inventory at the end of each.
func columnsTable(v *jval) *rtable {
	if v.kind != 'o' {
		return nil
	}
	cols, lines := v.fields["columns"], v.fields["lines"]
	if cols == nil || lines == nil || cols.kind != 'a' || lines.kind != 'a' {
		return nil
	}
	t := &rtable{Head: []string{""}}
	for _, c := range cols.items {
		l := c.fields["label"]
		if c.kind != 'o' || l == nil {
			return nil
		}
		h := l.text
		if to := c.fields["to"]; to != nil {
			h += " (to " + to.text + ")"
		}
		t.Head = append(t.Head, h)
	}
	row := func(label string, total bool, amounts *jval) bool {
		if amounts == nil || amounts.kind != 'a' || len(amounts.items) != len(cols.items) {
			return false
		}
		r := []rcell{{Text: label, Total: total}}
		for _, a := range amounts.items {
			c := scalarCell("", a)
			c.Total = total
			r = append(r, c)
		}
		t.Rows = append(t.Rows, r)
		return true
	}
	for _, ln := range lines.items {
		if ln.kind != 'o' || ln.fields["label"] == nil {
			return nil
		}
		total := ln.fields["total"] != nil && ln.fields["total"].text == "yes"
		if !row(ln.fields["label"].text, total, ln.fields["amounts"]) {
			return nil
		}
	}
	if inv := v.fields["inventory"]; inv != nil {
		row("inventory at the end", false, inv)
	}
	return t
}

// ident is what names an element among its siblings — its book, item,
// group or name — and the field that holds it.
func ident(v *jval) (key, name string) {
	if v.kind != 'o' {
		return "", ""
	}
	for _, k := range []string{"book", "Book", "item", "Item", "group", "name", "Name", "account", "element", "memo"} {
		if f := v.fields[k]; f != nil && f.scalar() && f.text != "" {
			return k, f.text
		}
	}
	return "", ""
}

// amountRE matches a decimal figure as the API writes it.
var amountRE = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// scalarCell shows a scalar: figures grouped in thousands and aligned
// right, negatives flagged.
func scalarCell(label string, v *jval) rcell {
	c := rcell{Label: label, Text: v.text}
	if (v.kind == 's' || v.kind == 'n') && amountRE.MatchString(v.text) && (v.kind == 'n' || strings.Contains(v.text, ".") || len(v.text) > 4) {
		c.Num, c.Neg, c.Text = true, strings.HasPrefix(v.text, "-"), group(v.text)
	}
	c.MultiLine = strings.Contains(c.Text, "\n")
	c.Long = len(c.Text) > 60
	c.Word = !strings.ContainsAny(c.Text, " \n")
	return c
}

func joinScalars(v *jval) string {
	parts := make([]string, len(v.items))
	for i, it := range v.items {
		parts[i] = it.text
	}
	return strings.Join(parts, ", ")
}

// humanize turns a JSON name into words: snake_case and CamelCase split,
// acronyms (GAAP, BOM) kept: "inventory_ratio" and "InventoryRatio" both
// become "Inventory ratio", "GAAPIncome" "GAAP income".
func humanize(k string) string {
	rs := []rune(k)
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = nil
		}
	}
	for i, r := range rs {
		switch {
		case r == '_' || r == '-' || r == ' ':
			flush()
			continue
		case unicode.IsUpper(r) && len(cur) > 0:
			prevLower := unicode.IsLower(cur[len(cur)-1])
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if prevLower || (nextLower && unicode.IsUpper(cur[len(cur)-1])) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	for i, w := range words {
		switch {
		case strings.ToLower(w) == "boms":
			w = "BOMs"
		case acronyms[strings.ToLower(w)]:
			w = strings.ToUpper(w)
		case strings.ToUpper(w) == w && len(w) > 1: // an acronym as given
		default:
			w = strings.ToLower(w)
			if i == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
		}
		words[i] = w
	}
	return strings.Join(words, " ")
}

// acronyms are the words of JSON names shown in capitals.
var acronyms = map[string]bool{"nrv": true, "lcnrv": true, "cogs": true, "ytd": true, "eu": true, "wip": true, "bom": true, "gaap": true, "ta": true, "id": true}
