package sim

import (
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
)

// The stall detector catches the jam of issue 17 when the old card rule
// (the card rides on the delivery completing its container) is restored:
// it ends the run at the day the plant stood still with an andon message
// naming the loop, its stock, the need and its cards.
func TestStallDetector(t *testing.T) {
	for _, c := range []struct {
		plant   string
		days    int
		seed    uint64
		disturb Disturbances
		want    string
	}{
		{"testdata/deadlock.yaml", 3, 19, Defects, "plant stalled since minute 490 (day 2): loop wheel holds 2, needs 4 to start cart at line, no free card (all 2 ride on containers in the store)"},
		{"", 30, 12, AllDisturbances, "plant stalled since minute 2782 (day 3): loop piston holds 10, needs 12 to start engine6 at engine, no free card (all 3 ride on containers in the store)"},
	} {
		m := Default()
		if c.plant != "" {
			var err error
			if m, err = Load(c.plant); err != nil {
				t.Fatal(err)
			}
		}
		r, err := m.Run(Options{Days: c.days, Seed: c.seed, Disturb: c.disturb, cardOnLast: true})
		if err == nil || r == nil || r.Stall == nil {
			t.Fatalf("%s seed %d: no stall detected (%v)", m.File, c.seed, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, c.want) || !strings.HasPrefix(msg, m.File+": ") || !strings.Contains(msg, "plant stalled since minute") ||
			bf.ErrorKind(err) != bf.KindInvalid {
			t.Errorf("%s: %q", m.File, msg)
		}
		s := r.Stall
		if s.Holds >= s.Needs || s.Minute < 0 || s.Minute >= int64(c.days)*m.DayMinutes {
			t.Errorf("%s: stall %+v", m.File, s)
		}
		// The run ends the day it stalled, with the period closed.
		if got := len(r.Daily); got != int(s.Minute/m.DayMinutes)+1 && got != int(s.Minute/m.DayMinutes)+2 {
			t.Errorf("%s: stalled at minute %d, %d days simulated", m.File, s.Minute, got)
		}
		if last := r.Events[len(r.Events)-1]; last.Type != bf.Close {
			t.Errorf("%s: the stalled run ends with %s, not a close", m.File, last.Type)
		}
		// With the card on the first accepted parts the same run does not stall.
		if _, err := m.Run(Options{Days: c.days, Seed: c.seed, Disturb: c.disturb}); err != nil {
			t.Errorf("%s: %v", m.File, err)
		}
	}
}
