package service

// QueueLen returns the number of batches posted and waiting for a commit.
func QueueLen(s *Service) int {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return len(s.queue)
}
