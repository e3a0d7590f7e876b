package sim

import (
	"bytes"
	"strconv"

	bf "github.com/backflush/backflush"
	"go.yaml.in/yaml/v3"
)

// SetCards returns a plant file's text with the cards of the named loops
// replaced (item → cards), everything else kept, comments included; the
// result is decoded again, so it is a valid plant. file names the source in
// errors.
func SetCards(file string, data []byte, cards map[string]int) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, bf.E("set cards", bf.KindInvalid, bf.File(file), err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, bf.E("set cards", bf.KindInvalid, bf.File(file), "a plant is a YAML mapping")
	}
	root := doc.Content[0]
	for k := 0; k+1 < len(root.Content); k += 2 {
		if root.Content[k].Value != "kanban" {
			continue
		}
		for _, loop := range root.Content[k+1].Content {
			var item string
			var cardsNode *yaml.Node
			for f := 0; f+1 < len(loop.Content); f += 2 {
				switch loop.Content[f].Value {
				case "item":
					item = loop.Content[f+1].Value
				case "cards":
					cardsNode = loop.Content[f+1]
				}
			}
			if n, ok := cards[item]; ok && cardsNode != nil {
				cardsNode.Value = strconv.Itoa(n)
			}
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, bf.E("set cards", bf.KindInternal, bf.File(file), err)
	}
	if _, err := Decode(file, buf.Bytes()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
