package eventio

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"

	bf "github.com/backflush/backflush"
)

// Formats names the formats ReadFile reads.
const Formats = "jsonl or csv"

// FormatOf is the format of an events file when none is given: CSV when
// the name ends in .csv (any case), else JSON Lines (standard input too).
func FormatOf(path string) string {
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		return "csv"
	}
	return "jsonl"
}

// ReadFile reads an events file — the one reader of every command that
// takes events: JSON Lines (one event object a line) or CSV with a header
// of event fields. format is "jsonl", "csv" or "" (by the name, FormatOf);
// path "-" is standard input. Errors name the file and the line; a missing
// file is KindNotFound and an unknown format KindInvalid.
func ReadFile(path, format string, scale int) ([]bf.Event, error) {
	if format == "" {
		format = FormatOf(path)
	}
	if format != "jsonl" && format != "csv" {
		return nil, bf.E("read events", bf.KindInvalid, bf.File(path), bf.Field("format"), "must be "+Formats)
	}
	var r io.Reader
	name := path
	if path == "-" {
		r, name = bufio.NewReader(os.Stdin), "standard input"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, bf.E("read events", bf.KindNotFound, bf.File(path), err)
		}
		defer f.Close()
		r = f
	}
	if format == "csv" {
		return ReadCSV(name, r, scale)
	}
	return ReadJSONL(name, r, scale)
}

// WriteFile writes events to a file in the format its name says
// (FormatOf): CSV for a .csv name, else JSON Lines.
func WriteFile(path string, events []bf.Event, scale int) error {
	f, err := os.Create(path)
	if err != nil {
		return bf.E("write events", bf.KindNotFound, bf.File(path), err)
	}
	if FormatOf(path) == "csv" {
		err = WriteCSV(f, events, scale)
	} else {
		err = WriteJSONL(f, events, scale)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return bf.E("write events", bf.KindInternal, bf.File(path), err)
	}
	return nil
}
