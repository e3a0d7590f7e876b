package backflush

import (
	"context"
	"time"
)

// Store keeps what a plant's books are derived from: the configuration
// versions (master data, books, policies) and the append-only event log.
// Journals are never stored: they are rebuilt by replaying the log, so the
// log is the single source of truth. Adapters: package sqlite (embedded,
// the default), package postgres (shared use) and package inmem (in memory,
// for tests); storetest holds the suite all three pass.
type Store interface {
	// Append adds a batch of events at the end of the log, all or none, and
	// returns only once the batch is durable (synced). An id already in the
	// log is a KindConflict error and nothing of the batch is added.
	Append(ctx context.Context, events []Event) error
	// Replay calls fn with every event in the order it was appended; an
	// error from fn stops the replay and is returned.
	Replay(ctx context.Context, fn func(*Event) error) error
	// Len returns the number of events in the log.
	Len(ctx context.Context) (int64, error)

	// SaveConfig adds a configuration version. Versions are numbered from 1
	// by the store; a version never changes once saved.
	SaveConfig(ctx context.Context, c *ConfigVersion) error
	// Configs returns every configuration version, oldest first.
	Configs(ctx context.Context) ([]ConfigVersion, error)

	// PutToken adds or replaces an API token (stored by the hash of its secret).
	PutToken(ctx context.Context, t *Token) error
	// Tokens returns every API token.
	Tokens(ctx context.Context) ([]Token, error)
	// DeleteToken removes the token with the given hash; NotFound if none.
	DeleteToken(ctx context.Context, hash string) error

	// Close releases the store.
	Close() error
}

// ConfigVersion is one version of a plant's configuration: the scenario
// document without its events. Effective is the first date whose events are
// costed with it; the first version's is zero.
type ConfigVersion struct {
	Version   int
	Effective Date
	Document  []byte // the scenario YAML (items, books, close, accounts)
	Note      string // why the version was made
	Created   time.Time
}

// Role is what an API token may do. Each role includes the ones before it.
type Role uint8

// The roles.
const (
	Viewer     Role = iota + 1 // reads books, journals and reports
	Operator                   // also posts events
	Controller                 // also closes periods and changes standards
	Admin                      // also manages tokens
)

var roleNames = [...]string{"", "viewer", "operator", "controller", "admin"}

// String names the role.
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "?"
}

// ParseRole parses a role name.
func ParseRole(s string) (Role, bool) {
	for i, n := range roleNames {
		if i > 0 && n == s {
			return Role(i), true
		}
	}
	return 0, false
}

// Token is an API token: the SHA-256 hash of its secret (hex), a name for
// people and the role it grants.
type Token struct {
	Hash    string
	Name    string
	Role    Role
	Created time.Time
}
