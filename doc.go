// Package backflush holds the domain vocabulary of the Backflush cost-accounting
// engine: exact fixed-point quantities and money, items and bills of materials,
// shop-floor events, accounts, journal entries and the error kinds every adapter
// maps to exit codes and HTTP statuses.
//
// The package does no I/O. The posting rules live in package costing, decoders
// in package scenario, and presentation in package report.
package backflush
