package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
)

// The error kinds of the API, as the "kind" of the error body says them.
// The domain's kinds (bf.Kind) map onto invalid … insufficient_stock and
// internal, by bf.Kind's Ident and HTTPStatus; the others belong to HTTP
// itself. A method the path does not
// take is a 405 of kind invalid.
const (
	KindInvalid      = "invalid"            // 400: the request breaks a rule (malformed JSON, wrong type, bad value)
	KindNotFound     = "not_found"          // 404: the request names something that does not exist (route, book, account, event, item)
	KindConflict     = "conflict"           // 409: same event id with other content, or a close refused while the queue holds entries
	KindClosedPeriod = "closed_period"      // 409: the date falls in a closed period (409, not 423: the request conflicts with the books' state)
	KindInsufficient = "insufficient_stock" // 422: a component whose shortage policy is reject would go below zero
	KindUnauthorized = "unauthorized"       // 401: no token, or a token the server does not know
	KindForbidden    = "forbidden"          // 403: the token's role is too low for the route
	KindTooLarge     = "too_large"          // 413: the body exceeds the route's limit
	KindInternal     = "internal"           // 500: a bug or a failing store; details go to the server log only
)

// ErrorBody is the one error format of the API, inside {"error": …}. Event,
// Line, Field and Item name the culprit when one is known: for a batch of
// events, Line is the line of the body where the refused event starts and
// Index its 1-based position in the batch.
type ErrorBody struct {
	Kind    string `json:"kind"`            // one of the Kind constants
	Message string `json:"message"`         // what is wrong, in words
	Event   string `json:"event,omitempty"` // the id of the event at fault
	Line    int    `json:"line,omitempty"`  // the line of the body where it starts
	Index   int    `json:"index,omitempty"` // its 1-based position in the batch
	Field   string `json:"field,omitempty"` // the field or parameter at fault
	Item    string `json:"item,omitempty"`  // the item at fault
}

// apiError is an error raised by the HTTP layer itself (auth, limits,
// routing), with its status decided here rather than by a domain kind.
type apiError struct {
	status int
	body   ErrorBody
}

// Error returns the message.
func (e *apiError) Error() string { return e.body.Message }

func errStatus(status int, kind, field, msg string) error {
	return &apiError{status: status, body: ErrorBody{Kind: kind, Message: msg, Field: field}}
}

// badRequest is a 400 naming the field at fault.
func badRequest(field, msg string) error {
	if field != "" {
		msg = "field " + field + ": " + msg
	}
	return errStatus(http.StatusBadRequest, KindInvalid, field, msg)
}

func notFound(field, msg string) error {
	return errStatus(http.StatusNotFound, KindNotFound, field, msg)
}

// describe turns any error into its status and body. Internal errors are
// described generically: their text may hold paths or database details that
// are none of the client's business, and the server log has them.
func describe(err error) (int, ErrorBody) {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.status, ae.body
	}
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return http.StatusRequestEntityTooLarge, ErrorBody{Kind: KindTooLarge,
			Message: "the body is larger than this route accepts (" + strconv.FormatInt(mb.Limit, 10) + " bytes)"}
	}
	var be *bf.Error
	if errors.As(err, &be) {
		status := be.Kind.HTTPStatus()
		if status == http.StatusInternalServerError {
			return status, ErrorBody{Kind: KindInternal, Message: "internal error: the server log has the details"}
		}
		return status, ErrorBody{Kind: be.Kind.Ident(), Message: be.Error(), Event: be.Event, Line: be.Line, Field: be.Field, Item: be.Item}
	}
	return http.StatusInternalServerError, ErrorBody{Kind: KindInternal, Message: "internal error: the server log has the details"}
}

// writeError writes err in the API's error format.
func writeError(w http.ResponseWriter, err error) {
	status, body := describe(err)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="backflush"`)
	}
	writeJSON(w, status, map[string]ErrorBody{"error": body})
}

// writeJSON writes v as indented JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)              // BOM paths read car>engine>bolt, not car\u003eengine
	if err := enc.Encode(v); err != nil { // every value written here is made of strings, numbers and maps
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":{"kind":"internal","message":"internal error: the server log has the details"}}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// decodeBody decodes a JSON object body into v strictly: unknown fields,
// wrong types, trailing data and an empty body are 400s naming the field.
func decodeBody(r *http.Request, v any) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return err // a MaxBytesError becomes 413
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return badRequest("", "the body is empty: a JSON object is expected")
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return badRequest("", "the body has data after the JSON object")
	}
	return nil
}

// jsonError explains an encoding/json error, naming the field when it can.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return badRequest("", "the body must be a JSON object, not "+te.Value)
		}
		return badRequest(te.Field, "must be "+jsonTypeName(te.Type.Kind().String())+", not "+te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return badRequest("", "malformed JSON at byte "+strconv.FormatInt(se.Offset, 10)+": "+se.Error())
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
		f := strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
		return badRequest(f, "is not a field of this request")
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return badRequest("", "malformed JSON: the body ends in the middle of a value")
	}
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return err
	}
	return badRequest("", "malformed JSON: "+err.Error())
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "int", "int64", "int32", "uint", "uint64", "uint32", "float64":
		return "a number"
	case "slice":
		return "an array"
	}
	return "an object"
}
