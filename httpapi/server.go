// Package httpapi serves a plant's books over HTTP: a JSON API under
// /api/v1 (plant, events, books, journals, trial balances, reports, the
// failed-backflush queue, period closing, re-costing and API tokens), an
// OpenAPI 3 document of it at /openapi.json, /healthz and Prometheus
// /metrics, and a server-rendered dashboard for people (no script, no
// external asset). It is a thin layer over service.Service: every rule is
// the service's, every figure the report package's.
//
// Access is by API token (Authorization: Bearer <secret>), whose role —
// viewer < operator < controller < admin — decides what it may do. The
// dashboard takes the same tokens through a login form and a cookie.
// docs/api.md describes the routes, roles and error format for users.
package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/service"
)

// Body limits. A batch of events may be large (a shift's worth of
// backflushes from a line); anything else is a small JSON object or a
// configuration document.
const (
	EventsBodyLimit  = 16 << 20
	DefaultBodyLimit = 1 << 20
)

// ShutdownTimeout is how long Serve lets requests in flight finish after
// SIGINT or SIGTERM: long enough for a large batch to become durable.
const ShutdownTimeout = 20 * time.Second

// Options tune a Server. The zero value gives the documented defaults.
type Options struct {
	// TokenTTL is how long the token cache is trusted before the store is
	// read again (30 s by default); it bounds how long a token deleted by
	// another process (the CLI) stays usable.
	TokenTTL time.Duration
	// SecureCookie marks the dashboard cookie Secure, for a server behind
	// TLS. Requests that arrive over TLS get it anyway.
	SecureCookie bool
}

// Route is one registered route: what the mux serves, and what the OpenAPI
// document says of it.
type Route struct {
	Method string  // GET, POST or DELETE
	Path   string  // the path pattern, e.g. /api/v1/books/{book}/journal
	Role   bf.Role // the least role needed; 0 for a public route
	Page   bool    // a dashboard page (HTML, cookie login) rather than JSON
	Limit  int64   // the largest request body accepted, in bytes
	doc    opDoc
}

// Pattern returns the route's net/http pattern ("GET /healthz").
func (r Route) Pattern() string { return r.Method + " " + r.Path }

// Server is the HTTP handler over one service.
type Server struct {
	svc     *service.Service
	log     *slog.Logger
	opts    Options
	mux     *http.ServeMux
	routes  []Route
	tokens  *tokenCache
	metrics *metrics

	plantMu sync.Mutex
	plant   *bf.Config // the newest configuration version, decoded
	plantV  int        // its version number

	docOnce sync.Once
	doc     []byte // the OpenAPI document, as served
	docErr  error
}

// New returns a server over s, logging to logger (nil for no logs).
func New(s *service.Service, logger *slog.Logger, o Options) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if o.TokenTTL <= 0 {
		o.TokenTTL = 30 * time.Second
	}
	srv := &Server{svc: s, log: logger, opts: o, mux: http.NewServeMux(), metrics: newMetrics(),
		tokens: &tokenCache{store: s.Store(), ttl: o.TokenTTL, missInterval: time.Second}}
	srv.register()
	return srv
}

// Routes returns every route the server registered, in registration order.
// The OpenAPI document is built from the same list, and a test checks that
// the mux serves exactly these patterns.
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

// handlerFunc serves a route; an error it returns is written in the
// route's error format (JSON for the API, a page for the dashboard), so a
// handler writes the response only on success.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle registers a route with its authentication, body limit, query
// check and documentation.
func (s *Server) handle(rt Route, h handlerFunc) {
	if rt.Limit == 0 {
		rt.Limit = DefaultBodyLimit
	}
	s.routes = append(s.routes, rt)
	s.mux.HandleFunc(rt.Pattern(), func(w http.ResponseWriter, r *http.Request) {
		fail := writeErrorFor
		if rt.Page {
			fail = s.pageError
		}
		if r.ContentLength > rt.Limit {
			fail(w, r, &http.MaxBytesError{Limit: rt.Limit})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, rt.Limit)
		if rt.Role != 0 {
			var err error
			r, err = s.authenticate(r, rt.Role, rt.Page)
			if info, ok := r.Context().Value(infoKey{}).(*reqInfo); ok {
				info.user = caller(r).name
			}
			if err != nil {
				fail(w, r, err)
				return
			}
		}
		if err := checkQuery(r, rt.doc.query); err != nil {
			fail(w, r, err)
			return
		}
		if err := h(w, r); err != nil {
			fail(w, r, err)
		}
	})
}

// checkQuery refuses query parameters the route does not document: a typo
// like ?acount= would otherwise silently return unfiltered data.
func checkQuery(r *http.Request, allowed []param) error {
	for k := range r.URL.Query() {
		ok := false
		for _, p := range allowed {
			ok = ok || p.name == k
		}
		if !ok {
			names := make([]string, len(allowed))
			for i, p := range allowed {
				names[i] = p.name
			}
			msg := "is not a parameter of this route"
			if len(names) > 0 {
				msg += " (parameters: " + strings.Join(names, ", ") + ")"
			}
			return badRequest(k, msg)
		}
	}
	return nil
}

// reqInfo carries what the logging middleware learns from inside a handler.
type reqInfo struct{ user string }

type infoKey struct{}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

// WriteHeader records the first status written.
func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write counts the bytes of the body.
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ServeHTTP routes a request, then counts and logs it: one log line and one
// metrics observation per request, whatever happened.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	info := &reqInfo{}
	r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
	sw := &statusWriter{ResponseWriter: w}
	_, pattern := s.mux.Handler(r)
	route := "unmatched"
	if _, p, ok := strings.Cut(pattern, " "); ok {
		route = p
		s.mux.ServeHTTP(sw, r)
	} else {
		s.unmatched(sw, r)
	}
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	d := time.Since(start)
	s.metrics.observe(r.Method, route, sw.status, d)
	attrs := []slog.Attr{slog.String("method", r.Method), slog.String("route", route), slog.String("path", r.URL.Path),
		slog.Int("status", sw.status), slog.Float64("duration_s", d.Seconds()), slog.Int64("bytes", sw.bytes),
		slog.String("remote", r.RemoteAddr)}
	if info.user != "" {
		attrs = append(attrs, slog.String("token", info.user))
	}
	level := slog.LevelInfo
	if sw.status >= 500 {
		level = slog.LevelError
	}
	s.log.LogAttrs(r.Context(), level, "request", attrs...)
}

// captureWriter records what the mux's own 404, 405 or redirect handler
// would write, so that it can be rewritten in the API's error format.
type captureWriter struct {
	header http.Header
	status int
}

// Header returns the captured header.
func (c *captureWriter) Header() http.Header { return c.header }

// Write discards the body: only the status and header matter.
func (c *captureWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return len(b), nil
}

// WriteHeader records the status.
func (c *captureWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}

// unmatched answers a request no pattern matches: a 405 when the path
// exists with other methods, else a 404, both in the one error format (the
// mux's own answers are plain text).
func (s *Server) unmatched(w http.ResponseWriter, r *http.Request) {
	h, _ := s.mux.Handler(r)
	c := &captureWriter{header: http.Header{}}
	h.ServeHTTP(c, r)
	switch c.status {
	case http.StatusMethodNotAllowed:
		allow := c.header.Get("Allow")
		w.Header().Set("Allow", allow)
		writeError(w, errStatus(http.StatusMethodNotAllowed, KindInvalid, "", r.Method+" is not allowed on "+r.URL.Path+" (allowed: "+allow+")"))
	case http.StatusNotFound:
		err := notFound("", "no route "+r.Method+" "+r.URL.Path+": /openapi.json lists the API's routes")
		if wantsHTML(r) {
			s.pageError(w, r, err)
			return
		}
		writeError(w, err)
	default: // a redirect to a cleaned path
		for k, v := range c.header {
			w.Header()[k] = v
		}
		w.WriteHeader(c.status)
	}
}

// wantsHTML reports whether a request outside the API comes from a browser.
func wantsHTML(r *http.Request) bool {
	return !strings.HasPrefix(r.URL.Path, "/api/") && strings.Contains(r.Header.Get("Accept"), "text/html")
}

// writeErrorFor is writeError with the signature of pageError, so that a
// route picks its error format once.
func writeErrorFor(w http.ResponseWriter, _ *http.Request, err error) { writeError(w, err) }

// Serve listens on addr and serves s until ctx is done or the process gets
// SIGINT or SIGTERM; then it stops accepting connections and lets requests
// in flight finish (up to ShutdownTimeout) before returning. A clean
// shutdown returns nil. The CLI's serve command and the tests share it.
func Serve(ctx context.Context, addr string, s *service.Service, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return bf.E("serve", bf.KindInvalid, bf.Field("addr"), "cannot listen on "+addr, err)
	}
	return serveOn(ctx, ln, New(s, logger, Options{}), logger)
}

// serveOn serves h on ln until ctx is done or a stop signal arrives.
func serveOn(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{
		Handler: h,
		// Slow clients cannot hold connections open for free; the read
		// timeout leaves room for a 16 MiB batch over a slow link.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout_s", ShutdownTimeout.Seconds())
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		srv.Close()
	}
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err == nil {
		logger.Info("stopped")
	}
	return err
}

// itoa is strconv.Itoa, short for the many counts rendered here.
func itoa(n int) string { return strconv.Itoa(n) }
