package commands

import (
	"slices"

	"github.com/kimbot-nrw/kimbot/kim"
)

// Who may run a verb.
var (
	coach        = []kim.Role{kim.RoleCoach}
	coordination = []kim.Role{kim.RoleCoordinator, kim.RoleAdmin}
	admin        = []kim.Role{kim.RoleAdmin}
	anyRole      = []kim.Role{kim.RoleCoach, kim.RoleCoordinator, kim.RoleAdmin}
)

// The German words of enumerated values (Param.De, in the order of the
// choices; shown to German readers) and further words accepted for them
// (Param.Aliases). All are folded (kim.Fold); spaces and hyphens do not
// count when they are compared (SGB II, sgb-2, SGB2).
var (
	kindDe      = []string{"persoenlich", "telefon", "video", "nachricht", "hausbesuch"} // kim.ContactKinds
	kindAliases = map[string]string{"telefonisch": "phone", "anruf": "phone", "videoanruf": "video", "videocall": "video", "mail": "message", "e-mail": "message", "sms": "message", "whatsapp": "message", "brief": "message",
		"telefonat": "phone", "rueckruf": "phone", "online": "video", "videokonferenz": "video", "chat": "message", "signal": "message",
		"vor ort": "in-person", "buero": "in-person", "tel": "phone", "tel.": "phone", "telefonkontakt": "phone", "pers.": "in-person",
		"sprechstunde": "in-person", "zoom": "video", "webex": "video", "videotelefonat": "video", "post": "message",
		"telefongespraech": "phone", "telefonberatung": "phone", "videoberatung": "video", "videogespraech": "video"}
	closeDe      = []string{"ziele erreicht", "verzogen", "zurueckgezogen", "uebergeben", "anderes"} // kim.CloseReasons
	closeAliases = map[string]string{"anderer grund": "other", "sonstiges": "other", "erreicht": "goals-met", "ziel erreicht": "goals-met", "umgezogen": "moved", "weggezogen": "moved", "abgebrochen": "withdrawn", "abgegeben": "transferred",
		"ausgereist": "moved", "abbruch": "withdrawn", "kein interesse": "withdrawn", "weitergeleitet": "transferred", "uebergeleitet": "transferred"}
	dueAliases     = map[string]string{"assessment": "reassessment", "wiedervorlage": "monitoring"}
	outcomeDe      = []string{"angenommen", "abgelehnt", "offen", "nicht erschienen", "abgeschlossen"} // kim.ReferralOutcomes
	outcomeAliases = map[string]string{"erledigt": "completed", "nicht gekommen": "no-show", "bewilligt": "accepted", "zugesagt": "accepted",
		"ausstehend": "pending", "in bearbeitung": "pending", "nicht wahrgenommen": "no-show", "nicht da": "no-show", "beendet": "completed"}
	formDe         = []string{"schriftlich", "muendlich"}
	filterAliases  = map[string]string{"offen": "open", "abgeschlossen": "closed", "geschlossen": "closed", "faellig": "due", "ueberfaellig": "due", "heute": "due", "today": "due", "alle": "all"}
	consentAliases = map[string]string{"erteilt": "grant", "gegeben": "grant", "geben": "grant", "liegt vor": "grant", "granted": "grant",
		"widerruf": "revoke", "entzogen": "revoke", "zurueckgezogen": "revoke", "zurueckgenommen": "revoke", "revoked": "revoke"}
	offAliases = map[string]string{"aus": "off"}
	// the end of absences, as said: abwesend beenden (planned ones too);
	// abwesend zurück, „wieder da“ (the current one only)
	awayOffAliases = map[string]string{"aus": "off", "beenden": "off", "beendet": "off", "ende": "off", "vorbei": "off", "zurueck": "back"}
	roleDe         = []string{"coach", "koordination", "admin", "keine"}
	roleAliases    = map[string]string{"koordinator": "coordinator", "koordinatorin": "coordinator", "kein": "none", "keiner": "none"}
	fieldDe        = []string{"aufenthalt", "sprache", "arbeit", "bildung", "gesundheit", "wohnen", "familie", "finanzen", "teilhabe"} // kim.LifeFields
	fieldAliases   = map[string]string{"ausbildung": "education", "schule": "education", "kinder": "family", "leistungen": "finances", "geld": "finances",
		"schulden": "finances", "soziales": "social", "wohnung": "housing", "wohnungssuche": "housing", "deutsch": "language", "sprachkurs": "language",
		"deutschkurs": "language", "integrationskurs": "language", "kita": "family", "jobsuche": "work", "arbeitssuche": "work", "beruf": "work",
		"job": "work", "arbeitsmarkt": "work", "aufenthaltsstatus": "residence", "aufenthaltsrecht": "residence"}
	groupDe      = []string{"gefluechtete", "unionsbuerger", "drittstaatsangehoerige", "sonstige"} // kim.TargetGroups
	groupAliases = map[string]string{"unionsbuergerinnen": "eu", "unionsbuergerin": "eu", "eu buerger": "eu", "eu buergerin": "eu",
		"drittstaaten": "third-country", "drittstaatler": "third-country", "gefluechteter": "refugee", "fluechtlinge": "refugee",
		"fluechtling": "refugee", "gefluechtet": "refugee", "andere": "other"}
	domainDe      = []string{"asylblg", "sgb ii", "sgb iii", "sgb viii", "sgb xii", "keiner"} // kim.LegalDomains
	domainAliases = map[string]string{"kein": "none", "keine": "none", "ohne": "none",
		// the benefits practitioners name instead of their book
		"buergergeld": "SGB2", "alg ii": "SGB2", "alg 2": "SGB2", "hartz iv": "SGB2", "alg i": "SGB3", "alg 1": "SGB3",
		"jugendhilfe": "SGB8", "sozialhilfe": "SGB12", "asylbewerberleistungen": "AsylbLG"}
	byDe      = []string{"organisation", "gruppe", "rechtskreis", "handlungsfeld", "partner"} // kim.ReportBys
	byAliases = map[string]string{"zielgruppe": "group", "feld": "field", "organization": "org"}
)

// Words typed for the correcting sub-verbs besides aendern and loeschen.
var (
	editAlso   = []string{"korrigieren", "bearbeiten"}
	deleteAlso = []string{"entfernen"}
)

// Parameters of the same meaning in several verbs.
var (
	caseParam   = Param{Name: "case", Alias: "fall", Kind: CaseRef}
	fieldParam  = withWords(Param{Name: "field", Alias: "feld", Kind: Choice, Choices: fieldChoices(), De: fieldDe, Aliases: fieldAliases, Label: "field"})
	groupParam  = Param{Name: "group", Alias: "gruppe", Kind: Choice, Choices: kim.TargetGroups, De: groupDe, Aliases: groupAliases, Label: "group"}
	domainParam = Param{Name: "domain", Alias: "rechtskreis", Kind: Choice, Choices: kim.LegalDomains, De: domainDe, Aliases: domainAliases, Label: "legal"}
	formParam   = Param{Name: "form", Kind: Choice, Choices: []string{"written", "oral"}, De: formDe, Label: "form", Optional: true}
	noteParam   = Param{Name: "note", Alias: "notiz", Also: []string{"bemerkung", "anmerkung"}, Kind: Text, Optional: true}
	nParam      = Param{Name: "n", Alias: "nr", Kind: Int, Min: 1, Max: 1000, Fillers: recordNumberWords}
	// nsParam is one number or several (1, 3 und 5; 2-4): goals reached,
	// steps done at once.
	nsParam = Param{Name: "n", Alias: "nr", Kind: Numbers, Min: 1, Max: 1000, Fillers: recordNumberWords}
	// recordNumberWords are said before a record's number (Nr. 2, Nummer 2).
	recordNumberWords = []string{"nr", "nr.", "nummer", "no.", "number"}
	// referralN is a referral's number, also said as „Verweis 1“.
	referralN = func() Param {
		p := nParam
		p.Fillers = append(slices.Clip(recordNumberWords), "verweis", "referral")
		return p
	}()
	// dateOption is the day a record is for (a contact, a consent, a step
	// done): a day up to today, today when left out.
	dateOption   = Param{Name: "date", Alias: "datum", Kind: Date, Optional: true}
	meetingParam = Param{Name: "meeting", Alias: "treffen", Kind: Meeting}
	keyParam     = Param{Name: "key", Alias: "kuerzel", Kind: Word, Max: 40} // a partner's or a topic's
)

// partnerNamed is a partner of the directory named by its key or its name,
// as the rest of the line (admin partner ändern Schuldnerberatung der Diakonie …).
var partnerNamed = Param{Name: "key", Alias: "kuerzel", Kind: Text, Max: 120}

// consentScope is what a consent is for: a partner of the directory, or
// processing (verarbeitung).
var consentScope = Param{Name: "scope", Alias: "partner", Kind: Word, Max: 40, Or: []string{"processing"}, Aliases: map[string]string{"verarbeitung": "processing"},
	Fillers: []string{"fuer", "for", "gegenueber"}}

// optional returns p as an optional parameter.
func optional(p Param) Param { p.Optional = true; return p }

// dueOption is the due date of a goal or an action item: a plan, so a day
// without its year is the next such day (fällig 30.6.), also typed bis=.
var dueOption = Param{Name: "due", Alias: "faellig", Also: []string{"bis", "by"}, Kind: Date, Ahead: true, Optional: true}

// goalDueChange is dueOption of a goal's correction, which may also remove
// the due date (fällig=keine).
var goalDueChange = func() Param {
	p := dueOption
	p.Or, p.Aliases = []string{"none"}, map[string]string{"keine": "none", "ohne": "none"}
	return p
}()

// confirmParam is the last parameter of a verb that cannot be undone: typed
// without it, the verb checks everything, says what would happen and
// changes nothing (Runner.confirmLine is the line that confirms).
var confirmParam = Param{Name: "confirm", Alias: "bestaetigen", Kind: Choice, Choices: []string{"confirm"},
	De: []string{"bestaetigen"}, Optional: true}

// kimVerbs is the table of /kim: every verb and sub-verb with its
// parameters, roles, handler and examples, top-level verbs in help order
// (SPEC §3). Roles are inherited by sub-verbs unless they name their own.
// Each verb's description is the message "verb.<path>" of the catalogues.
var kimVerbs = link(&Verb{Subs: []*Verb{{
	Name: "help", Alias: "hilfe", Also: []string{"?", "uebersicht"}, // kimbot's own answers say „Übersicht: /kim hilfe“
	Params:   []Param{{Name: "verb", Alias: "befehl", Kind: Word, Optional: true, Max: 30, Fillers: []string{"zu", "zum", "zur", "fuer", "ueber", "for", "about", "on"}}},
	Run:      (*Runner).help,
	Examples: []string{"/kim help", "/kim hilfe open", "/kim help goal"},
}, {
	Name: "open", Alias: "neu", Also: []string{"anlegen", "eroeffnen", "aufnehmen"}, Roles: coach,
	Params: []Param{{Name: "pseudonym", Kind: Pseudonym}},
	Options: []Param{
		groupParam,
		optional(domainParam),
		{Name: "consent", Alias: "einwilligung", Also: []string{"zustimmung", "einverstaendnis", "einverstaendniserklaerung"},
			Kind: Choice, Choices: []string{"yes", "no"}, De: []string{"ja", "nein"}, Named: true,
			Aliases: map[string]string{"erteilt": "yes", "liegt vor": "yes", "vorhanden": "yes", "gegeben": "yes", "fehlt": "no"}},
		formParam,
		{Name: "date", Alias: "datum", Also: []string{"aufnahme", "aufnahmedatum", "intake", "seit"}, Kind: Date, Optional: true}, // the intake day
	},
	Run:  (*Runner).open,
	Bare: (*Runner).openDialog, BareDialog: true, // commands/casework_dialogs.go
	Examples: []string{"/kim open AB group=refugee domain=AsylbLG consent=yes", "/kim neu \"M. K.\" gruppe=Unionsbürger einwilligung=ja form=mündlich",
		"/kim neu CD gruppe=geflüchtete rechtskreis=SGB II einwilligung=ja datum=02.11.2026",
		"/kim open"},
}, {
	Name: "cases", Alias: "faelle", Also: []string{"liste", "fallliste"}, Roles: coach,
	Params:   []Param{{Name: "filter", Kind: Choice, Optional: true, Choices: []string{"open", "closed", "due", "all"}, Aliases: filterAliases}},
	Options:  []Param{{Name: "page", Alias: "seite", Kind: Int, Min: 1, Max: 1000, Optional: true}},
	Run:      (*Runner).cases,
	Examples: []string{"/kim cases", "/kim fälle fällig", "/kim cases all", "/kim fälle offen seite=2"},
}, {
	Name: "show", Alias: "zeige", Also: []string{"zeig", "zeigen", "anzeigen", "fallkarte", "karte"}, Roles: coach,
	Params:   []Param{caseParam},
	Run:      (*Runner).show,
	Examples: []string{"/kim show K-2026-0042", "/kim zeige k-2026-0042"},
}, {
	Name: "case", Alias: "fall", Defaults: []string{"edit"}, Roles: coach, Subs: []*Verb{{ // commands/corrections.go
		Name: "edit", Alias: "aendern", Also: editAlso,
		Params: []Param{caseParam},
		Options: []Param{
			{Name: "pseudonym", Kind: Pseudonym, Optional: true},
			optional(groupParam),
			optional(domainParam),
			{Name: "date", Alias: "datum", Kind: Date, Optional: true, Also: []string{"aufnahme", "intake"}},
		},
		Run: (*Runner).caseEdit,
		Examples: []string{"/kim case edit K-2026-0042 pseudonym=\"M. K.\"", "/kim fall ändern K-2026-0042 gruppe=Unionsbürger",
			"/kim fall ändern K-2026-0042 datum=25.11.2026"},
	}},
}, {
	Name: "contacts", Alias: "kontakte", Roles: coach,
	Params:   []Param{caseParam},
	Options:  []Param{{Name: "page", Alias: "seite", Kind: Int, Min: 1, Max: 1000, Optional: true}},
	Run:      (*Runner).contacts,
	Examples: []string{"/kim contacts K-2026-0042", "/kim kontakte K-2026-0042 seite=2"},
}, {
	Name: "contact", Alias: "kontakt", Roles: coach,
	Params: []Param{
		caseParam,
		{Name: "kind", Alias: "art", Kind: Choice, Choices: kim.ContactKinds, De: kindDe, Aliases: kindAliases, Label: "kind"},
		{Name: "note", Alias: "notiz", Kind: Text},
	},
	Options: []Param{
		{Name: "minutes", Alias: "minuten", Kind: Minutes, Min: 0, Max: 1440, Optional: true},
		dateOption,
	},
	Run:  (*Runner).contact,
	Bare: (*Runner).contactDialog, BareArgs: 1, BareDialog: true,
	Examples: []string{"/kim contact K-2026-0042 phone minutes=20 \"Termin beim Jobcenter vorbereitet\"",
		"/kim kontakt K-2026-0042 Hausbesuch datum=20.11.2026 minuten=45 Wohnung besichtigt", "/kim contact K-2026-0042"},
	Subs: []*Verb{{ // commands/corrections.go; the number is the one /kim kontakte shows
		Name: "edit", Alias: "aendern", Also: editAlso,
		Params: []Param{caseParam, nParam, optional(Param{Name: "note", Alias: "notiz", Kind: Text})},
		Options: []Param{
			{Name: "kind", Alias: "art", Kind: Choice, Choices: kim.ContactKinds, De: kindDe, Aliases: kindAliases, Label: "kind", Optional: true},
			{Name: "minutes", Alias: "minuten", Kind: Minutes, Min: 0, Max: 1440, Optional: true},
			dateOption,
		},
		Run: (*Runner).contactEdit,
		Examples: []string{"/kim contact edit K-2026-0042 3 \"Termin beim Jobcenter am 04.12.\"",
			"/kim kontakt ändern K-2026-0042 3 datum=19.11.2026 minuten=45"},
	}, {
		Name: "delete", Alias: "loeschen", Also: deleteAlso,
		Params:   []Param{caseParam, nParam, confirmParam},
		Run:      (*Runner).contactDelete,
		Examples: []string{"/kim contact delete K-2026-0042 3", "/kim kontakt löschen K-2026-0042 3 bestätigen"},
	}},
}, {
	Name: "assess", Alias: "einschaetzung", Also: []string{"einschaetzen", "assessment"}, Roles: coach,
	Params: []Param{caseParam, {Name: "scores", Kind: Scores}},
	Options: []Param{
		noteParam,
		dateOption,
	},
	Run:  (*Runner).assess,
	Bare: (*Runner).assessDialog, BareArgs: 1, BareDialog: true, // commands/casework_dialogs.go
	Examples: []string{"/kim assess K-2026-0042 language=2 work=1 housing=3 note=\"Sprachkurs B1 läuft\"",
		"/kim einschätzung K-2026-0042 sprache=3 arbeit=2 wohnen=4 datum=20.11.2026", "/kim einschätzung K-2026-0042"},
	Subs: []*Verb{{ // commands/corrections.go; the number is the one the card shows
		Name: "edit", Alias: "aendern", Also: editAlso,
		Params: []Param{caseParam, nParam, {Name: "scores", Kind: Scores, Optional: true}},
		Options: []Param{
			noteParam,
			dateOption,
		},
		Run:      (*Runner).assessEdit,
		Examples: []string{"/kim assess edit K-2026-0042 2 language=3 work=2", "/kim einschätzung ändern K-2026-0042 2 sprache=3 datum=19.11.2026"},
	}, {
		Name: "delete", Alias: "loeschen", Also: deleteAlso,
		Params:   []Param{caseParam, nParam, confirmParam},
		Run:      (*Runner).assessDelete,
		Examples: []string{"/kim assess delete K-2026-0042 2", "/kim einschätzung löschen K-2026-0042 2 bestätigen"},
	}},
}, {
	Name: "goal", Alias: "ziel", Defaults: []string{"add"}, Roles: coach, Subs: []*Verb{{
		Name: "add", Alias: "neu",
		Params: []Param{
			caseParam,
			fieldParam,
			{Name: "text", Kind: Text},
		},
		Options:  []Param{dueOption},
		Run:      (*Runner).goalAdd,
		Examples: []string{"/kim goal add K-2026-0042 language \"B1-Kurs abschließen\" due=30.06.2027", "/kim ziel neu K-2026-0042 Arbeit Praktikum finden fällig=31.03.2027"},
	}, {
		Name: "done", Alias: "erreicht", Also: []string{"erledigt", "geschafft"},
		Params:   []Param{caseParam, nsParam},
		Run:      (*Runner).goalDone,
		Examples: []string{"/kim goal done K-2026-0042 1", "/kim ziel erreicht K-2026-0042 2", "/kim ziel erreicht K-2026-0042 1 und 3"},
	}, {
		Name: "drop", Alias: "verwerfen", Also: []string{"verworfen", "streichen", "gestrichen", "aufgeben", "aufgegeben", "fallenlassen"},
		Params:   []Param{caseParam, nsParam},
		Run:      (*Runner).goalDrop,
		Examples: []string{"/kim goal drop K-2026-0042 2", "/kim ziel verwerfen K-2026-0042 1"},
	}, {
		Name: "reopen", Alias: "offen", Also: []string{"wiedereroeffnen", "oeffnen", "open"}, // reached or dropped by mistake
		Params:   []Param{caseParam, nsParam},
		Run:      (*Runner).goalReopen,
		Examples: []string{"/kim goal reopen K-2026-0042 1", "/kim ziel offen K-2026-0042 2"},
	}, {
		Name: "edit", Alias: "aendern", Also: editAlso, // commands/corrections.go
		Params:  []Param{caseParam, nParam, optional(Param{Name: "text", Kind: Text})},
		Options: []Param{goalDueChange, optional(fieldParam)}, // feld=: a goal put under the wrong life field
		Run:     (*Runner).goalEdit,
		Examples: []string{"/kim goal edit K-2026-0042 1 \"B2-Kurs abschließen\"", "/kim ziel ändern K-2026-0042 1 Praktikum im Handwerk finden",
			"/kim ziel ändern K-2026-0042 1 fällig=31.7.", "/kim ziel ändern K-2026-0042 1 fällig=keine", "/kim ziel ändern K-2026-0042 1 feld=Arbeit"},
	}, {
		Name: "delete", Alias: "loeschen", Also: deleteAlso,
		Params:   []Param{caseParam, nParam, confirmParam},
		Run:      (*Runner).goalDelete,
		Examples: []string{"/kim goal delete K-2026-0042 2", "/kim ziel löschen K-2026-0042 2 bestätigen"},
	}},
}, {
	Name: "refer", Alias: "verweis", Also: []string{"verweisen", "vermitteln"}, Roles: coach,
	Params: []Param{
		caseParam,
		{Name: "partner", Kind: Word, Max: 40, Fillers: []string{"an", "ans", "zum", "zur", "beim", "bei", "to"}},
		{Name: "reason", Alias: "anlass", Kind: Text},
	},
	Options: []Param{{Name: "followup", Alias: "nachfassen", Kind: Duration, Optional: true}},
	Run:     (*Runner).refer,
	Bare:    (*Runner).referDialog, BareArgs: 1, BareDialog: true,
	Examples: []string{"/kim refer K-2026-0042 jobcenter \"Antrag auf Bürgergeld\" followup=10d",
		"/kim verweis K-2026-0042 jmd Unterstützung bei der Ausbildungssuche nachfassen=3w", "/kim refer K-2026-0042"},
	Subs: []*Verb{{ // commands/corrections.go: a referral recorded with the wrong partner or reason, or by mistake
		Name: "edit", Alias: "aendern", Also: editAlso,
		Params:   []Param{caseParam, nParam, {Name: "reason", Alias: "anlass", Kind: Text, Optional: true}},
		Options:  []Param{{Name: "partner", Kind: Word, Max: 40, Optional: true}},
		Run:      (*Runner).referralEdit,
		Examples: []string{"/kim refer edit K-2026-0042 1 partner=arbeitsagentur", "/kim verweis ändern K-2026-0042 1 Antrag auf Bürgergeld und KdU"},
	}, {
		Name: "delete", Alias: "loeschen", Also: deleteAlso,
		Params:   []Param{caseParam, nParam, confirmParam},
		Run:      (*Runner).referralDelete,
		Examples: []string{"/kim refer delete K-2026-0042 2", "/kim verweis löschen K-2026-0042 2 bestätigen"},
	}},
}, {
	Name: "outcome", Alias: "ergebnis", Roles: coach,
	Params: []Param{
		caseParam,
		referralN,
		{Name: "outcome", Alias: "ergebnis", Kind: Choice, Choices: kim.ReferralOutcomes, De: outcomeDe, Aliases: outcomeAliases, Label: "outcome"},
		noteParam,
	},
	Run:      (*Runner).outcome,
	Examples: []string{"/kim outcome K-2026-0042 1 accepted \"Termin am 02.12.\"", "/kim ergebnis K-2026-0042 2 nicht erschienen"},
	Subs: []*Verb{{ // commands/corrections.go: the latest outcome of the referral
		Name: "edit", Alias: "aendern", Also: editAlso,
		Params: []Param{
			caseParam,
			nParam,
			{Name: "outcome", Alias: "ergebnis", Kind: Choice, Choices: kim.ReferralOutcomes, De: outcomeDe, Aliases: outcomeAliases, Label: "outcome"},
			noteParam,
		},
		Run:      (*Runner).outcomeEdit,
		Examples: []string{"/kim outcome edit K-2026-0042 1 rejected \"kein Termin frei\"", "/kim ergebnis ändern K-2026-0042 1 angenommen \"Termin am 03.12.\""},
	}, {
		Name: "delete", Alias: "loeschen", Also: deleteAlso,
		Params:   []Param{caseParam, nParam, confirmParam},
		Run:      (*Runner).outcomeDelete,
		Examples: []string{"/kim outcome delete K-2026-0042 1", "/kim ergebnis löschen K-2026-0042 1 bestätigen"},
	}},
}, {
	Name: "consent", Alias: "einwilligung", Also: []string{"zustimmung", "einverstaendnis", "schweigepflichtentbindung"}, Roles: coach,
	Params: []Param{
		caseParam,
		{Name: "action", Alias: "aktion", Kind: Choice, Choices: []string{"grant", "revoke"}, De: []string{"erteilen", "widerrufen"}, Aliases: consentAliases, After: true},
		consentScope,
		confirmParam, // revoking consent to processing erases the case
	},
	Options: []Param{
		formParam,
		dateOption,
	},
	Run: (*Runner).consent,
	Examples: []string{"/kim consent K-2026-0042 grant jobcenter form=written", "/kim einwilligung K-2026-0042 erteilen jugendamt form=muendlich date=20.11.2026",
		"/kim consent K-2026-0042 revoke jobcenter", "/kim einwilligung K-2026-0042 widerrufen verarbeitung", "/kim einwilligung K-2026-0042 widerrufen verarbeitung bestätigen"},
	Subs: []*Verb{{ // commands/corrections.go: a consent recorded with the wrong form or day, or by mistake
		Name: "edit", Alias: "aendern", Also: editAlso,
		Params:   []Param{caseParam, consentScope},
		Options:  []Param{formParam, dateOption},
		Run:      (*Runner).consentEdit,
		Examples: []string{"/kim consent edit K-2026-0042 jobcenter form=oral", "/kim einwilligung ändern K-2026-0042 jobcenter datum=20.11.2026"},
	}, {
		Name: "delete", Alias: "loeschen", Also: deleteAlso,
		Params:   []Param{caseParam, consentScope, confirmParam},
		Run:      (*Runner).consentDelete,
		Examples: []string{"/kim consent delete K-2026-0042 jugendamt", "/kim einwilligung löschen K-2026-0042 jugendamt bestätigen"},
	}},
}, {
	// Open steps of an earlier change: asked first (commands/transitions.go).
	Name: "domain", Alias: "rechtskreis", Also: []string{"rechtskreiswechsel"}, Roles: coach,
	Params:  []Param{caseParam, domainParam, domainOpenParam},
	Options: []Param{{Name: "since", Alias: "seit", Kind: Date, Optional: true}},
	Run:     (*Runner).domain,
	Examples: []string{"/kim domain K-2026-0042 SGB2 since=01.11.2026", "/kim rechtskreis K-2026-0042 SGB III seit=01.11.2026",
		"/kim rechtskreis K-2026-0042 AsylbLG bestätigen", "/kim rechtskreis K-2026-0042 SGB XII behalten"},
	Subs: []*Verb{{ // the latest change's day corrected; its open steps move with it
		Name: "edit", Alias: "aendern", Also: editAlso,
		Params:   []Param{caseParam},
		Options:  []Param{{Name: "since", Alias: "seit", Kind: Date, Optional: true}},
		Run:      (*Runner).domainEdit,
		Examples: []string{"/kim domain edit K-2026-0042 since=2026-11-01", "/kim rechtskreis ändern K-2026-0042 seit=01.11.2026"},
	}, { // a change recorded by mistake: the latest, with its steps, asked first
		Name: "delete", Alias: "loeschen", Also: deleteAlso,
		Params:   []Param{caseParam, confirmParam},
		Run:      (*Runner).domainDelete,
		Examples: []string{"/kim domain delete K-2026-0042", "/kim rechtskreis löschen K-2026-0042 bestätigen"},
	}},
}, {
	// The checklist of the newest Rechtskreiswechsel, every step (the card
	// shows the next five open ones).
	Name: "steps", Alias: "schritte", Also: []string{"checkliste"}, Roles: coach,
	Params:   []Param{caseParam},
	Run:      (*Runner).steps,
	Examples: []string{"/kim steps K-2026-0042", "/kim schritte K-2026-0042"},
}, {
	// A step of a Rechtskreiswechsel checked off by hand (commands/transitions.go).
	Name: "step", Alias: "schritt", Roles: coach,
	Params: []Param{caseParam, nsParam, {Name: "status", Kind: Choice, Choices: []string{kim.StepDone, kim.StepOpen, kim.StepDropped},
		De: []string{"erledigt", "offen", "nicht mehr noetig"}, Label: "step.word", Optional: true,
		Aliases: map[string]string{"done": kim.StepDone, "geschafft": kim.StepDone, "wieder offen": kim.StepOpen, "oeffnen": kim.StepOpen,
			"unnoetig": kim.StepDropped, "entfaellt": kim.StepDropped, "nicht noetig": kim.StepDropped, "no longer needed": kim.StepDropped}}},
	Options: []Param{dateOption, dueOption},
	Run:     (*Runner).step,
	Examples: []string{"/kim step K-2026-0042 1", "/kim schritt K-2026-0042 3 erledigt datum=gestern", "/kim schritt K-2026-0042 1, 2 und 8 erledigt",
		"/kim schritt K-2026-0042 3 offen",
		"/kim schritt K-2026-0042 7 nicht nötig", "/kim schritt K-2026-0042 2 fällig=15.01.2027"},
}, {
	Name: "due", Alias: "termin", Roles: coach,
	Params: []Param{
		caseParam,
		{Name: "which", Alias: "termin", Kind: Choice, Choices: []string{"monitoring", "reassessment"}, De: []string{"monitoring", "einschaetzung"}, Aliases: dueAliases},
		{Name: "date", Alias: "datum", Kind: Date, Ahead: true},
	},
	Run:      (*Runner).due,
	Examples: []string{"/kim due K-2026-0042 monitoring 2026-12-01", "/kim termin K-2026-0042 einschätzung 15.01.2027"},
}, {
	Name: "close", Alias: "abschliessen", Also: []string{"abschluss", "schliessen"}, Roles: coach,
	Params: []Param{
		caseParam,
		{Name: "reason", Alias: "grund", Kind: Choice, Choices: kim.CloseReasons, De: closeDe, Aliases: closeAliases, Label: "reason"},
		noteParam,
	},
	Run:      (*Runner).closeCase,
	Examples: []string{"/kim close K-2026-0042 goals-met \"Arbeit gefunden, Wohnung stabil\"", "/kim abschließen K-2026-0042 verzogen", "/kim abschließen K-2026-0042 Ziele erreicht Arbeit gefunden"},
}, {
	Name: "reopen", Alias: "wiederaufnehmen", Also: []string{"wiedereroeffnen"}, Roles: coach,
	Params:   []Param{caseParam},
	Run:      (*Runner).reopen,
	Examples: []string{"/kim reopen K-2026-0042", "/kim wiederaufnehmen K-2026-0042"},
}, {
	Name: "transfer", Alias: "uebergeben", Also: []string{"uebergabe", "abgeben"}, Roles: coach,
	Params:   []Param{caseParam, {Name: "user", Alias: "person", Kind: User}, confirmParam},
	Run:      (*Runner).transfer,
	Examples: []string{"/kim transfer K-2026-0042 @ben", "/kim übergeben K-2026-0042 @ben bestätigen"},
}, {
	Name: "barrier", Alias: "hindernis", Also: []string{"strukturhinweis", "hinweis"}, Roles: coach,
	Params: []Param{
		caseParam,
		{Name: "about", Alias: "bezug", Kind: Word, Max: 80},
		{Name: "text", Kind: Text},
	},
	Run: (*Runner).barrier, // commands/barriers.go
	Examples: []string{"/kim barrier K-2026-0042 jobcenter \"Termine erst nach 8 Wochen\"",
		"/kim hindernis K-2026-0042 wohnen Keine Wohnungen unter der Mietobergrenze"},
	Subs: []*Verb{{
		Name: "confirm", Alias: "bestaetigen",
		Params:   []Param{caseParam, nParam},
		Run:      (*Runner).barrierConfirm,
		Examples: []string{"/kim barrier confirm K-2026-0042 1", "/kim hindernis bestätigen K-2026-0042 1"},
	}, {
		Name: "edit", Alias: "aendern", Also: editAlso, // the text, the partner or topic, or both
		Params:  []Param{caseParam, nParam, {Name: "text", Kind: Text, Optional: true}},
		Options: []Param{{Name: "about", Alias: "bezug", Kind: Word, Max: 80, Optional: true}},
		Run:     (*Runner).barrierEdit,
		Examples: []string{"/kim barrier edit K-2026-0042 1 \"Termine erst nach 10 Wochen\"", "/kim hindernis ändern K-2026-0042 1 Rückruf dauert drei Wochen",
			"/kim barrier edit K-2026-0042 1 about=auslaenderbehoerde", "/kim hindernis ändern K-2026-0042 1 bezug=Wohnen Keine Wohnungen unter der Mietobergrenze"},
	}, {
		Name: "delete", Alias: "loeschen", Also: deleteAlso,
		Params:   []Param{caseParam, nParam, confirmParam},
		Run:      (*Runner).barrierDelete,
		Examples: []string{"/kim barrier delete K-2026-0042 1", "/kim hindernis löschen K-2026-0042 1 bestätigen"},
	}, {
		Name: "list", Alias: "liste",
		Params:   []Param{caseParam},
		Run:      (*Runner).barrierList,
		Examples: []string{"/kim barrier list K-2026-0042", "/kim hindernis liste K-2026-0042"},
	}},
}, {
	Name: "away", Alias: "abwesend", Also: []string{"abwesenheit", "urlaub"}, Roles: coach,
	Params: []Param{
		{Name: "from", Alias: "von", Kind: Date, Ahead: true, Or: []string{"off", "back"}, Aliases: awayOffAliases, Alone: true},
		{Name: "to", Alias: "bis", Kind: Date, Ahead: true},
	},
	Options: []Param{{Name: "deputy", Alias: "vertretung", Kind: User}},
	Run:     (*Runner).away,
	Bare:    (*Runner).awayList,
	Examples: []string{"/kim away 2026-12-21 2027-01-03 deputy=@ben", "/kim abwesend 21.12.2026 03.01.2027 vertretung=@ben",
		"/kim abwesend vom 21.12. bis 3.1. vertretung=@ben",
		"/kim away off", "/kim abwesend aus", "/kim abwesend zurück", "/kim away"},
	Subs: []*Verb{{ // the current or next absence: longer, later, another deputy
		Name: "edit", Alias: "aendern", Also: append([]string{"verlaengern"}, editAlso...),
		Options: []Param{
			{Name: "from", Alias: "von", Kind: Date, Ahead: true, Optional: true},
			{Name: "to", Alias: "bis", Kind: Date, Ahead: true, Optional: true},
			{Name: "deputy", Alias: "vertretung", Kind: User, Optional: true},
		},
		Run:      (*Runner).awayEdit,
		Examples: []string{"/kim away edit to=2027-01-10", "/kim abwesend verlängern bis 10.1.", "/kim abwesend ändern vertretung=@lena"},
	}},
}, {
	// What the digest would hold now, on demand (commands/today.go).
	Name: "today", Alias: "heute", Also: []string{"tagesuebersicht", "faellig"}, Roles: anyRole,
	Run:      (*Runner).today,
	Examples: []string{"/kim today", "/kim heute"},
}, {
	Name: "settings", Alias: "einstellungen", Also: []string{"einstellung"},
	Options: []Param{
		{Name: "digest", Alias: "uebersicht", Also: []string{"tagesuebersicht", "zusammenfassung", "erinnerung", "erinnerungen", "uhrzeit"},
			Kind: Clock, Or: []string{"off"}, Aliases: offAliases, Optional: true},
		{Name: "lang", Alias: "sprache", Kind: Choice, Choices: []string{"de", "en"}, Optional: true,
			Aliases: map[string]string{"deutsch": "de", "german": "de", "englisch": "en", "english": "en"}},
	},
	Run:      (*Runner).settings,
	Examples: []string{"/kim settings", "/kim settings digest=07:30", "/kim einstellungen übersicht=aus sprache=de", "/kim settings lang=en"},
}, {
	Name: "meeting", Alias: "treffen", Defaults: []string{"new", "show"}, Alone: "list", Roles: coordination, Subs: []*Verb{{
		Name: "new", Alias: "neu",
		Params: []Param{
			{Name: "date", Alias: "datum", Kind: Date, Ahead: true},
			{Name: "time", Alias: "uhrzeit", Kind: Clock},
			{Name: "title", Alias: "titel", Kind: Text, Max: maxMeetingTitle},
		},
		Options: []Param{{Name: "channel", Alias: "kanal", Kind: Channel, Optional: true}},
		Run:     (*Runner).meetingNew,
		Examples: []string{"/kim meeting new 2026-12-03 14:00 Netzwerktreffen Integration channel=~kim-netzwerk",
			"/kim treffen neu 03.12.2026 9:30 \"Lenkungsgruppe KIM\" kanal=~kim-netzwerk"},
	}, {
		Name: "list", Alias: "liste",
		Run:      (*Runner).meetingList,
		Examples: []string{"/kim meeting list", "/kim treffen liste"},
	}, {
		Name: "show", Alias: "zeige", Also: []string{"zeig", "zeigen", "anzeigen"},
		Params:   []Param{meetingParam},
		Run:      (*Runner).meetingShow,
		Examples: []string{"/kim meeting show M-3", "/kim treffen zeige m-3"},
	}, {
		Name: "edit", Alias: "aendern", Also: append([]string{"verschieben"}, editAlso...), // until the meeting begins
		Params: []Param{meetingParam},
		Options: []Param{
			// verschieben auf 10.12. um 10 Uhr, as it is said
			{Name: "date", Alias: "datum", Also: []string{"auf", "am", "to", "on"}, Kind: Date, Ahead: true, Optional: true},
			{Name: "time", Alias: "uhrzeit", Also: []string{"um", "at"}, Kind: Clock, Optional: true},
			{Name: "title", Alias: "titel", Kind: Text, Max: maxMeetingTitle, Optional: true},
			{Name: "channel", Alias: "kanal", Kind: Channel, Optional: true},
		},
		Run: (*Runner).meetingEdit,
		Examples: []string{"/kim meeting edit M-3 date=2026-12-10 time=10:00", "/kim treffen ändern M-3 datum=10.12. uhrzeit=10 Uhr",
			"/kim treffen verschieben M-3 auf Freitag um 10 Uhr",
			"/kim treffen ändern M-3 titel=\"Netzwerktreffen Dezember\" kanal=~kim-netzwerk"},
	}, {
		Name: "cancel", Alias: "absagen", Also: []string{"ausfallen", "loeschen", "streichen", "delete"},
		Params:   []Param{meetingParam, confirmParam},
		Run:      (*Runner).meetingCancel,
		Examples: []string{"/kim meeting cancel M-3", "/kim treffen absagen M-3 bestätigen"},
	}},
}, {
	Name: "agenda", Alias: "tagesordnung", Defaults: []string{"add"}, Roles: coordination, Subs: []*Verb{{
		Name: "add", Alias: "neu",
		Params:   []Param{meetingParam, {Name: "text", Kind: Text, Max: maxAgendaText}},
		Run:      (*Runner).agendaAdd,
		Examples: []string{"/kim agenda add M-3 Wartezeiten Jobcenter", "/kim tagesordnung neu M-3 \"Bericht der Lenkungsgruppe\""},
	}, {
		Name: "post", Alias: "posten",
		Params:   []Param{meetingParam},
		Run:      (*Runner).agendaPost,
		Examples: []string{"/kim agenda post M-3", "/kim tagesordnung posten M-3"},
	}, {
		Name: "edit", Alias: "aendern", Also: editAlso, // until the meeting begins
		Params:   []Param{meetingParam, nParam, {Name: "text", Kind: Text, Max: maxAgendaText}},
		Run:      (*Runner).agendaEdit,
		Examples: []string{"/kim agenda edit M-3 2 Wartezeiten im Jobcenter", "/kim tagesordnung ändern M-3 1 \"Bericht der Lenkungsgruppe (kurz)\""},
	}, {
		Name: "delete", Alias: "loeschen", Also: deleteAlso,
		Params:   []Param{meetingParam, nParam, confirmParam},
		Run:      (*Runner).agendaDelete,
		Examples: []string{"/kim agenda delete M-3 2", "/kim tagesordnung löschen M-3 2 bestätigen"},
	}},
}, {
	Name: "action", Alias: "aufgabe", Defaults: []string{"add"}, Subs: []*Verb{{
		Name: "add", Alias: "neu", Roles: coordination,
		Params:  []Param{meetingParam, {Name: "owner", Alias: "verantwortlich", Kind: User}, {Name: "text", Kind: Text, Max: maxActionText}},
		Options: []Param{dueOption},
		Run:     (*Runner).actionAdd,
		Examples: []string{"/kim action add M-3 @lena \"Termin mit der Ausländerbehörde vereinbaren\" due=2026-12-18",
			"/kim aufgabe neu M-3 @jonas Wohnungsmarkt-Daten besorgen fällig=18.12.2026"},
	}, {
		// Everybody may call it; the owner of the action, coordinators and
		// admins may complete it.
		Name: "done", Alias: "erledigt",
		Params:   []Param{{Name: "action", Alias: "aufgabe", Kind: Action}},
		Run:      (*Runner).actionDone,
		Examples: []string{"/kim action done A-7", "/kim aufgabe erledigt a-7"},
	}, {
		Name: "reopen", Alias: "offen", Also: []string{"wiedereroeffnen", "oeffnen", "open"}, // checked off by mistake; as done
		Params:   []Param{{Name: "action", Alias: "aufgabe", Kind: Action}},
		Run:      (*Runner).actionReopen,
		Examples: []string{"/kim action reopen A-7", "/kim aufgabe offen A-7"},
	}, {
		Name: "edit", Alias: "aendern", Also: editAlso, Roles: coordination,
		Params:   []Param{{Name: "action", Alias: "aufgabe", Kind: Action}, {Name: "text", Kind: Text, Max: maxActionText, Optional: true}},
		Options:  []Param{dueOption},
		Run:      (*Runner).actionEdit,
		Examples: []string{"/kim action edit A-7 due=2027-01-15", "/kim aufgabe ändern A-7 \"Termin mit der Ausländerbehörde und dem Jobcenter\""},
	}, {
		Name: "delete", Alias: "loeschen", Also: deleteAlso, Roles: coordination,
		Params:   []Param{{Name: "action", Alias: "aufgabe", Kind: Action}, confirmParam},
		Run:      (*Runner).actionDelete,
		Examples: []string{"/kim action delete A-7", "/kim aufgabe löschen A-7 bestätigen"},
	}},
}, {
	Name: "report", Alias: "bericht", Also: []string{"statistik", "auswertung"}, Roles: anyRole,
	Params: []Param{{Name: "period", Alias: "zeitraum", Kind: Period, Optional: true}},
	Options: []Param{
		{Name: "by", Alias: "nach", Kind: Choice, Choices: kim.ReportBys, De: byDe, Aliases: byAliases, Optional: true},
		{Name: "format", Also: []string{"als", "as"}, Kind: Choice, Choices: []string{"table", "csv", "chart"}, De: []string{"tabelle", "csv", "diagramm"}, Optional: true,
			Aliases: map[string]string{"grafik": "chart"}},
	},
	Run: (*Runner).report,
	Examples: []string{"/kim report", "/kim report 2026-Q3 by=partner", "/kim bericht 2026-10 nach=organisation format=csv",
		"/kim report 2026 by=field format=chart", "/kim bericht 3. Quartal nach partner"},
}, {
	Name: "export", Alias: "auskunft", Roles: coach,
	Params:   []Param{caseParam},
	Run:      (*Runner).export,
	Examples: []string{"/kim export K-2026-0042", "/kim auskunft k-2026-0042"},
}, {
	Name: "erase", Alias: "loeschen", Roles: coach,
	Params:   []Param{caseParam, confirmParam},
	Run:      (*Runner).erase,
	Examples: []string{"/kim erase K-2026-0042", "/kim erase K-2026-0042 confirm", "/kim löschen K-2026-0042 bestätigen"},
}, {
	Name: "admin", Roles: admin, Subs: []*Verb{{
		Name: "role", Alias: "rolle",
		Params: []Param{
			{Name: "user", Alias: "person", Kind: User},
			{Name: "role", Alias: "rolle", Kind: Choice, Choices: []string{"coach", "coordinator", "admin", "none"}, De: roleDe, Aliases: roleAliases, Label: "role"},
			confirmParam,
		},
		Options: []Param{
			{Name: "org", Alias: "organisation", Kind: Text, Optional: true, Max: 80},
			{Name: "handover", Alias: "uebergabe", Kind: User, Optional: true},
		},
		Run:  (*Runner).adminRole, // commands/staff.go
		Bare: (*Runner).adminRoles,
		Examples: []string{"/kim admin role @anna coach org=Caritas", "/kim admin role @lena coordinator", "/kim admin role @anna none",
			"/kim admin rolle @anna keine übergabe=@ben bestätigen", "/kim admin rolle"},
	}, {
		Name: "roles", Alias: "rollen", Also: []string{"team", "mitglieder"}, // who has which role
		Options:  []Param{{Name: "page", Alias: "seite", Kind: Int, Min: 1, Max: 1000, Optional: true}},
		Run:      (*Runner).adminRoles,
		Examples: []string{"/kim admin roles", "/kim admin rollen"},
	}, {
		Name: "transfer", Alias: "uebergeben",
		Params:   []Param{caseParam, {Name: "user", Alias: "person", Kind: User}, confirmParam},
		Run:      (*Runner).adminTransfer, // commands/staff.go
		Examples: []string{"/kim admin transfer K-2026-0042 @ben", "/kim admin übergeben K-2026-0042 @ben bestätigen"},
	}, {
		Name: "handover", Alias: "uebergabe",
		Params: []Param{
			{Name: "from", Alias: "von", Kind: User},
			{Name: "to", Alias: "an", Kind: User},
			confirmParam,
		},
		Run:      (*Runner).adminHandover, // commands/staff.go
		Examples: []string{"/kim admin handover @anna @ben", "/kim admin übergabe @anna @ben bestätigen"},
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
		Name: "partner", Roles: anyRole, Alone: "list", Subs: []*Verb{{
			Name: "add", Alias: "neu", Roles: admin,
			Params:  []Param{keyParam, {Name: "name", Kind: Text, Max: 120}},
			Options: []Param{optional(domainParam)},
			Run:     (*Runner).partnerAdd,
			Examples: []string{"/kim admin partner add schuldnerberatung \"Schuldnerberatung der Diakonie\"",
				"/kim admin partner add bamf \"BAMF Außenstelle\" domain=none", "/kim admin partner neu schuldnerberatung \"Schuldnerberatung der Diakonie\"",
				"/kim admin partner neu bamf \"BAMF Außenstelle\" rechtskreis=keiner"},
		}, {
			Name: "edit", Alias: "aendern", Also: editAlso, Roles: admin,
			Params:  []Param{partnerNamed},
			Options: []Param{{Name: "name", Kind: Text, Max: 120, Optional: true}, optional(domainParam)},
			Run:     (*Runner).partnerEdit,
			Examples: []string{"/kim admin partner edit schuldnerberatung name=\"Schuldnerberatung der Diakonie Köln\"",
				"/kim admin partner ändern bamf rechtskreis=keiner"},
		}, {
			Name: "remove", Alias: "entfernen", Also: []string{"loeschen", "delete"}, Roles: admin,
			Params:   []Param{partnerNamed},
			Run:      (*Runner).partnerRemove,
			Examples: []string{"/kim admin partner remove bamf", "/kim admin partner entfernen schuldnerberatung"},
		}, {
			Name: "list", Alias: "liste",
			Run:      (*Runner).partnerList,
			Examples: []string{"/kim admin partner list", "/kim admin partner liste"},
		}},
	}, {
		// Everybody with a role reads the topic list; admins keep it.
		Name: "topic", Alias: "thema", Roles: anyRole, Alone: "list", Subs: []*Verb{{
			Name: "add", Alias: "neu", Roles: admin,
			Params:   []Param{keyParam, {Name: "name", Kind: Text, Max: 80}},
			Run:      (*Runner).topicAdd,
			Examples: []string{"/kim admin topic add finanzen \"Finanzen und Leistungen\"", "/kim admin thema neu dolmetschen Sprachmittlung"},
		}, {
			Name: "edit", Alias: "aendern", Also: editAlso, Roles: admin,
			Params:   []Param{keyParam, {Name: "name", Kind: Text, Max: 80}},
			Run:      (*Runner).topicEdit,
			Examples: []string{"/kim admin topic edit dolmetschen \"Sprachmittlung und Dolmetschen\"", "/kim admin thema ändern wohnen Wohnraum"},
		}, {
			Name: "remove", Alias: "entfernen", Roles: admin,
			Params:   []Param{keyParam},
			Run:      (*Runner).topicRemove,
			Examples: []string{"/kim admin topic remove digitales", "/kim admin thema entfernen mobilität"},
		}, {
			Name: "list", Alias: "liste",
			Run:      (*Runner).topicList,
			Examples: []string{"/kim admin topic list", "/kim admin thema liste"},
		}},
	}, {
		// Everybody with a role reads the templates; admins keep them
		// (commands/transitions.go).
		Name: "transition", Alias: "uebergang", Roles: anyRole, Alone: "list", Subs: []*Verb{{
			Name: "list", Alias: "liste",
			Params: []Param{optional(domainAs("from", "von")),
				optional(domainAs("to", "nach"))},
			Run:      (*Runner).transitionList,
			Examples: []string{"/kim admin transition list", "/kim admin übergang liste AsylbLG SGB II"},
		}, {
			Name: "add", Alias: "neu", Roles: admin,
			Params: []Param{domainAs("from", "von"), domainAs("to", "nach"),
				{Name: "text", Kind: Text, Max: kim.MaxStepText}},
			Options: []Param{{Name: "partner", Kind: Word, Max: 40, Optional: true},
				{Name: "days", Alias: "tage", Kind: Int, Min: 0, Max: kim.MaxStepOffset, Optional: true}},
			Run: (*Runner).transitionAdd,
			Examples: []string{"/kim admin transition add AsylbLG SGB2 \"Bankkonto für Leistungen klären\" days=7",
				"/kim admin übergang neu SGB II SGB III \"Bewerbungsunterlagen aktualisieren\" partner=arbeitsagentur tage=14"},
		}, {
			Name: "edit", Alias: "aendern", Also: editAlso, Roles: admin,
			Params: []Param{domainAs("from", "von"), domainAs("to", "nach"),
				{Name: "n", Alias: "nr", Kind: Int, Min: 1, Max: kim.MaxSteps}, {Name: "text", Kind: Text, Max: kim.MaxStepText, Optional: true}},
			Options: []Param{{Name: "partner", Kind: Word, Max: 40, Optional: true},
				{Name: "days", Alias: "tage", Kind: Int, Min: 0, Max: kim.MaxStepOffset, Optional: true}},
			Run: (*Runner).transitionEdit,
			Examples: []string{"/kim admin transition edit AsylbLG SGB2 1 days=3",
				"/kim admin übergang ändern AsylbLG SGB II 7 \"Kindergeld bei der Familienkasse beantragen\" partner=keiner tage=21"},
		}, {
			Name: "remove", Alias: "entfernen", Roles: admin,
			Params:   []Param{domainAs("from", "von"), domainAs("to", "nach"), {Name: "n", Alias: "nr", Kind: Int, Min: 1, Max: kim.MaxSteps}, confirmParam},
			Run:      (*Runner).transitionRemove,
			Examples: []string{"/kim admin transition remove SGB2 SGB12 3", "/kim admin übergang entfernen AsylbLG SGB XII 2 bestätigen"},
		}},
	}, {
		Name: "audit", Alias: "protokoll",
		Params:   []Param{caseParam},
		Run:      (*Runner).adminAudit,
		Examples: []string{"/kim admin audit K-2026-0042", "/kim admin protokoll K-2026-0042"},
	}},
}}})

func fieldChoices() []string {
	out := make([]string, len(kim.LifeFields))
	for i, f := range kim.LifeFields {
		out[i] = string(f)
	}
	return out
}
