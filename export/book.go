package export

import (
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// ChooseBook returns the book an export names: name, or with an empty name
// the only book of a ledger that keeps one. A ledger of several books
// without a name is Invalid, an unknown name NotFound; both errors list
// the books, so the next try can name one.
func ChooseBook(l *costing.Ledger, name string) (*costing.Book, error) {
	names := make([]string, len(l.Books))
	for i, b := range l.Books {
		names[i] = b.Config.Name
	}
	if name == "" {
		if len(l.Books) > 1 {
			return nil, bf.E("export", bf.KindInvalid, bf.Field("book"), "the books are "+strings.Join(names, ", ")+": choose one")
		}
		name = names[0]
	}
	if b := l.Book(name); b != nil {
		return b, nil
	}
	return nil, bf.E("export", bf.KindNotFound, bf.Field("book"), "no book named "+name+" (books: "+strings.Join(names, ", ")+")")
}
