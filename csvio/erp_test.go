package csvio

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// sapFiles are the SE16N downloads of testdata/erp-sap, as the SAP
// profile's header names them.
func sapFiles(dir string) ImportFiles {
	j := func(n string) string { return filepath.Join(dir, n) }
	return ImportFiles{Items: j("mara.csv"), BOM: j("stpo.csv"), Events: j("mseg.csv"), Units: j("marm.csv"),
		Tables: map[string]string{"MAKT": j("makt.csv"), "MBEW": j("mbew.csv"), "KALK": j("kalk.csv"), "PRICES": j("prices.csv"),
			"STAS": j("stas.csv"), "MAST": j("mast.csv"), "STKO": j("stko.csv")},
		Name: "Fahrradwerk", Out: "sap.yaml"}
}

// sapImport imports the SAP fixture with the profile edited by edit
// (old → new replacements) and files overwritten by files.
func sapImport(t *testing.T, edits map[string]string, files map[string]string) (*Imported, error) {
	t.Helper()
	dir := t.TempDir()
	ents, err := os.ReadDir("../testdata/erp-sap")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join("../testdata/erp-sap", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644)
	}
	for name, body := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644)
	}
	prof, err := Profile("sap")
	if err != nil {
		t.Fatal(err)
	}
	text := string(prof)
	for from, to := range edits {
		if !strings.Contains(text, from) {
			t.Fatalf("the profile lacks %q", from)
		}
		text = strings.Replace(text, from, to, 1)
	}
	o, err := ParseOptions("sap.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	o.Currency = bf.Currency{Code: "EUR", Scale: 2}
	return Import(sapFiles(dir), o)
}

// TestSAPProfile: the SE16N tables go in as downloaded, and the bike's
// standard rolls up to SAP's own 149,00 — price unit, base quantity, line
// units, alternative BOM, text items, deletion flags, other plants and
// languages all read as SAP means them.
func TestSAPProfile(t *testing.T) {
	im, err := sapImport(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Warnings) > 0 || len(im.Skipped) > 0 {
		t.Fatalf("warnings %v, skipped %v", im.Warnings, im.Skipped)
	}
	std, err := costing.Compile(&im.Config.Plant)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"000000000000300100": "149.00", "000000000000200100": "30.00", "000000000000100200": "0.0125"} {
		k, ok := std.Lookup(id)
		if !ok {
			t.Fatalf("%s not imported", id)
		}
		if got := std.Rolled(k).String(); got != want {
			t.Errorf("standard of %s = %s, want %s", id, got, want)
		}
	}
	s := im.Summary
	if s.Items != 7 || s.BOMLines != 7 || s.Events["purchase"] != 7 || s.Events["reverse"] != 2 || s.Events["complete"] != 2 || s.Events["sale"] != 1 || s.Events["count"] != 2 || s.FilteredRows != 7 || s.SkippedRows != 0 {
		t.Errorf("summary %s", s)
	}
	// Date, then document and line: the delivery written first in the
	// file comes last, lines 1, 2, 3 of document 5000000010 in order.
	evs := im.Config.Events
	if evs[0].ID != "2026-5000000010-1" || evs[1].ID != "2026-5000000010-2" || evs[0].Date.String() != "2026-05-04" {
		t.Errorf("order %s %s … %s", evs[0].ID, evs[1].ID, evs[len(evs)-1].ID)
	}
	// A 102 reversing 1.000 of the 10.000 bolts received is a reverse of
	// the receipt and the 9.000 left received again on its date at the
	// receipt's price; a 122 return of 10 of 200 wheels likewise.
	got := map[string]string{}
	for _, e := range evs {
		got[e.ID] = e.Date.String() + " " + e.Type.String() + " " + e.Reverses + " " + e.Qty.String() + " " + e.UnitCost.String()
	}
	for id, want := range map[string]string{
		"2026-5000000012-1":      "2026-05-05 reverse 2026-5000000010-2 0 0.00",
		"2026-5000000012-1-rest": "2026-05-05 purchase  9000 0.013",
		"2026-5000000013-1":      "2026-05-22 reverse 2026-5000000011-1 0 0.00",
		"2026-5000000013-1-rest": "2026-05-22 purchase  190 25.00",
	} {
		if got[id] != want {
			t.Errorf("%s is %q, want %q", id, got[id], want)
		}
	}
	// A 702 loss of 2 saddles of the 10 on hand is a count of 8.
	if c := evs[len(evs)-1]; c.Type != bf.Count || c.Qty != bf.Units(8) {
		t.Errorf("the 702 is %+v", c)
	}
	// Order 1000001 made 100 frames at 3.5 KG of steel each and was
	// issued 360 KG less 4 returned: 6 KG beyond the 350 its completion
	// backflushed, a loss from the 50 KG left (400 − 350): a count of 44
	// on the day of its last movement, after the completion.
	var usage *bf.Event
	for i := range evs {
		if evs[i].ID == "usage-1000001-000000000000100100" {
			usage = &evs[i]
			if evs[i-1].ID != "2026-5000000020-1" {
				t.Errorf("the usage count follows %s, not the completion", evs[i-1].ID)
			}
		}
	}
	if usage == nil || usage.Type != bf.Count || usage.Qty != bf.Units(44) || usage.Date.String() != "2026-05-06" ||
		usage.Memo != "usage against production order 1000001 (000000000000200100): issued 356, standard 350" {
		t.Errorf("usage of order 1000001: %+v", usage)
	}
	for _, e := range evs {
		if strings.Contains(e.ID, "000000000000100200") || strings.Contains(e.ID, "000000000000100300") {
			t.Errorf("bolts and paint were issued at standard, yet %s", e.ID)
		}
	}
	// unit_cost = DMBTR ÷ MENGE, exactly: 130,00 ÷ 10.000 = 0.013.
	if evs[1].UnitCost.String() != "0.013" {
		t.Errorf("bolt receipt at %s", evs[1].UnitCost)
	}
}

// TestSAPTraps: each of the traps, sprung one at a time, is an
// error or a warning naming its cause — never a silently wrong figure.
func TestSAPTraps(t *testing.T) {
	tests := []struct {
		name         string
		edits, files map[string]string
		warn, err    []string
	}{
		{name: "price unit ignored", edits: map[string]string{"  price_unit: PEINH\n": ""},
			warn: []string{`item "000000000000200100": field standard_cost: the standard rolled up from the BOM is 129.90 but the ERP's standard cost is 30.00`, "PEINH"}},
		{name: "base quantity ignored", edits: map[string]string{"  base_qty: BMENG\n": ""},
			warn: []string{"the standard rolled up from the BOM is 183.90 but the ERP's standard cost is 30.00", "BMENG"}},
		{name: "line unit ignored", edits: map[string]string{"  unit: MEINS                      # the line's unit (150 G of a KG item)\n": ""},
			warn: []string{"the standard rolled up from the BOM is 3027.00 but the ERP's standard cost is 30.00", "unit of measure"}},
		{name: "conversion missing", files: map[string]string{"marm.csv": "MANDT;MATNR;MEINH;UMREZ;UMREN\n"},
			err: []string{`item "000000000000300100": field unit: no conversion from PAA to ST, the base unit of item "000000000000100400"`}},
		{name: "alternatives not chosen", edits: map[string]string{`bom_alternative: "01"`: ""},
			err: []string{`item "000000000000200100": field alternative: has alternative BOMs 01, 02: choose one`}},
		{name: "a bad units row, in one pass with the rest", files: map[string]string{"marm.csv": "MANDT;MATNR;MEINH;UMREZ;UMREN\n100;000000000000100400;ST;1;1\n100;000000000000100400;PAA;zwei;1\n"},
			err: []string{"marm.csv:3: item \"000000000000100400\": field numerator: must be a positive number", `field unit: no conversion from PAA to ST`}},
		{name: "decimal point in a decimal-comma file", files: map[string]string{"kalk.csv": "MATNR;WERKS;LOSGR;KONV\n000000000000200100;1000;100;1290.00\n000000000000300100;1000;10;590,50\n"},
			err: []string{"mara.csv:8", "field conversion_cost", "the dot groups thousands in threes", "the cell is from", "kalk.csv, column KONV"}},
		{name: "impossible date", files: map[string]string{"mseg.csv": "MANDT;MBLNR;MJAHR;ZEILE;BWART;MATNR;WERKS;MENGE;MEINS;DMBTR;WAERS;EBELN;AUFNR;BUDAT_MKPF;SJAHR;SMBLN;SMBLP;LFBJA;LFBNR;LFPOS\n100;5000000010;2026;1;101;000000000000100100;1000;400;KG;1.640,00;EUR;4500000001;;31.04.2026;;;;;;\n"},
			err: []string{"field date: 31.04.2026: April has 30 days"}},
		{name: "receipt without a price", files: map[string]string{"mseg.csv": "MANDT;MBLNR;MJAHR;ZEILE;BWART;MATNR;WERKS;MENGE;MEINS;DMBTR;WAERS;EBELN;AUFNR;BUDAT_MKPF;SJAHR;SMBLN;SMBLP;LFBJA;LFBNR;LFPOS\n100;5000000010;2026;1;101;000000000000100100;1000;400;KG;;EUR;4500000001;;30.04.2026;;;;;;\n"},
			err: []string{"field unit_cost: a receipt without a price"}},
		{name: "issue to an order", files: map[string]string{"mseg.csv": "MANDT;MBLNR;MJAHR;ZEILE;BWART;MATNR;WERKS;MENGE;MEINS;DMBTR;WAERS;EBELN;AUFNR;BUDAT_MKPF;SJAHR;SMBLN;SMBLP;LFBJA;LFBNR;LFPOS\n100;4900000040;2026;1;261;000000000000200100;1000;10;ST;300,00;EUR;;1000002;30.04.2026;;;;;;\n"},
			warn: []string{"production order 1000002 has issues but no completion: its issues are left out"}},
		{name: "inventory loss beyond the stock", files: map[string]string{"mseg.csv": "MANDT;MBLNR;MJAHR;ZEILE;BWART;MATNR;WERKS;MENGE;MEINS;DMBTR;WAERS;EBELN;AUFNR;BUDAT_MKPF;SJAHR;SMBLN;SMBLP;LFBJA;LFBNR;LFPOS\n100;4900000050;2026;1;702;000000000000100500;1000;2;ST;19,60;EUR;;;25.05.2026;;;;;;\n"},
			err: []string{"field qty: an inventory loss of 2 but only 0 on hand then"}},
		{name: "reversal of more than moved", files: map[string]string{"mseg.csv": "MANDT;MBLNR;MJAHR;ZEILE;BWART;MATNR;WERKS;MENGE;MEINS;DMBTR;WAERS;EBELN;AUFNR;BUDAT_MKPF;SJAHR;SMBLN;SMBLP;LFBJA;LFBNR;LFPOS\n" +
			"100;5000000010;2026;1;101;000000000000100100;1000;400;KG;1.640,00;EUR;4500000001;;04.05.2026;;;;;;\n" +
			"100;5000000012;2026;1;102;000000000000100100;1000;401;KG;1.644,10;EUR;4500000001;;05.05.2026;2026;5000000010;1;;;\n" +
			"100;5000000012;2026;2;102;000000000000100100;1000;1;KG;4,10;EUR;4500000001;;05.05.2026;2026;5000000010;7;;;\n"},
			err: []string{"mseg.csv:3: event \"2026-5000000012-1\": field qty: reverses 401 of movement 2026-5000000010-1, which moved 400",
				"mseg.csv:4: event \"2026-5000000012-2\": field reverses: reverses \"2026-5000000010-7\", which no movement of the file is"}},
		{name: "delivery without a price", files: map[string]string{"prices.csv": "MATNR;KBETR\n"},
			err: []string{"field unit_price: a sale without a price"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := sapImport(t, tt.edits, tt.files)
			if len(tt.err) > 0 {
				var rr *RowsRefused
				if !errors.As(err, &rr) {
					t.Fatalf("err %v, want rows refused", err)
				}
				for _, w := range tt.err {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error lacks %q:\n%v", w, err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var all []string
			for _, w := range im.Warnings {
				all = append(all, w.Error())
			}
			for _, w := range tt.warn {
				if !strings.Contains(strings.Join(all, "\n"), w) {
					t.Errorf("warnings lack %q:\n%s", w, strings.Join(all, "\n"))
				}
			}
		})
	}
}
