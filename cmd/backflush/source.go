package main

import (
	"context"
	"flag"
	"fmt"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/service"
)

// source is where a read command (why, export, report) finds its books: a
// scenario file named on the command line (with --events after its own
// events), or, when none is named, the plant's store (--db or --pg), the
// books `serve` keeps. --chart applies over either's accounts.
type source struct {
	events *string
	chart  *string
	store  storeFlags
}

// addSourceFlags adds --events, --chart, --db and --pg.
func addSourceFlags(fs *flag.FlagSet) source {
	return source{
		events: fs.String("events", "", "with FILE: events posted after the scenario's own (JSON Lines, or CSV when the name ends in .csv)"),
		chart:  chartFlag(fs),
		store:  addStoreFlags(fs),
	}
}

// parseSource parses a read command's flags and its one optional file
// argument.
func parseSource(fs *flag.FlagSet, args []string) (file string, err error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return "", err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos, args = append(pos, args[0]), args[1:]
	}
	if len(pos) > 1 {
		return "", usageError{fmt.Sprintf("%s takes one scenario file, or none to read the store, got %d", fs.Name(), len(pos))}
	}
	if len(pos) == 1 {
		return pos[0], nil
	}
	return "", nil
}

// withLedger costs the scenario file (and --events) or opens the store,
// and runs fn with the books and the configuration: the scenario's, or
// for the store its name, plant and chart (with --chart applied).
func (src source) withLedger(file string, fn func(l *costing.Ledger, cfg *bf.Config) error) error {
	if file != "" {
		in, err := loadInput(file, *src.chart, *src.events)
		if err != nil {
			return err
		}
		l, err := in.build()
		if err != nil {
			return err
		}
		return fn(l, in.cfg)
	}
	if *src.events != "" {
		return usageError{"--events applies to a scenario file: post events to the store with backflush ingest"}
	}
	return src.store.withService(context.Background(), func(s *service.Service) error {
		cfg := &bf.Config{Name: s.Name(), Chart: *s.Chart()}
		if err := applyChart(cfg, *src.chart); err != nil {
			return err
		}
		return s.View(func(l *costing.Ledger) error {
			cfg.Plant = *l.Std.Plant
			return fn(l, cfg)
		})
	})
}
