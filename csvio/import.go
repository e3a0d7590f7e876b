package csvio

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/scenario"
)

// ImportFiles names the ERP exports an import reads and the scenario it
// writes.
type ImportFiles struct {
	Items, BOM string // the item master and the BOM lines (required)
	Events     string // the events, if any
	Chart      string // a chart-of-accounts mapping, if any
	Name       string // the plant's name (default "Imported from" and the items file's name)
	Out        string // the scenario file's name, for its errors
}

// Imported is what an import made: the configuration, its scenario file
// (checked to read back and cost) and the row problems skipped under
// Options.SkipBadRows.
type Imported struct {
	Config   *bf.Config
	Scenario []byte
	Skipped  Errors
}

// BOMLines counts the BOM lines imported.
func (im *Imported) BOMLines() int {
	n := 0
	for _, it := range im.Config.Plant.Items {
		n += len(it.BOM)
	}
	return n
}

// Import reads an ERP's item master, BOM lines and events from CSV as o
// maps them, and writes the scenario file the other commands read. Rows
// refused (without SkipBadRows) are returned together as *RowsRefused,
// and nothing is imported; the scenario is decoded and costed before it is
// returned, so a file Import makes is always one the commands read.
func Import(f ImportFiles, o Options) (*Imported, error) {
	name := f.Name
	if name == "" {
		name = "Imported from " + filepath.Base(f.Items)
	}
	open := func(path string) (*os.File, error) {
		fh, err := os.Open(path)
		if err != nil {
			return nil, bf.E("import", bf.KindNotFound, bf.File(path), err)
		}
		return fh, nil
	}
	fi, err := open(f.Items)
	if err != nil {
		return nil, err
	}
	defer fi.Close()
	fb, err := open(f.BOM)
	if err != nil {
		return nil, err
	}
	defer fb.Close()
	p, skipped, err := ReadPlant(Source{File: f.Items, R: fi}, Source{File: f.BOM, R: fb}, name, o)
	var refused Errors
	if errors.As(err, &refused) {
		return nil, &RowsRefused{refused}
	}
	if err != nil {
		return nil, err
	}
	var evs []bf.Event
	sources := []string{f.Items, f.BOM}
	if f.Events != "" {
		fe, err := open(f.Events)
		if err != nil {
			return nil, err
		}
		defer fe.Close()
		var more Errors
		evs, more, err = ReadEvents(Source{File: f.Events, R: fe}, p, o)
		if errors.As(err, &refused) {
			return nil, &RowsRefused{refused}
		}
		if err != nil {
			return nil, err
		}
		skipped = append(skipped, more...)
		sources = append(sources, f.Events)
	}
	var c bf.Chart
	if f.Chart != "" {
		if c, err = LoadChart(f.Chart, o); err != nil {
			return nil, err
		}
		sources = append(sources, f.Chart)
	}
	comment := []string{"Imported by backflush import from " + strings.Join(sources, ", ") + "."}
	if len(skipped) > 0 {
		comment = append(comment, strconv.Itoa(len(skipped))+" bad row problem(s) skipped (--skip-bad-rows); the command listed them.")
	}
	cfg := &bf.Config{Name: p.Name, Plant: *p, Chart: c, Events: evs}
	var buf bytes.Buffer
	if err := scenario.Write(&buf, cfg, comment); err != nil {
		return nil, bf.E("import", bf.KindInternal, err)
	}
	// The file must be one the other commands read: decode and cost it
	// before handing it over.
	sc, err := scenario.Decode(f.Out, buf.Bytes())
	if err == nil {
		_, err = costing.Build(sc, f.Out)
	}
	if err != nil {
		return nil, bf.E("import", bf.KindInternal, "the scenario written does not read back", err)
	}
	return &Imported{Config: cfg, Scenario: buf.Bytes(), Skipped: skipped}, nil
}

// RowsRefused reports every row that kept an import from happening.
type RowsRefused struct{ Errs Errors }

// Error lists the rows, one a line.
func (r *RowsRefused) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d row problem(s); nothing imported (--skip-bad-rows imports the good rows):", len(r.Errs))
	for _, e := range r.Errs {
		b.WriteString("\n  " + e.Error())
	}
	return b.String()
}

// Unwrap gives the report one kind for the exit code: the rows' kind when
// they share it, else invalid input.
func (r *RowsRefused) Unwrap() error {
	return bf.E("import", r.Errs.Kind(), "rows refused", r.Errs)
}
