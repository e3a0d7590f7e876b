package main

import (
	"bufio"
	"bytes"
	"flag"
	"os"
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
			src, err := filepath.Abs(filepath.Join("../..", ex.dir))
			if err != nil {
				t.Fatal(err)
			}
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
			t.Chdir(dir) // the child process runs where the files are
			run := func(args []string) (int, string, string) { return runMain(t, args...) }
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

// TestPrintProfile: a profile printed and passed back with --map-file
// imports exactly as --profile does; an unknown profile names the others.
func TestPrintProfile(t *testing.T) {
	dir := t.TempDir()
	code, prof, stderr := runMain(t, "import", "--profile", "odoo", "--print-profile")
	if code != 0 || !strings.Contains(prof, "fill_down") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	mapFile := filepath.Join(dir, "odoo.yaml")
	os.WriteFile(mapFile, []byte(prof), 0o644)
	src := "../../testdata/erp-odoo/"
	args := []string{"import", "--currency", "EUR", "--name", "Bikes", "--items", src + "product.csv", "--table", "CONVERSION=" + src + "conversion.csv",
		"--bom", src + "mrp_bom.csv", "--units", src + "units.csv", "--events", src + "stock_move_line.csv"}
	a := filepath.Join(dir, "a.yaml")
	b := filepath.Join(dir, "b.yaml")
	if code, _, stderr := runMain(t, append(args, "--profile", "odoo", "-o", a)...); code != 0 {
		t.Fatalf("--profile: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runMain(t, append(args, "--map-file", mapFile, "-o", b)...); code != 0 {
		t.Fatalf("--map-file: exit %d: %s", code, stderr)
	}
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if len(da) == 0 || !bytes.Equal(da, db) {
		t.Errorf("--profile and its printed --map-file differ:\n%s\n%s", da, db)
	}
	code, _, stderr = runMain(t, "import", "--profile", "oracle", "--print-profile")
	if code != 4 || !strings.Contains(stderr, "no profile oracle (profiles: erpnext, odoo, sap)") {
		t.Errorf("unknown profile: exit %d: %s", code, stderr)
	}
	code, _, stderr = runMain(t, append(args, "--profile", "odoo", "--map-file", mapFile, "-o", b)...)
	if code != 2 || !strings.Contains(stderr, "not both") {
		t.Errorf("both: exit %d: %s", code, stderr)
	}
}
