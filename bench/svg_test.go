package bench

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestWriteSVGGolden draws the scaling chart of a fixed report and compares
// it with testdata/scaling.svg (refresh with -update and review the diff):
// the chart's layout, log axes, ticks, reference lines and tooltips.
func TestWriteSVGGolden(t *testing.T) {
	rep := &Report{Machine: Machine{CPU: "Test CPU <&>", Cores: 2, GoVersion: "go1.26"}, Config: Config{Seed: 7}}
	for i, x := range []int{1_000, 10_000, 100_000, 1_000_000} {
		rep.Scaling = append(rep.Scaling, ScalePoint{Axis: "events", X: x, Rate1: 4.2e6 / float64(i+1), Rate4: 1.1e6 / float64(i+1),
			StreamHeap: int64(x) * 100, RetainHeap: int64(x) * 1600})
	}
	for i, x := range []int{5, 20, 200} {
		rep.Scaling = append(rep.Scaling, ScalePoint{Axis: "components", X: x, Rate1: 3e6 / float64(i+2), Rate4: 9e5 / float64(i+2)})
	}
	var buf bytes.Buffer
	if err := rep.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/scaling.svg"
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("the chart differs from %s (go test -run TestWriteSVGGolden ./bench -update, then review the diff)", golden)
	}
}
