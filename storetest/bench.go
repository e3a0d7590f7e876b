package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	bf "github.com/backflush/backflush"
)

// Bench runs the store benchmarks, for `go test -bench`:
//   - Batch1000: Append of 1,000-event batches, reported as events/s;
//   - Single: one-event appends, each a durable transaction, reported as
//     p50 and p99 latency (ns) and events/s;
//   - Replay: a replay of a 100,000-event log, reported as events/s.
//
// open must return a store on fresh, empty storage at each call; Bench
// closes it.
func Bench(b *testing.B, open func(b *testing.B) bf.Store) {
	b.Run("Batch1000", func(b *testing.B) {
		st := open(b)
		defer st.Close()
		const size = 1000
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			events := batch(fmt.Sprintf("b%d", i), size)
			b.StartTimer()
			if err := st.Append(bg, events); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(perSecond(int64(size)*int64(b.N), b.Elapsed()), "events/s")
	})
	b.Run("Single", func(b *testing.B) {
		st := open(b)
		defer st.Close()
		lat := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			events := batch(fmt.Sprintf("s%d", i), 1)
			b.StartTimer()
			start := time.Now()
			if err := st.Append(bg, events); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
		b.StopTimer()
		slices.Sort(lat)
		// Latencies are reported in whole nanoseconds; ReportMetric takes a
		// float64, which is exact for any count of nanoseconds below 2^53.
		b.ReportMetric(float64(lat[len(lat)*50/100].Nanoseconds()), "p50-ns")
		b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
		b.ReportMetric(perSecond(int64(b.N), b.Elapsed()), "events/s")
	})
	b.Run("Replay", func(b *testing.B) {
		st := open(b)
		defer st.Close()
		const n = 100_000
		for i := 0; i < n; i += 10_000 {
			if err := st.Append(bg, batch(fmt.Sprintf("r%d", i), 10_000)); err != nil {
				b.Fatal(err)
			}
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			count := 0
			if err := st.Replay(bg, func(*bf.Event) error { count++; return nil }); err != nil {
				b.Fatal(err)
			}
			if count != n {
				b.Fatalf("replayed %d events, want %d", count, n)
			}
		}
		b.ReportMetric(perSecond(int64(n)*int64(b.N), b.Elapsed()), "events/s")
	})
}

// perSecond is a rate for ReportMetric (which takes a float64); it is a
// benchmark figure, not an amount.
func perSecond(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) * float64(time.Second) / float64(d)
}
