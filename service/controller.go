package service

import (
	"strconv"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/report"
)

// controllerInputs gives the controller's reports what they read from the
// configuration versions: the throughput section of the version whose
// standards the ledger uses (the version in force at its last event), and
// for the costed BOM the plant of the version proposed.
func (s *Service) controllerInputs(l *costing.Ledger, r *report.Request) error {
	s.cfgMu.RLock()
	defer s.cfgMu.RUnlock()
	switch {
	case r.Kind == report.KindThroughput && r.Throughput == nil:
		v := s.versions[len(s.versions)-1]
		for _, x := range s.versions {
			if x.std == l.Std {
				v = x
			}
		}
		r.Throughput, r.Source = v.sc.Throughput, "configuration version "+strconv.Itoa(v.cfg.Version)
	case r.Kind == report.KindBOM && r.ProposedVersion != 0 && r.Proposed == nil:
		n := r.ProposedVersion
		if n < 1 || n > len(s.versions) {
			return bf.E("bom", bf.KindNotFound, bf.Field("version"), "no configuration version "+strconv.Itoa(n)+" (versions 1 to "+strconv.Itoa(len(s.versions))+")")
		}
		v := s.versions[n-1]
		r.Proposed, r.ProposedFrom = &v.sc.Plant, "configuration version "+strconv.Itoa(n)
		if v.cfg.Effective != 0 {
			r.ProposedFrom += ", effective " + v.cfg.Effective.String()
		}
	}
	return nil
}
