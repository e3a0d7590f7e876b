package main

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var updateERP = flag.Bool("update", false, "rewrite the goldens of testdata/erp-*/ (scenario.yaml, run.golden)")

// docExample is one worked example of docs/interop.md: the directory its
// files are in, and its commands with the output each prints.
type docExample struct {
	dir  string
	cmds []docCommand
}

type docCommand struct {
	args []string
	out  string
}

// docExamples reads the examples marked "<!-- run in DIR -->" before a sh
// block: "$ backflush …" lines and the output lines after each.
func docExamples(t *testing.T, path string) []docExample {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []docExample
	var cur *docExample
	inBlock := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "<!-- run in "):
			out = append(out, docExample{dir: strings.TrimSuffix(strings.TrimPrefix(line, "<!-- run in "), " -->")})
			cur = &out[len(out)-1]
		case cur != nil && !inBlock && strings.HasPrefix(line, "```"):
			inBlock = true
		case cur != nil && inBlock && strings.HasPrefix(line, "```"):
			inBlock, cur = false, nil
		case cur != nil && inBlock && strings.HasPrefix(line, "$ backflush "):
			cur.cmds = append(cur.cmds, docCommand{args: strings.Fields(strings.TrimPrefix(line, "$ backflush "))})
		case cur != nil && inBlock && len(cur.cmds) > 0:
			cur.cmds[len(cur.cmds)-1].out += line + "\n"
		}
	}
	return out
}

// TestDocumentedImports runs the worked SAP, Odoo and ERPNext imports of
// docs/interop.md as written, in a copy of their directories: each must
// exit 0 and print what the document shows (standard error, then standard
// output), and write the scenario of the golden beside the files, whose
// books `run` prints as run.golden. Refresh the goldens with -update.
func TestDocumentedImports(t *testing.T) {
	exs := docExamples(t, "../../docs/interop.md")
	if len(exs) < 3 {
		t.Fatalf("%d worked examples in docs/interop.md, want SAP, Odoo and ERPNext", len(exs))
	}
	for _, ex := range exs {
		t.Run(ex.dir, func(t *testing.T) {
			src := filepath.Join("../..", ex.dir)
			dir := t.TempDir()
			ents, err := os.ReadDir(src)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range ents {
				if e.Name() == "scenario.yaml" || e.Name() == "run.golden" {
					continue
				}
				data, _ := os.ReadFile(filepath.Join(src, e.Name()))
				os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644)
			}
			run := func(args []string) (int, string, string) {
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "BACKFLUSH_RUN_MAIN=1", "BACKFLUSH_ARGS="+strings.Join(args, " "))
				var o, e bytes.Buffer
				cmd.Stdout, cmd.Stderr = &o, &e
				err := cmd.Run()
				code := 0
				if ee, ok := err.(*exec.ExitError); ok {
					code = ee.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				return code, o.String(), e.String()
			}
			for _, c := range ex.cmds {
				code, stdout, stderr := run(c.args)
				if code != 0 || stderr+stdout != c.out {
					t.Errorf("backflush %s: exit %d, printed\n%s\nthe document shows\n%s", strings.Join(c.args, " "), code, stderr+stdout, c.out)
				}
			}
			got, err := os.ReadFile(filepath.Join(dir, "scenario.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			code, books, stderr := run([]string{"run", "scenario.yaml"})
			if code != 0 {
				t.Fatalf("run: exit %d: %s", code, stderr)
			}
			for name, data := range map[string]string{"scenario.yaml": string(got), "run.golden": books} {
				golden := filepath.Join(src, name)
				if *updateERP {
					os.WriteFile(golden, []byte(data), 0o644)
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (refresh with go test ./cmd/backflush -run TestDocumentedImports -update)", err)
				}
				if string(want) != data {
					t.Errorf("%s differs from the golden (refresh with -update if the change is meant):\n%s", golden, data)
				}
			}
		})
	}
}
