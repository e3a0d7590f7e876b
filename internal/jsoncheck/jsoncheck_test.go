package jsoncheck

import (
	"strings"
	"testing"
)

func TestNonSnakeKeys(t *testing.T) {
	bad, err := NonSnakeKeys([]byte(`{"ok_key": 1, "gaap": [{"BookInventory": "1", "book": "x"}],
		"inventory": {"Materials 1200": "5", "x": {"Bad": 1}}, "camelCase": {"fine_too": true}, "a__b": 0, "_x": 0}`))
	if err != nil {
		t.Fatal(err)
	}
	want := "._x .a__b .camelCase .gaap[].BookInventory .inventory.*.Bad"
	if got := strings.Join(bad, " "); got != want {
		t.Errorf("NonSnakeKeys = %q, want %q", got, want)
	}
	if _, err := NonSnakeKeys([]byte(`{`)); err == nil {
		t.Error("no error for a broken document")
	}
}
