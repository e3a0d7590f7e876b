package httpapi_test

import (
	"bytes"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/eventio"
	"github.com/backflush/backflush/export"
	"github.com/backflush/backflush/scenario"
)

// TestExportDownloads: each book in each format, whole and one period, is
// the file `backflush export` writes of the same plant and events, sent
// as an attachment with its media type and name; bad parameters are 400,
// an unknown book 404.
func TestExportDownloads(t *testing.T) {
	e := newEnv(t)
	e.do("POST", "/api/v1/periods/close", e.secret[bf.Controller], `{"date":"2026-01-31"}`)
	sc, err := scenario.Decode("plant.yaml", []byte(testPlant))
	if err != nil {
		t.Fatal(err)
	}
	l, err := costing.Build(sc, "plant.yaml")
	if err != nil {
		t.Fatal(err)
	}
	evs, err := eventio.ReadJSONL("events", strings.NewReader(baseEvents+`{"id":"close-2026-01-31","date":"2026-01-31","type":"close"}`+"\n"), 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := costing.PostAll(l, evs, "events"); err != nil {
		t.Fatal(err)
	}
	for _, book := range []string{"seq", "pc", "sale"} {
		for _, f := range []string{"ledger", "hledger", "beancount", "csv", "xlsx"} {
			for _, period := range []string{"", "1"} {
				path := "/api/v1/books/" + book + "/export?format=" + f
				o := export.Options{Chart: &sc.Chart, Title: sc.Name}
				name := "test-plant-" + book
				if period != "" {
					path += "&period=" + period
					o.Period, name = 1, name+"-p1"
				}
				res := e.request("GET", path, e.secret[bf.Viewer], nil, nil)
				var got bytes.Buffer
				got.ReadFrom(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					t.Fatalf("GET %s: %d %s", path, res.StatusCode, got.String())
				}
				format, _ := export.ParseFormat(f)
				var want bytes.Buffer
				if err := export.Write(&want, format, l, l.Book(book), o); err != nil {
					t.Fatal(err)
				}
				if f == "xlsx" {
					// The workbook's zip carries no time: the bytes agree too.
					if !bytes.Equal(got.Bytes(), want.Bytes()) {
						t.Errorf("GET %s: the workbook differs from the export's (%d and %d bytes)", path, got.Len(), want.Len())
					}
				} else if got.String() != want.String() {
					t.Errorf("GET %s differs from the export:\n%s\nwant\n%s", path, got.String(), want.String())
				}
				cd := res.Header.Get("Content-Disposition")
				if !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, `filename="`+name+".") {
					t.Errorf("GET %s: Content-Disposition %q, want attachment %s.*", path, cd, name)
				}
				if ct := res.Header.Get("Content-Type"); ct == "" || (f == "csv") != strings.HasPrefix(ct, "text/csv") {
					t.Errorf("GET %s: Content-Type %q", path, ct)
				}
			}
		}
	}
	// The book page links every format of the journal and of each period,
	// each link the API's download.
	st, page := e.do("GET", "/books/pc", e.secret[bf.Viewer], "")
	links := regexp.MustCompile(`href="(/books/pc/download\?[^"]+)"`).FindAllStringSubmatch(string(page), -1)
	if st != 200 || len(links) != 10 {
		t.Fatalf("the book page (%d) links %d downloads, want 5 formats × (the journal and period 1)", st, len(links))
	}
	for _, m := range links {
		href := html.UnescapeString(m[1])
		st, got := e.do("GET", href, e.secret[bf.Viewer], "")
		_, want := e.do("GET", strings.Replace(href, "/books/pc/download", "/api/v1/books/pc/export", 1), e.secret[bf.Viewer], "")
		if st != 200 || !bytes.Equal(got, want) {
			t.Errorf("GET %s: %d, %d bytes; the API's download has %d", href, st, len(got), len(want))
		}
	}
	for _, c := range []struct {
		path   string
		status int
		field  string
	}{
		{"/api/v1/books/seq/export", http.StatusBadRequest, "format"},
		{"/api/v1/books/seq/export?format=pdf", http.StatusBadRequest, "format"},
		{"/api/v1/books/seq/export?format=csv&period=0", http.StatusBadRequest, "period"},
		{"/api/v1/books/nope/export?format=csv", http.StatusNotFound, "book"},
	} {
		st, b := e.do("GET", c.path, e.secret[bf.Viewer], "")
		if st != c.status || decodeErr(t, b).Field != c.field {
			t.Errorf("GET %s: %d %s, want %d on field %s", c.path, st, b, c.status, c.field)
		}
	}
}
