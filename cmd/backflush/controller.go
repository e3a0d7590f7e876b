package main

import (
	"flag"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/report"
	"github.com/backflush/backflush/scenario"
)

// controllerReport declares the flags of the controller's reports (bom,
// throughput) and returns their request.
func controllerReport(kind string, fs *flag.FlagSet) func() (report.Request, error) {
	if kind == "throughput" {
		contribution := fs.Bool("contribution", false, "also contribution (price − materials − variable conversion) per minute of the limiting factor: its ranking, best mix and the profit of each mix with the same fixed costs")
		return func() (report.Request, error) {
			return report.Request{Kind: report.KindThroughput, Controller: report.Controller{Contribution: *contribution}}, nil
		}
	}
	item := fs.String("item", "", "the item whose costed BOM to show (default: every finished item)")
	proposed := fs.String("proposed", "", "a scenario file with proposed standards: each item's rolled-up standard before and after, and the revaluation of inventory on hand")
	version := fs.Int("proposed-version", 0, "from a store: its configuration version N as the proposed standards")
	return func() (report.Request, error) {
		q := report.Request{Kind: report.KindBOM, Item: *item, Controller: report.Controller{ProposedVersion: *version}}
		if *proposed != "" && *version != 0 {
			return q, usageError{"give --proposed or --proposed-version, not both"}
		}
		if *version < 0 {
			return q, bf.E("bom", bf.KindInvalid, bf.Field("proposed-version"), "must be a version number from 1")
		}
		if *proposed != "" {
			sc, err := scenario.Load(*proposed)
			if err != nil {
				return q, err
			}
			q.Proposed, q.ProposedFrom = &sc.Plant, *proposed
		}
		return q, nil
	}
}
