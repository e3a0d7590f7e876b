package service

// SetBackgroundFrom sets the size from which journals grow in the
// background, for a test to reach it with few events; it returns the
// function that restores it.
func SetBackgroundFrom(n int) func() {
	old := backgroundFrom
	backgroundFrom = n
	return func() { backgroundFrom = old }
}

// QueueLen returns the number of batches posted and waiting for a commit.
func QueueLen(s *Service) int {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return len(s.queue)
}
