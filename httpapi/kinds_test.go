package httpapi_test

import (
	"net/http"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/httpapi"
)

// TestDomainKinds checks that the domain's mapping of kinds (bf.Kind's Ident
// and HTTPStatus, which cannot import net/http) says what the API documents.
func TestDomainKinds(t *testing.T) {
	for _, c := range []struct {
		kind   bf.Kind
		ident  string
		status int
	}{
		{bf.KindInternal, httpapi.KindInternal, http.StatusInternalServerError},
		{bf.KindInvalid, httpapi.KindInvalid, http.StatusBadRequest},
		{bf.KindNotFound, httpapi.KindNotFound, http.StatusNotFound},
		{bf.KindConflict, httpapi.KindConflict, http.StatusConflict},
		{bf.KindClosedPeriod, httpapi.KindClosedPeriod, http.StatusConflict},
		{bf.KindInsufficient, httpapi.KindInsufficient, http.StatusUnprocessableEntity},
	} {
		if c.kind.Ident() != c.ident || c.kind.HTTPStatus() != c.status {
			t.Errorf("%v: %s %d, want %s %d", c.kind, c.kind.Ident(), c.kind.HTTPStatus(), c.ident, c.status)
		}
	}
}
