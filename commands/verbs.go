package commands

import "github.com/kimbot-nrw/kimbot/kim"

// Who may run a verb.
var (
	coach        = []kim.Role{kim.RoleCoach}
	coordination = []kim.Role{kim.RoleCoordinator, kim.RoleAdmin}
	admin        = []kim.Role{kim.RoleAdmin}
	anyRole      = []kim.Role{kim.RoleCoach, kim.RoleCoordinator, kim.RoleAdmin}
)

// German aliases of enumerated values, mapped to their keys (never shown in
// usage lines).
var (
	kindAliases = map[string]string{"persoenlich": "in-person", "telefon": "phone",
		"nachricht": "message", "hausbesuch": "home-visit"}
	closeAliases = map[string]string{"ziele-erreicht": "goals-met", "verzogen": "moved", "zurueckgezogen": "withdrawn",
		"uebergeben": "transferred", "anderes": "other"}
	dueAliases     = map[string]string{"assessment": "reassessment", "einschaetzung": "reassessment", "wiedervorlage": "monitoring"}
	outcomeAliases = map[string]string{"angenommen": "accepted", "abgelehnt": "rejected", "offen": "pending",
		"nicht-erschienen": "no-show", "erledigt": "completed"}
	consentActions = map[string]string{"erteilen": "grant", "widerrufen": "revoke"}
	formAliases    = map[string]string{"schriftlich": "written", "muendlich": "oral"}
	filterAliases  = map[string]string{"offen": "open", "abgeschlossen": "closed", "faellig": "due", "alle": "all"}
	offAliases     = map[string]string{"aus": "off"}
	roleAliases    = map[string]string{"koordination": "coordinator", "keine": "none"}
)

// confirmParam is the last parameter of a verb that cannot be undone: typed
// without it, the verb checks everything, says what would happen and
// changes nothing (Runner.confirmLine is the line that confirms).
var confirmParam = Param{Name: "confirm", Kind: Choice, Choices: []string{"confirm"},
	Aliases: map[string]string{"bestaetigen": "confirm"}, Optional: true}

// kimVerbs is the table of /kim: every verb and sub-verb with its
// parameters, roles, handler and examples, top-level verbs in help order
// (SPEC §3). Roles are inherited by sub-verbs unless they name their own.
// Each verb's description is the message "verb.<path>" of the catalogues.
var kimVerbs = link(&Verb{Subs: []*Verb{{
	Name: "help", Alias: "hilfe",
	Params:   []Param{{Name: "verb", Kind: Word, Optional: true, Max: 30}},
	Run:      (*Runner).help,
	Examples: []string{"/kim help", "/kim hilfe open", "/kim help goal"},
}, {
	Name: "open", Alias: "neu", Roles: coach,
	Params: []Param{{Name: "pseudonym", Kind: Word, Max: 40}},
	Options: []Param{
		{Name: "group", Kind: Choice, Choices: kim.TargetGroups},
		{Name: "domain", Kind: Choice, Choices: kim.LegalDomains, Optional: true},
		{Name: "consent", Kind: Choice, Choices: []string{"yes", "no"}, Aliases: map[string]string{"ja": "yes", "nein": "no"}},
		{Name: "form", Kind: Choice, Choices: []string{"written", "oral"}, Aliases: formAliases, Optional: true},
		{Name: "date", Alias: "datum", Kind: Date, Optional: true},
	},
	Run:  (*Runner).open,
	Bare: (*Runner).openDialog, BareDialog: true, // commands/casework_dialogs.go
	Examples: []string{"/kim open AB group=refugee domain=AsylbLG consent=yes", "/kim neu \"M. K.\" group=eu consent=ja form=oral",
		"/kim neu CD group=refugee consent=ja date=02.11.2026",
		"/kim open"},
}, {
	Name: "cases", Alias: "faelle", Roles: coach,
	Params:   []Param{{Name: "filter", Kind: Choice, Optional: true, Choices: []string{"open", "closed", "due", "all"}, Aliases: filterAliases}},
	Run:      (*Runner).cases,
	Examples: []string{"/kim cases", "/kim faelle faellig", "/kim cases all"},
}, {
	Name: "show", Alias: "zeige", Roles: coach,
	Params:   []Param{{Name: "case", Kind: CaseRef}},
	Run:      (*Runner).show,
	Examples: []string{"/kim show K-2026-0042", "/kim zeige k-2026-0042"},
}, {
	Name: "contacts", Alias: "kontakte", Roles: coach,
	Params:   []Param{{Name: "case", Kind: CaseRef}},
	Options:  []Param{{Name: "page", Alias: "seite", Kind: Int, Min: 1, Max: 1000, Optional: true}},
	Run:      (*Runner).contacts,
	Examples: []string{"/kim contacts K-2026-0042", "/kim kontakte K-2026-0042 seite=2"},
}, {
	Name: "contact", Alias: "kontakt", Roles: coach,
	Params: []Param{
		{Name: "case", Kind: CaseRef},
		{Name: "kind", Kind: Choice, Choices: kim.ContactKinds, Aliases: kindAliases},
		{Name: "note", Kind: Text},
	},
	Options: []Param{
		{Name: "minutes", Kind: Int, Min: 0, Max: 1440, Optional: true},
		{Name: "date", Kind: Date, Optional: true},
	},
	Run:  (*Runner).contact,
	Bare: (*Runner).contactDialog, BareArgs: 1, BareDialog: true,
	Examples: []string{"/kim contact K-2026-0042 phone minutes=20 \"Termin beim Jobcenter vorbereitet\"",
		"/kim kontakt K-2026-0042 hausbesuch date=20.11.2026 Wohnung besichtigt", "/kim contact K-2026-0042"},
}, {
	Name: "assess", Alias: "einschaetzung", Roles: coach,
	Params: []Param{{Name: "case", Kind: CaseRef}, {Name: "scores", Kind: Scores}},
	Options: []Param{
		{Name: "note", Kind: Text, Optional: true},
		{Name: "date", Kind: Date, Optional: true},
	},
	Run: (*Runner).assess,
	Examples: []string{"/kim assess K-2026-0042 language=2 work=1 housing=3 note=\"Sprachkurs B1 läuft\"",
		"/kim einschaetzung K-2026-0042 language=3 work=2 date=2026-11-20"},
}, {
	Name: "goal", Alias: "ziel", Roles: coach, Subs: []*Verb{{
		Name: "add", Alias: "neu",
		Params: []Param{
			{Name: "case", Kind: CaseRef},
			{Name: "field", Kind: Choice, Choices: fieldChoices()},
			{Name: "text", Kind: Text},
		},
		Options:  []Param{{Name: "due", Kind: Date, Optional: true}},
		Run:      (*Runner).goalAdd,
		Examples: []string{"/kim goal add K-2026-0042 language \"B1-Kurs abschließen\" due=30.06.2027", "/kim ziel neu K-2026-0042 work Praktikum finden"},
	}, {
		Name: "done", Alias: "erreicht",
		Params:   []Param{{Name: "case", Kind: CaseRef}, {Name: "n", Kind: Int, Min: 1, Max: 1000}},
		Run:      (*Runner).goalDone,
		Examples: []string{"/kim goal done K-2026-0042 1", "/kim ziel erreicht K-2026-0042 2"},
	}, {
		Name: "drop", Alias: "verwerfen",
		Params:   []Param{{Name: "case", Kind: CaseRef}, {Name: "n", Kind: Int, Min: 1, Max: 1000}},
		Run:      (*Runner).goalDrop,
		Examples: []string{"/kim goal drop K-2026-0042 2", "/kim ziel verwerfen K-2026-0042 1"},
	}},
}, {
	Name: "refer", Alias: "verweis", Roles: coach,
	Params: []Param{
		{Name: "case", Kind: CaseRef},
		{Name: "partner", Kind: Word, Max: 40},
		{Name: "reason", Kind: Text},
	},
	Options: []Param{{Name: "followup", Kind: Duration, Optional: true}},
	Run:     (*Runner).refer,
	Bare:    (*Runner).referDialog, BareArgs: 1, BareDialog: true,
	Examples: []string{"/kim refer K-2026-0042 jobcenter \"Antrag auf Bürgergeld\" followup=10d",
		"/kim verweis K-2026-0042 jmd Unterstützung bei der Ausbildungssuche", "/kim refer K-2026-0042"},
}, {
	Name: "outcome", Alias: "ergebnis", Roles: coach,
	Params: []Param{
		{Name: "case", Kind: CaseRef},
		{Name: "n", Kind: Int, Min: 1, Max: 1000},
		{Name: "outcome", Kind: Choice, Choices: kim.ReferralOutcomes, Aliases: outcomeAliases},
		{Name: "note", Kind: Text, Optional: true},
	},
	Run:      (*Runner).outcome,
	Examples: []string{"/kim outcome K-2026-0042 1 accepted \"Termin am 02.12.\"", "/kim ergebnis K-2026-0042 2 nicht-erschienen"},
}, {
	Name: "consent", Alias: "einwilligung", Roles: coach,
	Params: []Param{
		{Name: "case", Kind: CaseRef},
		{Name: "action", Kind: Choice, Choices: []string{"grant", "revoke"}, Aliases: consentActions},
		{Name: "scope", Kind: Word, Max: 40, Or: []string{"processing"}, Aliases: map[string]string{"verarbeitung": "processing"}},
		confirmParam, // revoking consent to processing erases the case
	},
	Options: []Param{
		{Name: "form", Kind: Choice, Choices: []string{"written", "oral"}, Aliases: formAliases, Optional: true},
		{Name: "date", Kind: Date, Optional: true},
	},
	Run: (*Runner).consent,
	Examples: []string{"/kim consent K-2026-0042 grant jobcenter form=written", "/kim einwilligung K-2026-0042 erteilen jugendamt form=muendlich date=20.11.2026",
		"/kim consent K-2026-0042 revoke jobcenter", "/kim einwilligung K-2026-0042 widerrufen verarbeitung", "/kim einwilligung K-2026-0042 widerrufen verarbeitung bestaetigen"},
}, {
	Name: "domain", Alias: "rechtskreis", Roles: coach,
	Params:   []Param{{Name: "case", Kind: CaseRef}, {Name: "domain", Kind: Choice, Choices: kim.LegalDomains}},
	Options:  []Param{{Name: "since", Kind: Date, Optional: true}},
	Run:      (*Runner).domain,
	Examples: []string{"/kim domain K-2026-0042 SGB2 since=01.11.2026", "/kim rechtskreis K-2026-0042 sgb3"},
}, {
	Name: "due", Alias: "termin", Roles: coach,
	Params: []Param{
		{Name: "case", Kind: CaseRef},
		{Name: "which", Kind: Choice, Choices: []string{"monitoring", "reassessment"}, Aliases: dueAliases},
		{Name: "date", Kind: Date},
	},
	Run:      (*Runner).due,
	Examples: []string{"/kim due K-2026-0042 monitoring 2026-12-01", "/kim termin K-2026-0042 einschaetzung 15.01.2027"},
}, {
	Name: "close", Alias: "abschliessen", Roles: coach,
	Params: []Param{
		{Name: "case", Kind: CaseRef},
		{Name: "reason", Kind: Choice, Choices: kim.CloseReasons, Aliases: closeAliases},
		{Name: "note", Kind: Text, Optional: true},
	},
	Run:      (*Runner).closeCase,
	Examples: []string{"/kim close K-2026-0042 goals-met \"Arbeit gefunden, Wohnung stabil\"", "/kim abschliessen K-2026-0042 verzogen"},
}, {
	Name: "reopen", Alias: "wiederaufnehmen", Roles: coach,
	Params:   []Param{{Name: "case", Kind: CaseRef}},
	Run:      (*Runner).reopen,
	Examples: []string{"/kim reopen K-2026-0042", "/kim wiederaufnehmen K-2026-0042"},
}, {
	Name: "transfer", Alias: "uebergeben", Roles: coach,
	Params:   []Param{{Name: "case", Kind: CaseRef}, {Name: "user", Kind: User}, confirmParam},
	Run:      (*Runner).transfer,
	Examples: []string{"/kim transfer K-2026-0042 @ben", "/kim uebergeben K-2026-0042 @ben bestaetigen"},
}, {
	Name: "barrier", Alias: "hindernis", Roles: coach,
	Params: []Param{
		{Name: "case", Kind: CaseRef},
		{Name: "about", Kind: Word, Max: 80},
		{Name: "text", Kind: Text},
	},
	Run: (*Runner).barrier, // commands/barriers.go
	Examples: []string{"/kim barrier K-2026-0042 jobcenter \"Termine erst nach 8 Wochen\"",
		"/kim hindernis K-2026-0042 wohnen Keine Wohnungen unter der Mietobergrenze"},
	Subs: []*Verb{{
		Name: "confirm", Alias: "bestaetigen",
		Params:   []Param{{Name: "case", Kind: CaseRef}, {Name: "n", Kind: Int, Min: 1, Max: 1000}},
		Run:      (*Runner).barrierConfirm,
		Examples: []string{"/kim barrier confirm K-2026-0042 1", "/kim hindernis bestätigen K-2026-0042 1"},
	}, {
		Name: "edit", Alias: "aendern",
		Params:   []Param{{Name: "case", Kind: CaseRef}, {Name: "n", Kind: Int, Min: 1, Max: 1000}, {Name: "text", Kind: Text}},
		Run:      (*Runner).barrierEdit,
		Examples: []string{"/kim barrier edit K-2026-0042 1 \"Termine erst nach 10 Wochen\"", "/kim hindernis ändern K-2026-0042 1 Rückruf dauert drei Wochen"},
	}, {
		Name: "delete", Alias: "loeschen",
		Params:   []Param{{Name: "case", Kind: CaseRef}, {Name: "n", Kind: Int, Min: 1, Max: 1000}},
		Run:      (*Runner).barrierDelete,
		Examples: []string{"/kim barrier delete K-2026-0042 1", "/kim hindernis löschen K-2026-0042 1"},
	}, {
		Name: "list", Alias: "liste",
		Params:   []Param{{Name: "case", Kind: CaseRef}},
		Run:      (*Runner).barrierList,
		Examples: []string{"/kim barrier list K-2026-0042", "/kim hindernis liste K-2026-0042"},
	}},
}, {
	Name: "away", Alias: "abwesend", Roles: coach,
	Params: []Param{
		{Name: "from", Kind: Date, Or: []string{"off"}, Aliases: offAliases, Alone: true},
		{Name: "to", Kind: Date},
	},
	Options: []Param{{Name: "deputy", Kind: User}},
	Run:     (*Runner).away,
	Bare:    (*Runner).awayList,
	Examples: []string{"/kim away 2026-12-21 2027-01-03 deputy=@ben", "/kim abwesend 21.12.2026 03.01.2027 deputy=@ben",
		"/kim away off", "/kim abwesend aus", "/kim away"},
}, {
	Name: "settings", Alias: "einstellungen",
	Options: []Param{
		{Name: "digest", Kind: Clock, Or: []string{"off"}, Aliases: offAliases, Optional: true},
		{Name: "lang", Kind: Choice, Choices: []string{"de", "en"}, Optional: true},
	},
	Run:      (*Runner).settings,
	Examples: []string{"/kim settings", "/kim settings digest=07:30", "/kim einstellungen digest=aus lang=de", "/kim settings lang=en"},
}, {
	Name: "meeting", Alias: "treffen", Roles: coordination, Subs: []*Verb{{
		Name: "new", Alias: "neu",
		Params: []Param{
			{Name: "date", Kind: Date},
			{Name: "time", Kind: Clock},
			{Name: "title", Kind: Text, Max: maxMeetingTitle},
		},
		Options: []Param{{Name: "channel", Kind: Channel, Optional: true}},
		Run:     (*Runner).meetingNew,
		Examples: []string{"/kim meeting new 2026-12-03 14:00 Netzwerktreffen Integration channel=~kim-netzwerk",
			"/kim treffen neu 03.12.2026 9:30 \"Lenkungsgruppe KIM\""},
	}, {
		Name: "list", Alias: "liste",
		Run:      (*Runner).meetingList,
		Examples: []string{"/kim meeting list", "/kim treffen liste"},
	}, {
		Name: "show", Alias: "zeige",
		Params:   []Param{{Name: "meeting", Kind: Meeting}},
		Run:      (*Runner).meetingShow,
		Examples: []string{"/kim meeting show M-3", "/kim treffen zeige m-3"},
	}},
}, {
	Name: "agenda", Alias: "tagesordnung", Roles: coordination, Subs: []*Verb{{
		Name: "add", Alias: "neu",
		Params:   []Param{{Name: "meeting", Kind: Meeting}, {Name: "text", Kind: Text, Max: maxAgendaText}},
		Run:      (*Runner).agendaAdd,
		Examples: []string{"/kim agenda add M-3 Wartezeiten Jobcenter", "/kim tagesordnung neu M-3 \"Bericht der Lenkungsgruppe\""},
	}, {
		Name: "post", Alias: "posten",
		Params:   []Param{{Name: "meeting", Kind: Meeting}},
		Run:      (*Runner).agendaPost,
		Examples: []string{"/kim agenda post M-3", "/kim tagesordnung posten M-3"},
	}},
}, {
	Name: "action", Alias: "aufgabe", Subs: []*Verb{{
		Name: "add", Alias: "neu", Roles: coordination,
		Params:  []Param{{Name: "meeting", Kind: Meeting}, {Name: "owner", Kind: User}, {Name: "text", Kind: Text, Max: maxActionText}},
		Options: []Param{{Name: "due", Kind: Date, Optional: true}},
		Run:     (*Runner).actionAdd,
		Examples: []string{"/kim action add M-3 @lena \"Termin mit der Ausländerbehörde vereinbaren\" due=2026-12-18",
			"/kim aufgabe neu M-3 @jonas Wohnungsmarkt-Daten besorgen"},
	}, {
		// Everybody may call it; the owner of the action, coordinators and
		// admins may complete it.
		Name: "done", Alias: "erledigt",
		Params:   []Param{{Name: "action", Kind: Action}},
		Run:      (*Runner).actionDone,
		Examples: []string{"/kim action done A-7", "/kim aufgabe erledigt a-7"},
	}},
}, {
	Name: "report", Alias: "bericht", Roles: anyRole,
	Params: []Param{{Name: "period", Kind: Period, Optional: true}},
	Options: []Param{
		{Name: "by", Kind: Choice, Choices: kim.ReportBys, Optional: true},
		{Name: "format", Kind: Choice, Choices: []string{"table", "csv", "chart"}, Optional: true,
			Aliases: map[string]string{"tabelle": "table", "diagramm": "chart", "grafik": "chart"}},
	},
	Run: (*Runner).report,
	Examples: []string{"/kim report", "/kim report 2026-Q3 by=partner", "/kim bericht 2026-10 by=org format=csv",
		"/kim report 2026 by=field format=chart"},
}, {
	Name: "export", Alias: "auskunft", Roles: coach,
	Params:   []Param{{Name: "case", Kind: CaseRef}},
	Run:      (*Runner).export,
	Examples: []string{"/kim export K-2026-0042", "/kim auskunft k-2026-0042"},
}, {
	Name: "erase", Alias: "loeschen", Roles: coach,
	Params:   []Param{{Name: "case", Kind: CaseRef}, confirmParam},
	Run:      (*Runner).erase,
	Examples: []string{"/kim erase K-2026-0042", "/kim erase K-2026-0042 confirm", "/kim loeschen K-2026-0042 bestaetigen"},
}, {
	Name: "admin", Roles: admin, Subs: []*Verb{{
		Name: "role", Alias: "rolle",
		Params: []Param{
			{Name: "user", Kind: User},
			{Name: "role", Kind: Choice, Choices: []string{"coach", "coordinator", "admin", "none"}, Aliases: roleAliases},
			confirmParam,
		},
		Options: []Param{
			{Name: "org", Kind: Text, Optional: true, Max: 80},
			{Name: "handover", Alias: "uebergabe", Kind: User, Optional: true},
		},
		Run: (*Runner).adminRole, // commands/staff.go
		Examples: []string{"/kim admin role @anna coach org=Caritas", "/kim admin role @lena coordinator", "/kim admin role @anna none",
			"/kim admin rolle @anna keine uebergabe=@ben bestaetigen"},
	}, {
		Name: "transfer", Alias: "uebergeben",
		Params:   []Param{{Name: "case", Kind: CaseRef}, {Name: "user", Kind: User}},
		Run:      (*Runner).adminTransfer, // commands/staff.go
		Examples: []string{"/kim admin transfer K-2026-0042 @ben", "/kim admin uebergeben K-2026-0042 @ben"},
	}, {
		Name: "handover", Alias: "uebergabe",
		Params: []Param{
			{Name: "from", Kind: User},
			{Name: "to", Kind: User},
			confirmParam,
		},
		Run:      (*Runner).adminHandover, // commands/staff.go
		Examples: []string{"/kim admin handover @anna @ben", "/kim admin uebergabe @anna @ben bestaetigen"},
	}, {
		// Shortening the retention so that cases are erased asks first.
		Name: "defaults", Alias: "vorgaben",
		Params: []Param{confirmParam},
		Options: []Param{
			{Name: "monitoring", Kind: Duration, Optional: true},
			{Name: "assessment", Alias: "ersteinschaetzung", Kind: Duration, Optional: true},
			{Name: "reassessment", Kind: Duration, Optional: true},
			{Name: "followup", Alias: "nachfassen", Kind: Duration, Optional: true},
			{Name: "retention", Alias: "aufbewahrung", Kind: Duration, Optional: true},
			{Name: "agenda", Alias: "vorlauf", Kind: Int, Min: 0, Max: kim.MaxAgendaLead, Optional: true},
		},
		Run: (*Runner).adminDefaults,
		Examples: []string{"/kim admin defaults", "/kim admin defaults monitoring=4w assessment=14d reassessment=6m followup=10d",
			"/kim admin vorgaben aufbewahrung=12m vorlauf=3", "/kim admin defaults retention=3m confirm"},
	}, {
		// Everybody with a role reads the directory; admins add to it.
		Name: "partner", Roles: anyRole, Subs: []*Verb{{
			Name: "add", Alias: "neu", Roles: admin,
			Params:  []Param{{Name: "key", Kind: Word, Max: 40}, {Name: "name", Kind: Text, Max: 120}},
			Options: []Param{{Name: "domain", Kind: Choice, Choices: kim.LegalDomains, Optional: true}},
			Run:     (*Runner).partnerAdd,
			Examples: []string{"/kim admin partner add schuldnerberatung \"Schuldnerberatung der Diakonie\"",
				"/kim admin partner add bamf \"BAMF Außenstelle\" domain=none"},
		}, {
			Name: "list", Alias: "liste",
			Run:      (*Runner).partnerList,
			Examples: []string{"/kim admin partner list"},
		}},
	}, {
		// Everybody with a role reads the topic list; admins keep it.
		Name: "topic", Alias: "thema", Roles: anyRole, Subs: []*Verb{{
			Name: "add", Alias: "neu", Roles: admin,
			Params:   []Param{{Name: "key", Kind: Word, Max: 40}, {Name: "name", Kind: Text, Max: 80}},
			Run:      (*Runner).topicAdd,
			Examples: []string{"/kim admin topic add finanzen \"Finanzen und Leistungen\"", "/kim admin thema neu dolmetschen Sprachmittlung"},
		}, {
			Name: "remove", Alias: "entfernen", Roles: admin,
			Params:   []Param{{Name: "key", Kind: Word, Max: 40}},
			Run:      (*Runner).topicRemove,
			Examples: []string{"/kim admin topic remove digitales", "/kim admin thema entfernen mobilität"},
		}, {
			Name: "list", Alias: "liste",
			Run:      (*Runner).topicList,
			Examples: []string{"/kim admin topic list", "/kim admin thema liste"},
		}},
	}, {
		Name: "audit", Alias: "protokoll",
		Params:   []Param{{Name: "case", Kind: CaseRef}},
		Run:      (*Runner).adminAudit,
		Examples: []string{"/kim admin audit K-2026-0042"},
	}},
}}})

func fieldChoices() []string {
	out := make([]string, len(kim.LifeFields))
	for i, f := range kim.LifeFields {
		out[i] = string(f)
	}
	return out
}
