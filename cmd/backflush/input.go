package main

import (
	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/eventio"
	"github.com/backflush/backflush/scenario"
)

// input is what the file commands (run, why, report, export) cost: a
// scenario file, a chart mapping applied over its accounts, and events
// from a file posted after the scenario's own.
type input struct {
	cfg       *bf.Config
	file      string
	extra     []bf.Event
	extraFile string
}

// loadInput reads the scenario, applies the chart (if any) and reads the
// events file (if any), in that order, so that errors come in the order
// the user named the files.
func loadInput(file, chart, events string) (*input, error) {
	sc, err := scenario.Load(file)
	if err != nil {
		return nil, err
	}
	if err := applyChart(sc, chart); err != nil {
		return nil, err
	}
	in := &input{cfg: sc, file: file, extraFile: events}
	if events != "" {
		if in.extra, err = eventio.ReadFile(events, "", sc.Plant.Currency.Scale); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// build costs the scenario's events, then the events file's.
func (in *input) build() (*costing.Ledger, error) {
	l, err := costing.Build(in.cfg, in.file)
	if err != nil {
		return nil, err
	}
	if err := costing.PostAll(l, in.extra, in.extraFile); err != nil {
		return nil, err
	}
	return l, nil
}
