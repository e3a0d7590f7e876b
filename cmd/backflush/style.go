package main

import (
	"flag"
	"io"

	"github.com/backflush/backflush/internal/textfmt"
)

// styleFlags adds --plain and --wide to a command that prints text tables
// and returns what wraps its standard output in that style.
func styleFlags(fs *flag.FlagSet) func(io.Writer) io.Writer {
	plain := fs.Bool("plain", false, "text: amounts as raw digits (1234567.89) instead of grouped in thousands (1,234,567.89)")
	wide := fs.Bool("wide", false, "text: tables as wide as their cells instead of fitted to 100 columns")
	return func(w io.Writer) io.Writer {
		return textfmt.WithStyle(w, textfmt.Style{Plain: *plain, Wide: *wide})
	}
}
