// Package jsoncheck holds the JSON naming rule the tests hold every answer
// of the API and every --format json of the CLI to: snake_case keys.
package jsoncheck

import (
	"encoding/json"
	"regexp"
	"sort"
)

// snake is the one naming of the JSON: lower-case words joined by
// underscores.
var snake = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// dataKeyed are the objects whose keys are the plant's names (account
// codes, book names) rather than field names: their keys are data, their
// values are still walked.
var dataKeyed = map[string]bool{"inventory": true, "balances": true, "by_book": true}

// NonSnakeKeys decodes a JSON document and returns the path of every
// object key that is not snake_case ("gaap[].BookInventory"), sorted; an
// error when doc is not JSON.
func NonSnakeKeys(doc []byte) ([]string, error) {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return nil, err
	}
	bad := map[string]bool{}
	walk(v, "", bad)
	out := make([]string, 0, len(bad))
	for k := range bad {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

func walk(v any, path string, bad map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if !snake.MatchString(k) {
				bad[path+"."+k] = true
			}
			if m, ok := child.(map[string]any); ok && dataKeyed[k] {
				for _, grand := range m {
					walk(grand, path+"."+k+".*", bad)
				}
				continue
			}
			walk(child, path+"."+k, bad)
		}
	case []any:
		for _, child := range x {
			walk(child, path+"[]", bad)
		}
	}
}
