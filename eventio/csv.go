package eventio

import (
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
)

// ReadCSV decodes events from CSV whose header row names event fields (the
// names of bf.EventFields, in any order; the columns the simulator and the
// exports write). Empty cells are fields left out. It stops at the first bad
// row: a file with an error yields no events. For ERP exports with other
// column names, package csvio maps columns first.
func ReadCSV(file string, r io.Reader, scale int) ([]bf.Event, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, csvErr(file, 1, "", err)
	}
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		var probe bf.Event
		if why := probe.Set(h, "", scale); strings.HasPrefix(why, "is not an event field") {
			return nil, bf.E("read events", bf.KindInvalid, bf.File(file), bf.LineNo(1), bf.Field(h), why)
		}
		if seen[h] {
			return nil, bf.E("read events", bf.KindInvalid, bf.File(file), bf.LineNo(1), bf.Field(h), "is named twice in the header")
		}
		seen[h] = true
		cols[i] = h
	}
	for _, need := range []string{"id", "date", "type"} {
		if !seen[need] {
			return nil, bf.E("read events", bf.KindInvalid, bf.File(file), bf.LineNo(1), bf.Field(need), "the header lacks this column")
		}
	}
	var out []bf.Event
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, csvErr(file, 0, "", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(cols) {
			return nil, bf.E("read events", bf.KindInvalid, bf.File(file), bf.LineNo(line),
				"has "+strconv.Itoa(len(rec))+" cells; the header has "+strconv.Itoa(len(cols)))
		}
		e := bf.Event{Line: line}
		for i, v := range rec {
			if v == "" {
				continue
			}
			if cols[i] == "id" {
				e.ID = v
			}
		}
		for i, v := range rec {
			if v == "" {
				continue
			}
			if why := e.Set(cols[i], v, scale); why != "" {
				return nil, bf.E("read events", bf.KindInvalid, bf.File(file), bf.LineNo(line), bf.EventID(e.ID), bf.Field(cols[i]), why)
			}
		}
		if e.Type == 0 {
			return nil, bf.E("read events", bf.KindInvalid, bf.File(file), bf.LineNo(line), bf.EventID(e.ID), bf.Field("type"), "is missing")
		}
		if err := e.Validate(); err != nil {
			if be, ok := bf.AsError(err); ok {
				be.File = file
			}
			return nil, err
		}
		out = append(out, e)
	}
}

func csvErr(file string, line int, field string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line = pe.Line
	}
	return bf.E("read events", bf.KindInvalid, bf.File(file), bf.LineNo(line), bf.Field(field), "is not valid CSV", err)
}

// WriteCSV writes events as CSV with a header of event fields
// (bf.EventFields), the layout ReadCSV (and csvio.ReadEvents) read without
// a mapping. A field that does not apply to an event is left empty; the
// hours column is written only when an event records hours, so that files
// of plants that record none keep the layout they always had.
func WriteCSV(w io.Writer, events []bf.Event, scale int) error {
	cw := csv.NewWriter(w)
	fields := bf.EventFields
	if !slices.ContainsFunc(events, func(e bf.Event) bool { return e.Hours != 0 }) {
		fields = slices.DeleteFunc(slices.Clone(fields), func(f string) bool { return f == "hours" })
	}
	if err := cw.Write(fields); err != nil {
		return err
	}
	row := make([]string, len(fields))
	for i := range events {
		for c, f := range fields {
			row[c], _ = events[i].Get(f, scale)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
