package httpapi

import (
	"cmp"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
)

// The OpenAPI 3.0 document is built from the registered routes and their
// opDoc, so it cannot forget a route; the schemas below describe the JSON
// shapes of api.go.

func str(desc string) map[string]any { return map[string]any{"type": "string", "description": desc} }

// decimal is an exact amount or quantity written as a string.
func decimal(desc string) map[string]any {
	return map[string]any{"type": "string", "pattern": `^-?[0-9]+(\.[0-9]+)?$`, "description": desc, "example": "1250.00"}
}

func date(desc string) map[string]any {
	return map[string]any{"type": "string", "format": "date", "description": desc, "example": "2026-08-31"}
}

func integer(desc string) map[string]any {
	return map[string]any{"type": "integer", "description": desc}
}

func array(items any) map[string]any { return map[string]any{"type": "array", "items": items} }

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }

func obj(props map[string]any, required ...string) map[string]any {
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// numOrString is an event value: a JSON string or number, read exactly.
func numOrString(desc string) map[string]any {
	return map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "number"}}, "description": desc}
}

func withPage(props map[string]any) map[string]any {
	props["page"] = integer("this page, from 1")
	props["limit"] = integer("entries per page")
	props["total"] = integer("entries matching the filters, over all pages")
	props["pages"] = integer("the number of pages")
	return props
}

// schemas are the components of the document.
func schemas() map[string]any {
	amount := func(d string) map[string]any { return decimal(d + " (a decimal string at the currency's scale)") }
	line := obj(map[string]any{"account": str("the account's code"), "debit": amount("debit"), "credit": amount("credit"),
		"item": str("the item the line values"), "path": str("the BOM path of the component behind the line, e.g. car>engine>bolt"),
		"qty": decimal("the quantity behind the amount")}, "account", "debit", "credit")
	entry := obj(map[string]any{"id": integer("the entry's number in its book's journal, from 1"), "date": date("the event's date"),
		"event": str("the event's id"), "kind": str("the posting rule, e.g. backflush, cost_of_sale"), "memo": str("the entry in words"),
		"lines": array(ref("JournalLine"))}, "id", "date", "event", "kind", "lines")
	event := obj(map[string]any{
		"id": str("unique id; posting it again with the same content is a no-op"), "date": date("the day it happened"),
		"type": map[string]any{"type": "string", "enum": []string{"purchase", "start", "conversion_cost", "complete", "sale", "count", "close", "expense", "wip_count", "reverse", "reprocess"}},
		"item": str("the item (purchase, start, complete, sale, count, wip_count; reprocess: optional)"),
		"qty":  numOrString("units"), "scrap": numOrString("complete: units scrapped"),
		"unit_cost": numOrString("purchase: price paid per unit"), "unit_price": numOrString("sale: price per unit (the item's list price when absent)"),
		"amount": numOrString("conversion_cost, expense: the amount"), "hours": numOrString("conversion_cost (variable): the hours worked for the amount"), "behavior": map[string]any{"type": "string", "enum": []string{"variable", "fixed"}},
		"materials_pct": numOrString("wip_count: percent complete for materials"), "conversion_pct": numOrString("wip_count: percent complete for conversion"),
		"reverses": str("reverse: the id of the event undone"), "reason": str("close: why it overrides the failed-backflush queue"),
		"memo": str("free text kept with the entry")}, "id", "date", "type")
	version := obj(map[string]any{"version": integer("the version number, from 1"), "effective": date("first date costed with it (absent for the first)"),
		"note": str("why it was made"), "created": map[string]any{"type": "string", "format": "date-time"},
		"document": str("the scenario YAML (only in the list of versions)")}, "version", "note", "created")
	summary := obj(map[string]any{"book": str("the book"), "method": str("sequential or backflush"), "triggers": array(str("a trigger point")),
		"scope": str("absorption, variable or throughput"), "basis": str("standard, fifo or weighted_average"), "entries": integer("journal entries"),
		"inventory":       map[string]any{"type": "object", "additionalProperties": amount("balance"), "description": "inventory by account code"},
		"total_inventory": amount("total inventory"), "revenue": amount("revenue"), "cogs": amount("cost of goods sold"),
		"expenses": amount("every income-statement charge"), "operating_income": amount("operating income"),
		"conversion_variance": amount("actual minus allocated conversion before closes"), "open_conversion": amount("conversion variance not yet closed")},
		"book", "total_inventory", "cogs", "operating_income")
	token := obj(map[string]any{"hash": str("SHA-256 of the secret, hex: the token's id"), "name": str("whose token"),
		"role":    map[string]any{"type": "string", "enum": []string{"viewer", "operator", "controller", "admin"}},
		"created": map[string]any{"type": "string", "format": "date-time"}, "secret": str("only when created: shown once, never stored")},
		"hash", "name", "role", "created")
	return map[string]any{
		"Error": obj(map[string]any{"error": obj(map[string]any{
			"kind":    map[string]any{"type": "string", "enum": []string{KindInvalid, KindNotFound, KindConflict, KindClosedPeriod, KindInsufficient, KindUnauthorized, KindForbidden, KindTooLarge, KindInternal}},
			"message": str("what is wrong, in words"), "event": str("the event at fault"), "line": integer("the line of the body where the event at fault starts"),
			"index": integer("the 1-based position of the event at fault in its batch"), "field": str("the field at fault"), "item": str("the item at fault")},
			"kind", "message")}, "error"),
		"Health":  obj(map[string]any{"status": str("ok"), "plant": str("the plant's name"), "events": integer("events in the books")}, "status", "events"),
		"OpenAPI": map[string]any{"type": "object", "description": "an OpenAPI 3.0 document"},
		"Plant": obj(map[string]any{"name": str("the plant"), "currency": str("ISO 4217 code"), "version": integer("the newest configuration version"),
			"items": array(obj(map[string]any{"id": str("item id"), "name": str("name"), "kind": str("material, assembly, finished or phantom"),
				"uom": str("unit of measure"), "standard_cost": decimal("standard purchase cost per unit"), "conversion_cost": decimal("standard conversion per unit"),
				"fixed_conversion": decimal("the fixed-overhead part of it"), "price": decimal("selling price"), "shortage": str("allow, queue or reject"),
				"class": str("LCNRV class"), "bom": array(obj(map[string]any{"item": str("component"), "qty": decimal("per unit of the parent"), "scrap_pct": decimal("component scrap percent")}, "item", "qty"))},
				"id", "kind", "shortage")),
			"books": array(obj(map[string]any{"name": str("book"), "method": str("sequential or backflush"), "triggers": array(str("trigger")),
				"scope": str("scope"), "basis": str("basis"), "lcnrv": map[string]any{"type": "boolean"}}, "name", "method")),
			"versions": array(ref("Version"))}, "name", "currency", "items", "books", "versions"),
		"Version":  version,
		"Versions": obj(map[string]any{"versions": array(ref("Version"))}, "versions"),
		"RecostRequest": obj(map[string]any{"document": str("the scenario YAML of the new version"), "effective": date("first date it costs; after the last close"),
			"note": str("why")}, "document", "effective"),
		"Event":       event,
		"EventBatch":  array(ref("Event")),
		"BatchResult": obj(map[string]any{"accepted": integer("events appended to the log"), "duplicates": integer("events already in the log with the same content")}, "accepted", "duplicates"),
		"EventPage":   obj(withPage(map[string]any{"events": array(ref("Event"))}), "events", "page", "limit", "total", "pages"),
		"EventDetail": obj(map[string]any{"event": ref("Event"), "position": integer("1-based position in the log"), "period": integer("1-based accounting period"),
			"reversed_by": str("the reverse event that undid it"),
			"books":       array(obj(map[string]any{"book": str("book"), "entries": array(ref("JournalEntry"))}, "book", "entries"))}, "event", "position", "period", "books"),
		"Posted": obj(map[string]any{"id": str("the event posted"), "accepted": integer("1 when posted"), "duplicates": integer("1 when the same event was already there"),
			"warnings": array(str("a close's: a book kept for external reporting wrote a material favourable variance off to COGS"))}, "id", "accepted", "duplicates"),
		"ReverseRequest":   obj(map[string]any{"date": date("the reversal's date, in the open period"), "id": str("the reverse event's id (generated when absent)")}, "date"),
		"ReprocessRequest": obj(map[string]any{"date": date("the date"), "item": str("only this component's entries"), "id": str("the event's id (generated when absent)")}, "date"),
		"CloseRequest": obj(map[string]any{"date": date("the last day of the period"), "reason": str("why the close goes ahead while the queue holds entries; kept on record"),
			"id": str("the close event's id (generated when absent)")}, "date"),
		"Books":        obj(map[string]any{"currency": str("ISO 4217 code"), "books": array(ref("BookSummary"))}, "currency", "books"),
		"BookSummary":  summary,
		"JournalLine":  line,
		"JournalEntry": entry,
		"JournalPage":  obj(withPage(map[string]any{"book": str("the book"), "entries": array(ref("JournalEntry"))}), "book", "entries", "page", "limit", "total", "pages"),
		"TrialBalance": obj(map[string]any{"book": str("the book"), "currency": str("ISO 4217 code"),
			"accounts": array(obj(map[string]any{"account": str("default id"), "code": str("the plant's code"), "name": str("display name"),
				"debit": amount("debit balance"), "credit": amount("credit balance"), "balance": amount("debit minus credit")}, "account", "code", "debit", "credit", "balance")),
			"total_debit": amount("total debits"), "total_credit": amount("total credits")}, "book", "accounts", "total_debit", "total_credit"),
		"AccountMovements": obj(withPage(map[string]any{"book": str("the book"), "account": str("default id"), "code": str("the plant's code"),
			"balance": amount("the account's balance"),
			"movements": array(obj(map[string]any{"date": date("event date"), "event": str("event id"), "rule": str("the posting rule"),
				"item": str("item"), "path": str("BOM path"), "qty": decimal("quantity"), "debit": amount("debit"), "credit": amount("credit"),
				"balance": amount("the account's balance after this line")}, "date", "event", "rule", "debit", "credit", "balance"))}),
			"book", "account", "balance", "movements", "page", "limit", "total", "pages"),
		"Report": map[string]any{"type": "object", "description": "the report as `backflush report KIND --format json` writes it"},
		"Queue": obj(map[string]any{"count": integer("entries"), "entries": array(obj(map[string]any{"event": str("the event that issued it"),
			"date": date("its date"), "item": str("the item being made"), "component": str("the component short"), "qty": decimal("units still to issue")},
			"event", "date", "item", "component", "qty"))}, "count", "entries"),
		"Tokens":       obj(map[string]any{"tokens": array(ref("Token"))}, "tokens"),
		"Token":        token,
		"TokenRequest": obj(map[string]any{"name": str("whose token"), "role": map[string]any{"type": "string", "enum": []string{"viewer", "operator", "controller", "admin"}}}, "name", "role"),
		"Login":        obj(map[string]any{"token": str("an API token's secret"), "next": str("the page to go to after login")}, "token"),
		"CommandForm":  commandForm, // the month-end forms of the dashboard (monthend.go)
	}
}

var pathParam = regexp.MustCompile(`\{([a-z]+)\}`)

// pathParamDesc describes the path parameters.
var pathParamDesc = map[string]string{
	"book":    "the book's name",
	"account": "the account: its default id (e.g. materials) or the plant's code",
	"id":      "the event's id",
	"hash":    "the token's hash",
}

func errorResponse(code int) map[string]any {
	return map[string]any{"description": http.StatusText(code),
		"content": map[string]any{"application/json": map[string]any{"schema": ref("Error")}}}
}

// docPath is a route's path as OpenAPI writes it: the mux's end-of-path
// wildcard {$} ("/{$}" serves "/" alone) is no path template, so it goes.
func docPath(muxPath string) string {
	if p := strings.TrimSuffix(muxPath, "{$}"); p != "" {
		return p
	}
	return "/"
}

// operationID is a route's operationId: its method and its path's words,
// e.g. get_api_v1_books_book_journal; the root path is "root".
func operationID(rt Route) string {
	words := strings.NewReplacer("/", "_", "{", "", "}", "", "-", "_", ".", "_").Replace(docPath(rt.Path))
	if words == "_" {
		words = "_root"
	}
	return strings.ToLower(rt.Method) + words
}

// operation is the OpenAPI operation object of a route.
func operation(rt Route) map[string]any {
	d := rt.doc
	op := map[string]any{"summary": d.summary, "tags": []string{d.tag}, "operationId": operationID(rt)}
	if d.desc != "" {
		op["description"] = d.desc
	}
	if rt.Role != 0 {
		op["x-role"] = rt.Role.String()
		op["description"] = strings.TrimSpace(d.desc + " Needs the role " + rt.Role.String() + " or above.")
	}
	var params []any
	for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "description": pathParamDesc[m[1]], "schema": map[string]any{"type": "string"}})
	}
	for _, p := range d.query {
		sc := map[string]any{"type": p.typ}
		if p.typ == "date" {
			sc = map[string]any{"type": "string", "format": "date"}
		}
		if p.typ == "boolean" {
			sc = map[string]any{"type": "string", "enum": []string{"true", "false"}}
		}
		params = append(params, map[string]any{"name": p.name, "in": "query", "required": false, "description": p.desc, "schema": sc})
	}
	if params != nil {
		op["parameters"] = params
	}
	switch {
	case d.form:
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/x-www-form-urlencoded": map[string]any{"schema": ref(cmp.Or(d.body, "Login"))}}}
	case d.body == "EventBatch":
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"application/json":     map[string]any{"schema": ref("EventBatch")},
			"application/x-ndjson": map[string]any{"schema": map[string]any{"type": "string", "description": "JSON Lines: one event object a line"}}}}
	case d.body != "":
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref(d.body)}}}
	}
	status := d.status
	if status == 0 {
		status = http.StatusOK
	}
	ok := map[string]any{"description": http.StatusText(status)}
	switch d.resp {
	case "":
	case "html":
		ok["content"] = map[string]any{"text/html": map[string]any{"schema": map[string]any{"type": "string"}}}
	case "text":
		ok["content"] = map[string]any{"text/plain": map[string]any{"schema": map[string]any{"type": "string"}}}
	case "download":
		text := map[string]any{"schema": map[string]any{"type": "string"}}
		ok["content"] = map[string]any{"text/plain": text, "text/csv": text,
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
		ok["headers"] = map[string]any{"Content-Disposition": map[string]any{"description": "attachment; filename=PLANT-BOOK[-pN].EXT", "schema": map[string]any{"type": "string"}}}
	case "redirect":
		ok["headers"] = map[string]any{"Location": map[string]any{"schema": map[string]any{"type": "string"}}}
	default:
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": ref(d.resp)}}
	}
	resp := map[string]any{itoa(status): ok}
	for _, c := range d.errs {
		resp[itoa(c)] = errorResponse(c)
	}
	if rt.Role != 0 {
		if rt.Page {
			resp["303"] = map[string]any{"description": "not logged in: redirect to /login"}
			resp["403"] = map[string]any{"description": "the token's role is too low", "content": map[string]any{"text/html": map[string]any{"schema": map[string]any{"type": "string"}}}}
		} else {
			resp["401"] = errorResponse(401)
			resp["403"] = errorResponse(403)
		}
	}
	resp["500"] = errorResponse(500)
	op["responses"] = resp
	switch {
	case rt.Role == 0:
		op["security"] = []any{}
	case rt.Page:
		op["security"] = []any{map[string]any{"cookieAuth": []string{}}, map[string]any{"bearerAuth": []string{}}}
	default:
		op["security"] = []any{map[string]any{"bearerAuth": []string{}}}
	}
	return op
}

// OpenAPI returns the OpenAPI 3.0 document of every registered route.
func (s *Server) OpenAPI() map[string]any {
	paths := map[string]any{}
	for _, rt := range s.routes {
		p, _ := paths[docPath(rt.Path)].(map[string]any)
		if p == nil {
			p = map[string]any{}
			paths[docPath(rt.Path)] = p
		}
		p[strings.ToLower(rt.Method)] = operation(rt)
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "Backflush API", "version": "1",
			"description": "Cost accounting for just-in-time manufacturing: one event stream costed in several books side by side. " +
				"Amounts are decimal strings. Roles: viewer < operator < controller < admin; each includes the ones before it. " +
				"Errors: {\"error\": {\"kind\", \"message\", \"event\", \"line\", \"index\", \"field\", \"item\"}}. See docs/api.md."},
		"servers": []any{map[string]any{"url": "/"}},
		"tags": []any{
			map[string]any{"name": tagService, "description": "health, metrics, this document"},
			map[string]any{"name": tagPlant, "description": "master data and configuration versions (re-costing)"},
			map[string]any{"name": tagEvents, "description": "the event log: posting, reading, reversing"},
			map[string]any{"name": tagBooks, "description": "the books: comparison, journals, trial balances, drill-down"},
			map[string]any{"name": tagReports, "description": "income statements, reconciliations, process costing, LCNRV"},
			map[string]any{"name": tagQueue, "description": "the failed-backflush queue and period closing"},
			map[string]any{"name": tagTokens, "description": "API tokens (admin)"},
			map[string]any{"name": tagDashboard, "description": "server-rendered pages for people (log in at /login)"},
		},
		"paths": paths,
		"components": map[string]any{
			"schemas": schemas(),
			"securitySchemes": map[string]any{
				"bearerAuth": map[string]any{"type": "http", "scheme": "bearer", "description": "an API token's secret (backflush token create, or POST /api/v1/tokens)"},
				"cookieAuth": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie, "description": "the dashboard's login cookie (pages only; the API ignores it)"},
			},
		},
	}
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	// The routes never change after New, so the document is built once.
	s.docOnce.Do(func() { s.doc, s.docErr = json.MarshalIndent(s.OpenAPI(), "", "  ") })
	if s.docErr != nil {
		return s.docErr
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(s.doc)
	return nil
}
