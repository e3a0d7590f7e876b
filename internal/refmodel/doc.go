// Package refmodel is the reference model shared by the property tests of
// packages costing and report: random plants, the standards of a plant
// computed here with exact arithmetic (math/big), random event streams, the
// checks every journal must pass after every event, and the helpers that
// make a failing seed easy to rerun.
//
// It is test support and nothing else: no production package imports it.
// It computes every expectation from the plant and the events with its own
// arithmetic and never from package costing's standards or rounding, so that
// a rule costing gets wrong cannot be wrong here in the same way. It imports
// costing only to drive a ledger and read its journals; it must not import
// report, whose tests use it.
package refmodel
