package service_test

import (
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/service"
)

// TestCommandID pins the one id rule of the commands: derived from the
// request alone, so that a retry by any path is the same event.
func TestCommandID(t *testing.T) {
	d, _ := bf.ParseDate("2026-01-31")
	for _, c := range []struct {
		e    bf.Event
		want string
	}{
		{bf.Event{Type: bf.Close, Date: d, Reason: "chips late"}, "close-2026-01-31"},
		{bf.Event{Type: bf.Reverse, Date: d, Reverses: "s1"}, "reverse-s1"},
		{bf.Event{Type: bf.Reprocess, Date: d}, "reprocess-2026-01-31"},
		{bf.Event{Type: bf.Reprocess, Date: d, Item: "chip"}, "reprocess-2026-01-31-chip"},
		{bf.Event{Type: bf.Purchase, Date: d}, ""},
	} {
		if got := service.CommandID(&c.e); got != c.want {
			t.Errorf("CommandID(%s) = %q, want %q", c.e.Type, got, c.want)
		}
		if got := service.CommandID(&c.e); got != c.want {
			t.Errorf("CommandID(%s) is not stable: %q", c.e.Type, got)
		}
	}
}
