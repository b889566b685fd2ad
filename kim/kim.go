// Package kim holds kimbot's domain: the types of the KIM case-management
// cycle, their enumerations and the application error. It imports nothing
// of the outside world (no SQL, no HTTP, no Mattermost).
package kim

import "time"

// Role is what a user may do in a team.
type Role string

// Roles of SPEC §1. RoleNone means the user has no role in the team.
const (
	RoleNone        Role = ""
	RoleCoach       Role = "coach"
	RoleCoordinator Role = "coordinator"
	RoleAdmin       Role = "admin"
)

// Roles lists the grantable roles.
var Roles = []Role{RoleCoach, RoleCoordinator, RoleAdmin}

// LifeField is a Handlungsfeld used by assessments, goals and reports.
type LifeField string

// LifeFields in the order of the spec.
var LifeFields = []LifeField{"residence", "language", "work", "education", "health", "housing", "family", "finances", "social"}

// TargetGroups of SPEC §2.
var TargetGroups = []string{"refugee", "eu", "third-country", "other"}

// LegalDomains (Rechtskreise) of SPEC §2.
var LegalDomains = []string{"AsylbLG", "SGB2", "SGB3", "SGB8", "SGB12", "none"}

// ContactKinds of /kim contact.
var ContactKinds = []string{"in-person", "phone", "video", "message", "home-visit"}

// ReferralOutcomes of /kim outcome.
var ReferralOutcomes = []string{"accepted", "rejected", "pending", "no-show", "completed"}

// CloseReasons of /kim close.
var CloseReasons = []string{"goals-met", "moved", "withdrawn", "transferred", "other"}

// Phases of the Regelkreis, as stored on a case.
var Phases = []string{"intake", "assessment", "planning", "linking", "monitoring", "reassessment", "closed"}

// Member is a user's role in one team.
type Member struct {
	TeamID       string
	UserID       string
	Username     string
	Role         Role
	Organisation string
}

// User is what kimbot keeps of a Mattermost user.
type User struct {
	ID       string
	Username string
	Locale   string // Mattermost locale, e.g. "de" or "en"
	Lang     string // explicit /kim settings lang=…; "" follows Locale
	TimeZone string // IANA name; "" means Europe/Berlin
	// DigestTime is the local time of the daily digest ("08:00"); "" means off.
	DigestTime string
	SysAdmin   bool
}

// Language returns the user's language for texts: "de" unless chosen or
// localised otherwise.
func (u User) Language() string {
	if u.Lang != "" {
		return u.Lang
	}
	if len(u.Locale) >= 2 && u.Locale[:2] == "en" {
		return "en"
	}
	return "de"
}

// Location returns the user's time zone, Europe/Berlin when unknown.
func (u User) Location() *time.Location {
	if u.TimeZone != "" {
		if loc, err := time.LoadLocation(u.TimeZone); err == nil {
			return loc
		}
	}
	return Berlin
}

// Berlin is the default time zone of kimbot.
var Berlin = mustLoad("Europe/Berlin")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("kim: time zone database lacks " + name)
	}
	return loc
}

// TeamSettings are the per-team defaults of SPEC §3.
type TeamSettings struct {
	MonitoringDays      int
	FirstAssessmentDays int
	ReassessmentMonths  int
	FollowupDays        int
	AgendaLeadWorkdays  int
	RetentionMonths     int
}

// DefaultTeamSettings are the defaults of SPEC §3.
var DefaultTeamSettings = TeamSettings{MonitoringDays: 28, FirstAssessmentDays: 14, ReassessmentMonths: 6, FollowupDays: 14, AgendaLeadWorkdays: 2, RetentionMonths: 6}

// Bounds of the team settings (`/kim admin defaults`; the teams table
// checks wider ones).
const (
	MaxIntervalDays       = 365 // monitoring, first assessment, follow-up
	MaxReassessmentMonths = 24
	MaxRetentionMonths    = 36 // a duration is at most three years
	MinRetentionMonths    = 1
	MaxAgendaLead         = 20 // working days; 0 posts on the meeting's day
)

// Case is one person's case in a team. Pseudonym and notes are plaintext here;
// the store encrypts them at rest.
type Case struct {
	ID             int64
	TeamID         string
	Ref            string // K-2026-0042
	OwnerID        string
	OwnerName      string
	Organisation   string
	Pseudonym      string
	Group          string
	Domain         string
	Phase          string
	OpenedOn       Date
	ClosedOn       *Date
	CloseReason    string
	CloseNote      string
	NextMonitoring *Date
	NextAssessment *Date
	Erased         bool
}

// Open reports whether the case is not closed.
func (c Case) Open() bool { return c.ClosedOn == nil }

// Partner is an entry of a team's partner directory.
type Partner struct {
	ID     int64
	Key    string
	Name   string
	Domain string
}

// Actor is who acts, in which team, on which local day (deputy checks use it).
type Actor struct {
	TeamID string
	UserID string
	Today  Date
	// Caller, when pending, is resolved (and checked) by the store call
	// that receives it, in that call's first round trip (kim/caller.go).
	Caller *Caller
}

// Contact is a logged contact of a case.
type Contact struct {
	ID      int64
	N       int // number within the case, in the order contacts were logged
	Kind    string
	Minutes int
	On      Date
	Note    string
}

// Assessment is one assessment (Seq 1) or re-assessment (Seq > 1).
type Assessment struct {
	ID     int64
	Seq    int
	On     Date
	Scores map[LifeField]int
	Note   string
}

// Goal is a goal of the Integrationsvereinbarung.
type Goal struct {
	N      int
	Field  LifeField
	Text   string
	Due    *Date
	Status string // open, done, dropped
	// ClosedOn is the day the goal was reached or dropped (set by
	// CloseGoal; reads leave it nil).
	ClosedOn *Date
}

// Referral is a referral to a partner. Outcome, OutcomeOn and Note are the
// current outcome; History holds every outcome recorded, oldest first.
type Referral struct {
	ID        int64
	N         int
	Partner   Partner
	Reason    string
	On        Date
	Followup  *Date
	Outcome   string
	OutcomeOn *Date
	Note      string
	History   []OutcomeEntry
}

// OutcomeEntry is one outcome recorded for a referral: its status, the day
// it was recorded (or, for "pending" again, set) and its note.
type OutcomeEntry struct {
	ID      int64
	Outcome string
	On      Date
	Note    string
}

// Consent is a recorded consent to processing or for one partner.
type Consent struct {
	Scope   string // processing, partner
	Partner string // partner key for scope partner
	// PartnerName is the partner's name (read with the case card).
	PartnerName string
	Form        string // written, oral
	GrantedOn   Date
	RevokedOn   *Date
}

// Card is everything the case card shows.
type Card struct {
	Case        Case
	Consents    []Consent
	Assessments []Assessment // every assessment, newest last
	Goals       []Goal
	Referrals   []Referral
	Contacts    []Contact // newest first, at most CardContacts
	// ContactCount is the number of all contacts of the case.
	ContactCount int
	// Transitions are the case's Rechtskreiswechsel that have steps, oldest
	// first.
	Transitions []CaseTransition
}

// CardContacts is how many of the latest contacts the case card shows;
// /kim contacts pages through all of them.
const CardContacts = 3
