package bench

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"time"
)

// resetPeak resets the process's peak resident set (VmHWM) to its current
// size, so that the next peakRSS is the peak of what runs in between.
// Linux supports it since 4.0 by writing 5 to /proc/self/clear_refs; where
// that fails the peak stays the process's, which overstates later stages,
// and the report says so (ok false).
func resetPeak() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSS returns the process's peak resident set in bytes (VmHWM), 0 when
// /proc is not there.
func peakRSS() int64 { return procStatus("VmHWM:") }

func procStatus(key string) int64 { return statusField("/proc/self/status", key) }

// statusField reads a memory field of a /proc status file in bytes, 0 when
// it cannot be read (the process ended).
func statusField(path, key string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Bytes()
		if rest, ok := bytes.CutPrefix(line, []byte(key)); ok {
			kb, _ := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte(" kB"))), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// heapLive returns the bytes of live heap objects after a full collection:
// what the program holds, without garbage waiting to be collected.
func heapLive() int64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}

// mallocs returns the count of heap allocations so far. ReadMemStats
// stops the world to flush every processor's counts, so that no
// allocation is missed (runtime/metrics' count leaves out tiny ones and
// those not yet flushed).
func mallocs() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.Mallocs
}

// median returns the median of xs (the mean of the middle two for an even
// count); 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// quantile returns the q-quantile of sorted durations (nearest rank).
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
