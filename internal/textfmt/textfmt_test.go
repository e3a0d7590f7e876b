package textfmt

import (
	"bytes"
	"errors"
	"testing"
)

func TestTableLayout(t *testing.T) {
	var b bytes.Buffer
	tb := Table{Indent: "> ", Left: map[int]bool{2: true}}
	tb.Add("item", "qty", "note")
	tb.Raw("-- a raw line --")
	tb.Add("bolt", "1,250", "café")
	tb.Add("nut", "7", "")
	tb.Flush(&b)
	want := "> item    qty  note\n-- a raw line --\n> bolt  1,250  café\n> nut       7\n"
	if b.String() != want {
		t.Fatalf("got\n%q\nwant\n%q", b.String(), want)
	}
	b.Reset()
	tb.Flush(&b) // flushed: empty
	if b.Len() != 0 {
		t.Fatalf("a flushed table wrote %q again", b.String())
	}
}

type failing struct{ n int }

func (f *failing) Write(p []byte) (int, error) {
	f.n++
	return 0, errors.New("disk full")
}

func TestErrWriterKeepsFirstError(t *testing.T) {
	f := &failing{}
	ew := &ErrWriter{W: f}
	ew.Write([]byte("a"))
	ew.Write([]byte("b"))
	if ew.Err == nil || f.n != 1 {
		t.Fatalf("error %v after %d writes, want the first error and one write", ew.Err, f.n)
	}
}
