package bot

import "net/http"

// ButtonHandler acts on a verified button press (reminders implement it).
type ButtonHandler interface{}

// buttonPress answers POST /mattermost/action. Not built yet: every press is
// refused.
func (s *Server) buttonPress(w http.ResponseWriter, r *http.Request) {
	s.refuse(w, r, "action", "unsupported", http.StatusUnauthorized)
}
