package main

import (
	"flag"
	"io"

	"github.com/backflush/backflush/internal/textfmt"
)

// textStyle holds --plain and --wide, the flags of every command that
// prints text for people.
type textStyle struct{ plain, wide *bool }

// styleFlags adds --plain and --wide to a command that prints text tables.
func styleFlags(fs *flag.FlagSet) textStyle {
	return textStyle{
		plain: fs.Bool("plain", false, "text: amounts as raw digits (1234567.89) instead of grouped in thousands (1,234,567.89)"),
		wide:  fs.Bool("wide", false, "text: lines as long as they are instead of fitted to 100 columns (tables split or wrapped, prose folded)"),
	}
}

// out returns standard output for text in this style, and what flushes
// it: a command calls it only for text, never for JSON or a file format.
func (s textStyle) out(w io.Writer) (io.Writer, func()) {
	o := textfmt.NewOut(w, textfmt.Style{Plain: *s.plain, Wide: *s.wide})
	return o, func() { o.Flush() }
}

// forFormat checks --format (text or json) and returns standard output for
// it: in this style for text, as it is for JSON; call the flush when done.
func (s textStyle) forFormat(w io.Writer, format string) (io.Writer, func(), error) {
	switch format {
	case "text":
		out, flush := s.out(w)
		return out, flush, nil
	case "json":
		return w, func() {}, nil
	}
	return nil, nil, usageError{"--format must be text or json"}
}
