package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/httpapi"
	"github.com/backflush/backflush/inmem"
	"github.com/backflush/backflush/service"
)

// testPlant has a component that queues its shortfalls (chip), one that
// refuses them (gold), a stocked sub-assembly (board), and three books.
const testPlant = `
name: Test plant
currency: USD
items:
  - {id: dm, kind: material, standard_cost: 1.00}
  - {id: chip, kind: material, standard_cost: 5.00, shortage: queue}
  - {id: gold, kind: material, standard_cost: 100.00, shortage: reject}
  - {id: board, kind: assembly, conversion_cost: 2, bom: [{item: chip, qty: 2}]}
  - {id: cable, kind: finished, conversion_cost: 20, price: 60, bom: [{item: dm, qty: 25}, {item: board, qty: 1}]}
  - {id: ring, kind: finished, conversion_cost: 10, price: 500, bom: [{item: gold, qty: 1}]}
books:
  - {name: seq, method: sequential}
  - {name: pc, method: backflush, triggers: [purchase, completion]}
  - {name: sale, method: backflush, triggers: [sale]}
`

// baseEvents are posted into every test server: stock bought, boards and
// cables made, some cables sold. Nothing is queued and no period is closed.
const baseEvents = `{"id":"p1","date":"2026-01-05","type":"purchase","item":"dm","qty":"1000","unit_cost":"1.00"}
{"id":"p2","date":"2026-01-05","type":"purchase","item":"chip","qty":"40","unit_cost":"5.10"}
{"id":"b1","date":"2026-01-06","type":"complete","item":"board","qty":"10"}
{"id":"f1","date":"2026-01-07","type":"complete","item":"cable","qty":"10"}
{"id":"s1","date":"2026-01-08","type":"sale","item":"cable","qty":"5"}
{"id":"c1","date":"2026-01-09","type":"conversion_cost","amount":"260.00"}
`

var roles = []bf.Role{bf.Viewer, bf.Operator, bf.Controller, bf.Admin}

// env is one test server with a token per role.
type env struct {
	t      *testing.T
	ts     *httptest.Server
	srv    *httpapi.Server
	svc    *service.Service
	store  *inmem.Store
	secret map[bf.Role]string
	spare  bf.Token // a token that exists only to be deleted
	client *http.Client
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOf(t, testPlant, baseEvents)
}

// newEnvOf is a test server over a plant document and events (JSON Lines).
func newEnvOf(t *testing.T, plant, events string) *env {
	t.Helper()
	ctx := context.Background()
	st := inmem.New()
	if err := service.Init(ctx, st, []byte(plant), "plant.yaml"); err != nil {
		t.Fatal(err)
	}
	svc, err := service.Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, svc: svc, store: st, secret: map[bf.Role]string{}}
	for _, r := range roles {
		secret, tok, err := httpapi.NewToken(r.String()+"-tester", r)
		if err != nil {
			t.Fatal(err)
		}
		st.PutToken(ctx, &tok)
		e.secret[r] = secret
	}
	_, e.spare, _ = httpapi.NewToken("spare", bf.Viewer)
	st.PutToken(ctx, &e.spare)
	e.srv = httpapi.New(svc, nil, httpapi.Options{})
	e.ts = httptest.NewServer(e.srv) // listens on 127.0.0.1
	t.Cleanup(e.ts.Close)
	e.client = &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if events == "" {
		return e
	}
	if st, _ := e.do("POST", "/api/v1/events", e.secret[bf.Operator], events); st != 200 {
		t.Fatalf("posting the base events: %d", st)
	}
	return e
}

// do sends a request with a bearer secret ("" for none) and returns the
// status and body.
func (e *env) do(method, path, secret, body string) (int, []byte) {
	e.t.Helper()
	res := e.request(method, path, secret, strings.NewReader(body), nil)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return res.StatusCode, b
}

func (e *env) request(method, path, secret string, body io.Reader, hdr http.Header) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

// getJSON GETs a path as admin and decodes the answer, which must be 200.
func (e *env) getJSON(path string, v any) {
	e.t.Helper()
	st, b := e.do("GET", path, e.secret[bf.Admin], "")
	if st != 200 {
		e.t.Fatalf("GET %s: %d %s", path, st, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		e.t.Fatalf("GET %s: %v\n%s", path, err, b)
	}
}

// apiErr is the error body, decoded strictly: only the documented fields.
type apiErr struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
	Event   string `json:"event"`
	Line    int    `json:"line"`
	Index   int    `json:"index"`
	Field   string `json:"field"`
	Item    string `json:"item"`
}

func decodeErr(t *testing.T, b []byte) apiErr {
	t.Helper()
	var body struct {
		Error *apiErr `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil || body.Error == nil {
		t.Fatalf("not the error format (%v): %s", err, b)
	}
	if body.Error.Kind == "" || body.Error.Message == "" {
		t.Fatalf("an error without kind or message: %s", b)
	}
	return *body.Error
}

// wantErr checks a status and the error's kind and, when given, field.
func (e *env) wantErr(method, path, secret, body string, status int, kind, field string) apiErr {
	e.t.Helper()
	st, b := e.do(method, path, secret, body)
	if st != status {
		e.t.Fatalf("%s %s: status %d, want %d: %s", method, path, st, status, b)
	}
	ae := decodeErr(e.t, b)
	if ae.Kind != kind || (field != "" && ae.Field != field) {
		e.t.Fatalf("%s %s: error %+v, want kind %s field %q", method, path, ae, kind, field)
	}
	return ae
}

var errNoCookie = errors.New("no session cookie")
