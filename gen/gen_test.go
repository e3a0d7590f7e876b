package gen_test

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/eventio"
	"github.com/backflush/backflush/gen"
	"github.com/backflush/backflush/internal/scenariotest"
)

// digest hashes a plant and its stream, as JSON Lines, so that two runs
// can be compared without keeping the events.
func digest(t *testing.T, g *gen.Generator) (plant, events uint64, n int) {
	t.Helper()
	h := fnv.New64a()
	var buf bytes.Buffer
	if err := g.WriteScenario(&buf, gen.Books(4)); err != nil {
		t.Fatal(err)
	}
	h.Write(buf.Bytes())
	plant = h.Sum64()
	h.Reset()
	var line []byte
	for e := range g.Events() {
		line = eventio.AppendJSON(line[:0], e, 2)
		h.Write(line)
		n++
	}
	return plant, h.Sum64(), n
}

// TestDeterministic: the same seed gives the same plant and stream, in a
// new generator and on a second pass of the same one; another seed gives
// others; the stream's length does not change the plant.
func TestDeterministic(t *testing.T) {
	cfg := gen.Config{Seed: 7, Items: 2_000, Depth: 3, Components: 12, Events: 10_000}
	g1, err := gen.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	g2, _ := gen.New(cfg)
	p1, e1, n := digest(t, g1)
	p2, e2, _ := digest(t, g2)
	p3, e3, _ := digest(t, g1)
	if p1 != p2 || e1 != e2 || p1 != p3 || e1 != e3 {
		t.Fatal("one seed gave two different plants or streams")
	}
	if n != cfg.Events {
		t.Fatalf("the stream has %d events, want %d", n, cfg.Events)
	}
	other := cfg
	other.Seed = 8
	g3, _ := gen.New(other)
	if p, e, _ := digest(t, g3); p == p1 || e == e1 {
		t.Fatal("two seeds gave the same plant or stream")
	}
	longer := cfg
	longer.Events = 20_000
	g4, _ := gen.New(longer)
	if p, _, _ := digest(t, g4); p != p1 {
		t.Fatal("the stream's length changed the plant")
	}
}

// shape checks the plant's structure against its configuration: the item
// count, the BOM width, and the depth (the longest chain of made items).
func shape(t *testing.T, g *gen.Generator, std *costing.Standards) {
	t.Helper()
	c := g.Config()
	p := g.Plant()
	if len(p.Items) != c.Items {
		t.Fatalf("%d items, want %d", len(p.Items), c.Items)
	}
	made, finished := 0, 0
	depth := make([]int, len(p.Items))
	for _, x := range std.Order() {
		it := std.Item(x)
		if it.Kind == bf.Material {
			continue
		}
		made++
		if it.Kind == bf.Finished {
			finished++
		}
		if len(it.BOM) != c.Components {
			t.Fatalf("item %s has %d BOM lines, want %d", it.ID, len(it.BOM), c.Components)
		}
		for _, l := range it.BOM {
			y, _ := std.Lookup(l.Item)
			depth[x] = max(depth[x], depth[y]+1)
		}
		if it.Kind == bf.Finished && depth[x] != c.Depth {
			t.Fatalf("finished item %s is %d levels deep, want %d", it.ID, depth[x], c.Depth)
		}
	}
	if made != c.Made || finished == 0 {
		t.Fatalf("%d made items (%d finished), want %d", made, finished, c.Made)
	}
}

// TestStreamsPost: every generated stream, over the documented ranges of
// depth and BOM width, posts without error in order into a ledger with
// the four benchmark books, and into a streaming ledger reaching the same
// balances; its events are of every documented type, dated in order, with
// a close ending the stream and each period.
func TestStreamsPost(t *testing.T) {
	for _, c := range []gen.Config{
		{Seed: 1, Items: 1_000, Depth: 1, Components: 5, Events: 10_000},
		{Seed: 2, Items: 1_000, Depth: 2, Components: 20, Events: 10_000},
		{Seed: 3, Items: 5_000, Depth: 3, Components: 50, Events: 10_000, Periods: 4},
		{Seed: 4, Items: 1_000, Depth: 5, Components: 200, Events: 10_000, Days: 30, Periods: 30},
		{Seed: 5, Items: 3_000, Depth: 4, Components: 8, Made: 1_500, Events: 12_345, Periods: 1},
	} {
		t.Run(fmt.Sprintf("seed=%d/depth=%d/components=%d", c.Seed, c.Depth, c.Components), func(t *testing.T) {
			g, err := gen.New(c)
			if err != nil {
				t.Fatal(err)
			}
			c = g.Config()
			std, err := costing.Compile(g.Plant())
			if err != nil {
				t.Fatal(err)
			}
			shape(t, g, std)
			l, err := costing.NewLedger(std, gen.Books(4), bf.CloseToCOGS)
			if err != nil {
				t.Fatal(err)
			}
			s, err := costing.NewStreamingLedger(std, gen.Books(4), bf.CloseToCOGS)
			if err != nil {
				t.Fatal(err)
			}
			count := map[bf.EventType]int{}
			var last bf.Date
			var lastType bf.EventType
			err = g.Each(func(e *bf.Event) error {
				if e.Date < last {
					return fmt.Errorf("event %s goes back to %s", e.ID, e.Date)
				}
				last, lastType = e.Date, e.Type
				count[e.Type]++
				if err := l.Post(e); err != nil {
					return err
				}
				return s.Post(e)
			})
			if err != nil {
				t.Fatal(err)
			}
			if l.Len() != c.Events || s.Len() != c.Events {
				t.Fatalf("posted %d and %d events, want %d", l.Len(), s.Len(), c.Events)
			}
			for _, typ := range []bf.EventType{bf.Purchase, bf.Start, bf.Complete, bf.Sale, bf.ConversionCost} {
				if count[typ] < c.Events/20 {
					t.Errorf("only %d %s events of %d", count[typ], typ, c.Events)
				}
			}
			if count[bf.Close] != c.Periods || lastType != bf.Close {
				t.Errorf("%d closes (the last event a %s), want %d ending the stream", count[bf.Close], lastType, c.Periods)
			}
			if want := c.Start + bf.Date(c.Days-1); l.ClosedThrough() != want {
				t.Errorf("closed through %s, want %s", l.ClosedThrough(), want)
			}
			for i, b := range l.Books {
				var total bf.Money
				for _, v := range b.Balances() {
					total += v
				}
				if total != 0 {
					t.Errorf("book %s does not balance: %d", b.Config.Name, total)
				}
				if b.Balances() != s.Books[i].Balances() {
					t.Errorf("book %s: the streaming ledger's balances differ", b.Config.Name)
				}
			}
		})
	}
}

// TestScenario: the scenario document decodes and builds, with the books
// given, into standards equal to those compiled from the plant.
func TestScenario(t *testing.T) {
	g, err := gen.New(gen.Config{Seed: 3, Items: 1_000, Depth: 3, Components: 10})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := g.WriteScenario(&buf, gen.Books(2)); err != nil {
		t.Fatal(err)
	}
	sc, l := scenariotest.Decode(t, "gen.yaml", buf.String())
	if len(l.Books) != 2 || l.Books[1].Config != gen.Books(2)[1] {
		t.Fatalf("books %v", sc.Books)
	}
	std, err := costing.Compile(g.Plant())
	if err != nil {
		t.Fatal(err)
	}
	for i := range std.NumItems() {
		if std.Rolled(int32(i)) != l.Std.Rolled(int32(i)) {
			t.Fatalf("item %s: rolled cost %s from the scenario, %s from the plant", std.Item(int32(i)).ID, l.Std.Rolled(int32(i)), std.Rolled(int32(i)))
		}
	}
}

// TestConfigRefused: values outside the documented ranges are refused.
func TestConfigRefused(t *testing.T) {
	for _, c := range []gen.Config{
		{Items: 999}, {Items: 1_000_001}, {Depth: 6}, {Depth: -1}, {Components: 4}, {Components: 201},
		{Events: -5}, {Periods: 400}, {Made: 1}, {Made: 600},
	} {
		if _, err := gen.New(c); bf.ErrorKind(err) != bf.KindInvalid {
			t.Errorf("New(%+v): %v, want an invalid error", c, err)
		}
	}
}

// TestEventsAllocs: generating allocates only each event's id.
func TestEventsAllocs(t *testing.T) {
	g, err := gen.New(gen.Config{Seed: 1, Events: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(2, func() {
		for range g.Events() {
		}
	})
	if per := allocs / 10_000; per > 1.01 {
		t.Errorf("generating allocates %.2f times per event, want 1 (the id)", per)
	}
}

// BenchmarkEvents measures generating the stream, one op per event.
func BenchmarkEvents(b *testing.B) {
	g, err := gen.New(gen.Config{Seed: 1, Events: max(b.N, 1)})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range g.Events() {
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
