package bot

import "net/http"

// dialogSubmit answers POST /mattermost/dialog. Not built yet: every
// submission is refused.
func (s *Server) dialogSubmit(w http.ResponseWriter, r *http.Request) {
	s.refuse(w, r, "dialog", "unsupported", http.StatusUnauthorized)
}
