package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/httpapi"
	"github.com/backflush/backflush/internal/textfmt"
	"github.com/backflush/backflush/service"
)

// cmdServe runs the HTTP API and the dashboard until SIGINT or SIGTERM.
// Logs go to standard error as JSON, one line per request.
func cmdServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve")
	sf := addStoreFlags(fs)
	defaultAddr := os.Getenv("BACKFLUSH_ADDR")
	if defaultAddr == "" {
		defaultAddr = "127.0.0.1:8080"
	}
	addr := fs.String("addr", defaultAddr, "the address to listen on, BACKFLUSH_ADDR if set (loopback by default: put a TLS proxy in front to serve a network)")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	ctx := context.Background()
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := service.Open(ctx, st)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	// A server without tokens can only be looked at through /healthz: say
	// how to make the first one rather than leave people guessing.
	if ts, err := st.Tokens(ctx); err == nil && len(ts) == 0 {
		logger.Warn("no API token yet: create one with `backflush token create --role admin --name NAME` (same --db or --pg)")
	}
	fmt.Fprintf(stdout, "serving %s on http://%s\n  dashboard at /, API under /api/v1, described at /openapi.json; Ctrl-C stops\n", svc.Name(), *addr)
	return httpapi.Serve(ctx, *addr, svc, logger)
}

// cmdToken manages API tokens in the store: create prints the secret once
// (the store keeps only its SHA-256), list shows names, roles and hashes,
// delete removes tokens by name or hash.
func cmdToken(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		return noFlagsHelp(stdout, "token")
	}
	if len(args) == 0 || (args[0] != "create" && args[0] != "list" && args[0] != "delete") {
		return usageError{"token needs create, list or delete"}
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("token " + sub)
	sf := addStoreFlags(fs)
	name := fs.String("name", "", "the token's name: whose it is (create; delete every token of this name)")
	role := fs.String("role", "", "viewer, operator, controller or admin (create)")
	hash := fs.String("hash", "", "the token's hash, as token list shows it (delete)")
	style := styleFlags(fs)
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	stdout, flush := style.out(stdout)
	defer flush()
	ctx := context.Background()
	open := func() (bf.Store, error) { return sf.open(ctx) }
	switch sub {
	case "create":
		if *name == "" || *role == "" {
			return usageError{"token create needs --name and --role"}
		}
		r, ok := bf.ParseRole(*role)
		if !ok {
			return bf.E("create token", bf.KindInvalid, bf.Field("role"), "must be viewer, operator, controller or admin")
		}
		secret, t, err := httpapi.NewToken(*name, r)
		if err != nil {
			return err
		}
		st, err := open()
		if err != nil {
			return err
		}
		defer st.Close()
		if err := st.PutToken(ctx, &t); err != nil {
			return err
		}
		// The secret alone on standard output, so that a script can
		// capture it; the advice on standard error.
		fmt.Fprintln(stdout, secret)
		fmt.Fprintf(stderr, "token %q (%s) created; its secret is printed above and cannot be shown again: send it as Authorization: Bearer <secret>, or paste it into the dashboard's login\n", t.Name, t.Role)
		return nil
	case "list":
		st, err := open()
		if err != nil {
			return err
		}
		defer st.Close()
		ts, err := st.Tokens(ctx)
		if err != nil {
			return err
		}
		tb := textfmt.Table{Left: map[int]bool{1: true, 2: true, 3: true}}
		tb.Add("name", "role", "created", "hash")
		for _, t := range ts {
			tb.Add(t.Name, t.Role.String(), t.Created.UTC().Format("2006-01-02 15:04"), t.Hash)
		}
		tb.Flush(stdout)
		return nil
	default: // delete
		if (*name == "") == (*hash == "") {
			return usageError{"token delete needs --name or --hash (one of them)"}
		}
		st, err := open()
		if err != nil {
			return err
		}
		defer st.Close()
		if *hash != "" {
			if err := st.DeleteToken(ctx, *hash); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "deleted token %s\n", *hash)
			return nil
		}
		ts, err := st.Tokens(ctx)
		if err != nil {
			return err
		}
		n := 0
		for _, t := range ts {
			if t.Name == *name {
				if err := st.DeleteToken(ctx, t.Hash); err != nil {
					return err
				}
				n++
			}
		}
		if n == 0 {
			return bf.E("delete token", bf.KindNotFound, bf.Field("name"), "no token named "+*name)
		}
		fmt.Fprintf(stdout, "deleted %d token(s) named %s\n", n, *name)
		return nil
	}
}
