package kim

// Caller is the person behind a command, as the store resolves them in the
// command's first round trip to the database: Profile is what Mattermost
// says of them (username, locale, time zone, system admin; kept in a cache,
// see bot.Profiles); resolving brings kimbot's users row up to date with it
// (writing only when something changed), reads kimbot's own settings
// (language, digest time) and the role in the team, and calls Check, which
// decides whether the command may go on before anything is written.
//
// A store call that receives an Actor with a pending Caller resolves it in
// its own first round trip; Store.ResolveCaller resolves it alone.
type Caller struct {
	Profile User
	// Check is called once with the resolved user and role; an error
	// ends the store call with that error and nothing written. It must not
	// do I/O: the store holds a database connection while it runs.
	Check func(User, Member) error

	// Filled in by resolving.
	User     User   // Profile with kimbot's settings (Lang, DigestTime)
	Member   Member // the role in the actor's team (RoleNone without one)
	Resolved bool
	// Changed reports whether resolving wrote the users row.
	Changed bool
}

// Pending reports whether c still has to be resolved.
func (c *Caller) Pending() bool { return c != nil && !c.Resolved }
