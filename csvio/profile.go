package csvio

import (
	"embed"
	"sort"
	"strings"

	bf "github.com/backflush/backflush"
)

// profiles are the mappings of the ERPs' standard exports, shipped in the
// binary as the YAML a user would write: printed, edited and passed back
// with --map-file.
//
//go:embed profiles/*.yaml
var profiles embed.FS

// Profiles lists the names of the profiles shipped.
func Profiles() []string {
	ents, _ := profiles.ReadDir("profiles")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(out)
	return out
}

// Profile returns a shipped profile's text.
func Profile(name string) ([]byte, error) {
	data, err := profiles.ReadFile("profiles/" + name + ".yaml")
	if err != nil {
		return nil, bf.E("read profile", bf.KindNotFound, bf.Field("profile"), "no profile "+name+" (profiles: "+strings.Join(Profiles(), ", ")+")")
	}
	return data, nil
}

// LoadProfile reads a shipped profile as LoadOptions reads a mapping file.
func LoadProfile(name string) (Options, error) {
	data, err := Profile(name)
	if err != nil {
		return Options{}, err
	}
	return ParseOptions("profile "+name, data)
}
