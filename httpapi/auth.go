package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"

	bf "github.com/backflush/backflush"
)

// secretPrefix marks Backflush secrets so that a leaked one is recognisable
// by secret scanners and people alike.
const secretPrefix = "bft_"

// NewToken makes a token with a fresh random secret. The secret is returned
// once and never stored: the store keeps only its hash, so a stolen database
// grants no access.
func NewToken(name string, role bf.Role) (secret string, t bf.Token, err error) {
	if strings.TrimSpace(name) == "" {
		return "", t, bf.E("create token", bf.KindInvalid, bf.Field("name"), "a token needs a name, so people know whose it is")
	}
	if role < bf.Viewer || role > bf.Admin {
		return "", t, bf.E("create token", bf.KindInvalid, bf.Field("role"), "must be viewer, operator, controller or admin")
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", t, bf.E("create token", bf.KindInternal, "no randomness", err)
	}
	secret = secretPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return secret, bf.Token{Hash: HashSecret(secret), Name: name, Role: role, Created: time.Now().UTC()}, nil
}

// HashSecret returns the SHA-256 of a secret in lowercase hex: the form in
// which the store keeps tokens. A fast hash is enough because secrets are
// 256 random bits, not passwords a person chose.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// tokenCache keeps the store's tokens in memory so that a request does not
// cost a database read. Changes made through the API invalidate it at once;
// changes made by another process (backflush token create|delete) are seen
// after ttl, or — for a new token — on the first request that presents it,
// since an unknown secret forces a reload at most once per missInterval.
type tokenCache struct {
	store        bf.Store
	ttl          time.Duration
	missInterval time.Duration

	mu       sync.Mutex
	byHash   map[string]bf.Token
	loaded   time.Time
	lastMiss time.Time
}

func (c *tokenCache) load(ctx context.Context) error {
	ts, err := c.store.Tokens(ctx)
	if err != nil {
		return err
	}
	m := make(map[string]bf.Token, len(ts))
	for _, t := range ts {
		m[t.Hash] = t
	}
	c.byHash, c.loaded = m, time.Now()
	return nil
}

// lookup returns the token whose secret this is.
func (c *tokenCache) lookup(ctx context.Context, secret string) (bf.Token, bool, error) {
	h := HashSecret(secret)
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if c.byHash == nil || now.Sub(c.loaded) > c.ttl {
		if err := c.load(ctx); err != nil {
			return bf.Token{}, false, err
		}
	}
	t, ok := c.byHash[h]
	if !ok && now.Sub(c.lastMiss) > c.missInterval {
		c.lastMiss = now
		if err := c.load(ctx); err != nil {
			return bf.Token{}, false, err
		}
		t, ok = c.byHash[h]
	}
	return t, ok, nil
}

// invalidate makes the next lookup read the store.
func (c *tokenCache) invalidate() {
	c.mu.Lock()
	c.byHash = nil
	c.mu.Unlock()
}

// sessionCookie is the dashboard's cookie. It holds the token's secret
// itself rather than a server-side session id: revoking the token then
// ends every browser session at once, and a restart logs nobody out. It is
// HttpOnly (no script reads it) and SameSite=Strict (no other site's page
// sends it); the API ignores it and takes only the Authorization header, so
// a page elsewhere cannot make a browser post events.
const sessionCookie = "backflush_session"

// sessionLength is how long a dashboard login lasts.
const sessionLength = 12 * time.Hour

// credential extracts the secret a request presents: the bearer token, or
// for pages also the session cookie.
func credential(r *http.Request, cookieToo bool) string {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, secret, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(secret)
		}
		return ""
	}
	if cookieToo {
		if c, err := r.Cookie(sessionCookie); err == nil {
			return c.Value
		}
	}
	return ""
}

// who is the caller of a request, stored in its context once authenticated.
type who struct {
	name string
	role bf.Role
}

type whoKey struct{}

func caller(r *http.Request) who {
	w, _ := r.Context().Value(whoKey{}).(who)
	return w
}

// authenticate checks the request's credential against the route's role.
func (s *Server) authenticate(r *http.Request, need bf.Role, cookieToo bool) (*http.Request, error) {
	secret := credential(r, cookieToo)
	if secret == "" {
		return r, errStatus(http.StatusUnauthorized, KindUnauthorized, "", "this route needs a token: send Authorization: Bearer <secret>")
	}
	t, ok, err := s.tokens.lookup(r.Context(), secret)
	if err != nil {
		return r, err
	}
	if !ok {
		return r, errStatus(http.StatusUnauthorized, KindUnauthorized, "", "the token is not known (it may have been deleted)")
	}
	r = r.WithContext(context.WithValue(r.Context(), whoKey{}, who{t.Name, t.Role}))
	if t.Role < need {
		return r, errStatus(http.StatusForbidden, KindForbidden, "", "this route needs the role "+need.String()+" or above; token "+t.Name+" is "+t.Role.String())
	}
	return r, nil
}
