package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/eventio"
	"github.com/backflush/backflush/httpapi"
	"github.com/backflush/backflush/internal/textfmt"
	"github.com/backflush/backflush/report"
	"github.com/backflush/backflush/service"
)

// storeFlags are the flags that choose a store: the embedded SQLite file by
// default, PostgreSQL when a DSN is given (flag or BACKFLUSH_PG_DSN).
type storeFlags struct {
	db *string
	pg *string
}

func addStoreFlags(fs *flag.FlagSet) storeFlags {
	return storeFlags{
		db: fs.String("db", "backflush.db", "the embedded store: a SQLite file"),
		pg: fs.String("pg", os.Getenv("BACKFLUSH_PG_DSN"), "a PostgreSQL DSN (postgres://…); overrides --db"),
	}
}

// open opens the store, which must exist (init creates it).
func (f storeFlags) open(ctx context.Context) (bf.Store, error) {
	return openStore(ctx, *f.db, *f.pg, false)
}

// withService opens the store and the service, runs fn and closes the store.
func (f storeFlags) withService(ctx context.Context, fn func(s *service.Service) error) error {
	st, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := service.Open(ctx, st)
	if err != nil {
		return err
	}
	return fn(s)
}

// cmdInit stores a plant's first configuration (and the scenario's events).
func cmdInit(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("init")
	sf := addStoreFlags(fs)
	admin := fs.String("admin", "", "also create the store's first admin token under this name and print its secret once (for the dashboard's login and the API)")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	doc, err := os.ReadFile(pos[0])
	if err != nil {
		return bf.E("read scenario", bf.KindNotFound, bf.File(pos[0]), err)
	}
	ctx := context.Background()
	_, statErr := os.Stat(*sf.db)
	fresh := *sf.pg == "" && errors.Is(statErr, os.ErrNotExist)
	st, err := openStore(ctx, *sf.db, *sf.pg, true)
	if err != nil {
		return err
	}
	if err := service.Init(ctx, st, doc, pos[0]); err != nil {
		st.Close()
		if fresh { // a refused scenario leaves no empty store behind
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(*sf.db + suffix)
			}
		}
		return err
	}
	defer st.Close()
	n, _ := st.Len(ctx)
	fmt.Fprintf(stdout, "initialised %s from %s: %s in the log\n", storeName(sf), pos[0], textfmt.Plural(int(n), "event", "events"))
	if *admin == "" {
		return nil
	}
	secret, t, err := httpapi.NewToken(*admin, bf.Admin)
	if err == nil {
		err = st.PutToken(ctx, &t)
	}
	if err != nil {
		return bf.E("init", bf.KindInternal, "the store is initialised but its admin token could not be made: make one with backflush token create", err)
	}
	fmt.Fprintf(stdout, "admin token %q: %s\n", t.Name, secret)
	fmt.Fprintln(stderr, "its secret is shown once: log in to the dashboard with it, or send it as Authorization: Bearer <secret>")
	return nil
}

func storeName(sf storeFlags) string {
	if *sf.pg != "" {
		return "the PostgreSQL store"
	}
	return *sf.db
}

// cmdIngest reads events (JSON Lines, or CSV with a header of event fields)
// from files or standard input and ingests them in batches. Each batch is
// applied all or nothing and is durable before it is acknowledged.
func cmdIngest(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("ingest")
	sf := addStoreFlags(fs)
	batch := fs.Int("batch", 1000, "events per batch (all or nothing, durable before acknowledged); 0 for one batch per file")
	format := fs.String("format", "", "jsonl or csv (default: by file extension; jsonl for standard input)")
	acks := fs.String("acks", "", "append a line for every acknowledged batch to this file (first and last event id, count)")
	var files []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		files = append(files, args[0])
		args = args[1:]
	}
	if len(files) == 0 {
		return usageError{"ingest needs event files, or - for standard input"}
	}
	if *batch < 0 {
		return usageError{"--batch must be 0 or more"}
	}
	if *format != "" && *format != "jsonl" && *format != "csv" {
		return usageError{"--format must be " + eventio.Formats}
	}
	ctx := context.Background()
	var ackw *os.File
	if *acks != "" {
		f, err := os.OpenFile(*acks, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return bf.E("ingest", bf.KindInvalid, bf.File(*acks), err)
		}
		defer f.Close()
		ackw = f
	}
	return sf.withService(ctx, func(s *service.Service) error {
		scale := s.Currency().Scale
		var total service.Result
		for _, file := range files {
			evs, err := eventio.ReadFile(file, *format, scale)
			if err != nil {
				return err
			}
			prog := newProgress(stderr)
			prog.label, prog.verb = "event", "ingesting "+filepath.Base(file)
			size := *batch
			if size == 0 {
				size = len(evs)
			}
			for i := 0; i < len(evs); i += max(size, 1) {
				j := min(i+max(size, 1), len(evs))
				r, err := s.Ingest(ctx, evs[i:j])
				if err != nil {
					err = inFile(err, file, evs[i:j])
					prog.done()
					fmt.Fprintf(stdout, "%s: %s acknowledged before the error\n", file, textfmt.Plural(i, "event", "events"))
					return err
				}
				total.Accepted += r.Accepted
				total.Duplicates += r.Duplicates
				if ackw != nil {
					// Written only once Ingest returned: the batch is durable.
					fmt.Fprintf(ackw, "%s %s %d\n", evs[i].ID, evs[j-1].ID, j-i)
					ackw.Sync()
				}
				prog.update(j, len(evs))
			}
			prog.done()
		}
		fmt.Fprintf(stdout, "accepted %s, %d already in the log\n", textfmt.Plural(total.Accepted, "event", "events"), total.Duplicates)
		return nil
	})
}

// inFile names the file (and, for an error about an event, the event's
// line) in an error from ingesting a batch read from file: the service
// knows events, not where they came from.
func inFile(err error, file string, batch []bf.Event) error {
	var be *bf.Error
	if !errors.As(err, &be) {
		return err
	}
	if be.File == "" {
		be.File = file
		if file == "-" {
			be.File = "standard input"
		}
	}
	if be.Line == 0 && be.Event != "" {
		for k := range batch {
			if batch[k].ID == be.Event {
				be.Line = batch[k].Line
				break
			}
		}
	}
	return err
}

// runCommand runs one of the service's commands (close, reverse,
// reprocess) and says what it did.
func runCommand(sf storeFlags, stdout io.Writer, what string, date bf.Date, cmd func(ctx context.Context, s *service.Service) (service.Posted, error)) error {
	ctx := context.Background()
	return sf.withService(ctx, func(s *service.Service) error {
		p, err := cmd(ctx, s)
		if err != nil {
			return err
		}
		if p.Duplicates > 0 {
			fmt.Fprintf(stdout, "%s was already in the log\n", p.ID)
			return nil
		}
		fmt.Fprintf(stdout, "posted %s %s dated %s\n", what, p.ID, date)
		return nil
	})
}

func parseDateFlag(s, field string) (bf.Date, error) {
	if s == "" {
		return bf.DateOf(time.Now()), nil
	}
	d, why := bf.ParseDate(s)
	if why != "" {
		return 0, bf.E("parse flags", bf.KindInvalid, bf.Field(field), why)
	}
	return d, nil
}

// cmdClose closes the period through a date.
func cmdClose(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("close")
	sf := addStoreFlags(fs)
	date := fs.String("date", "", "the last day of the period (default today)")
	reason := fs.String("reason", "", "why the period closes while the failed-backflush queue holds entries (kept on record)")
	id := fs.String("id", "", "the close event's id (default close-DATE)")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	d, err := parseDateFlag(*date, "date")
	if err != nil {
		return err
	}
	var warnings []string
	err = runCommand(sf, stdout, "close", d, func(ctx context.Context, s *service.Service) (service.Posted, error) {
		p, err := s.Close(ctx, d, *reason, *id)
		warnings = p.Warnings
		return p, err
	})
	for _, w := range warnings {
		fmt.Fprintln(stderr, "warning: "+w)
	}
	return err
}

// cmdReverse posts a reverse event for an earlier event.
func cmdReverse(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("reverse")
	sf := addStoreFlags(fs)
	event := fs.String("event", "", "the id of the event to undo (required)")
	date := fs.String("date", "", "the reversal's date, in the open period (default today)")
	id := fs.String("id", "", "the reverse event's id (default reverse-EVENT)")
	memo := fs.String("memo", "", "why")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if *event == "" {
		return usageError{"reverse needs --event"}
	}
	d, err := parseDateFlag(*date, "date")
	if err != nil {
		return err
	}
	return runCommand(sf, stdout, "reverse", d, func(ctx context.Context, s *service.Service) (service.Posted, error) {
		return s.Reverse(ctx, *event, d, *memo, *id)
	})
}

// cmdQueue lists the failed-backflush queue, or re-processes it.
func cmdQueue(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		return noFlagsHelp(stdout, "queue")
	}
	sub := "list"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	fs := newFlagSet("queue " + sub)
	sf := addStoreFlags(fs)
	item := fs.String("item", "", "reprocess: only this component")
	date := fs.String("date", "", "reprocess: the event's date (default today)")
	id := fs.String("id", "", "reprocess: the event's id (default reprocess-DATE, or reprocess-DATE-ITEM with --item)")
	style := styleFlags(fs)
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	stdout, flush := style.out(stdout)
	defer flush()
	if sub != "list" && sub != "reprocess" {
		return usageError{"queue takes list or reprocess, not " + sub}
	}
	switch sub {
	case "list":
		return sf.withService(context.Background(), func(s *service.Service) error {
			q := s.Queue()
			if len(q) == 0 {
				fmt.Fprintln(stdout, "the failed-backflush queue is empty")
				return nil
			}
			tb := textfmt.Table{Left: map[int]bool{1: true, 2: true}}
			tb.Add("component", "for", "event", "units short")
			for _, e := range q {
				tb.Add(e.Component, e.For, e.Event, e.Qty.String())
			}
			tb.Flush(stdout)
			return nil
		})
	case "reprocess":
		d, err := parseDateFlag(*date, "date")
		if err != nil {
			return err
		}
		return runCommand(sf, stdout, "reprocess", d, func(ctx context.Context, s *service.Service) (service.Posted, error) {
			return s.Reprocess(ctx, d, *item, *id)
		})
	}
	return usageError{"queue takes list or reprocess"}
}

// cmdRecost adds a configuration version effective from a date.
func cmdRecost(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("recost")
	sf := addStoreFlags(fs)
	effective := fs.String("effective", "", "the first date costed with the new standards (required; after the last close)")
	note := fs.String("note", "", "why the standards change")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	if *effective == "" {
		return usageError{"recost needs --effective"}
	}
	d, err := parseDateFlag(*effective, "effective")
	if err != nil {
		return err
	}
	doc, err := os.ReadFile(pos[0])
	if err != nil {
		return bf.E("read scenario", bf.KindNotFound, bf.File(pos[0]), err)
	}
	return sf.withService(context.Background(), func(s *service.Service) error {
		v, err := s.Recost(context.Background(), doc, d, *note)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "version %d effective %s: the open period is re-costed\n", v, d)
		return nil
	})
}

// cmdShow prints the books kept in a store, as run prints a scenario's.
func cmdShow(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("show")
	sf := addStoreFlags(fs)
	book := fs.String("book", "", "only this book")
	format := fs.String("format", "text", "text or json")
	journal := fs.Bool("journal", false, "print the journals too")
	previous := fs.Bool("previous", false, "the journal as it stood before the last re-costing")
	style := styleFlags(fs)
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	stdout, flush, err := style.forFormat(stdout, *format)
	if err != nil {
		return err
	}
	defer flush()
	return sf.withService(context.Background(), func(s *service.Service) error {
		o := report.Options{Title: s.Name(), Chart: s.Chart(), Book: *book, NoJournal: !*journal}
		return s.Report(stdout, report.Request{Kind: report.KindBooks, JSON: *format == "json", Options: o}, *previous)
	})
}
