package kim

// Export is everything kimbot holds about one case, for a DSGVO Art. 15
// request or for the transfer into the legal case file. Dates are
// YYYY-MM-DD.
type Export struct {
	Ref          string           `json:"case"`
	Team         string           `json:"team"`
	Pseudonym    string           `json:"pseudonym"`
	Group        string           `json:"target_group"`
	Domain       string           `json:"legal_domain"`
	Phase        string           `json:"phase"`
	Owner        string           `json:"coach"`
	Organisation string           `json:"organisation,omitempty"`
	OpenedOn     string           `json:"opened_on"`
	ClosedOn     string           `json:"closed_on,omitempty"`
	CloseReason  string           `json:"close_reason,omitempty"`
	CloseNote    string           `json:"close_note,omitempty"`
	Consents     []ExportConsent  `json:"consents"`
	Contacts     []ExportContact  `json:"contacts"`
	Assessments  []ExportAssess   `json:"assessments"`
	Goals        []ExportGoal     `json:"goals"`
	Referrals    []ExportReferral `json:"referrals"`
	Domains      []ExportDomain   `json:"legal_domain_changes"`
	Barriers     []ExportBarrier  `json:"barriers"`
	ExportedAt   string           `json:"exported_at"`
}

// ExportConsent is one consent of an export.
type ExportConsent struct {
	Scope     string `json:"scope"`
	Partner   string `json:"partner,omitempty"`
	Form      string `json:"form"`
	GrantedOn string `json:"granted_on"`
	RevokedOn string `json:"revoked_on,omitempty"`
}

// ExportContact is one contact of an export.
type ExportContact struct {
	N       int    `json:"number"`
	On      string `json:"date"`
	Kind    string `json:"kind"`
	Minutes int    `json:"minutes,omitempty"`
	Note    string `json:"note,omitempty"`
}

// ExportAssess is one assessment of an export.
type ExportAssess struct {
	Seq    int            `json:"number"`
	On     string         `json:"date"`
	Scores map[string]int `json:"scores"`
	Note   string         `json:"note,omitempty"`
}

// ExportGoal is one goal of an export.
type ExportGoal struct {
	N      int    `json:"number"`
	Field  string `json:"field"`
	Text   string `json:"text,omitempty"`
	Due    string `json:"due,omitempty"`
	Status string `json:"status"`
}

// ExportReferral is one referral of an export.
type ExportReferral struct {
	N         int    `json:"number"`
	Partner   string `json:"partner"`
	Reason    string `json:"reason,omitempty"`
	On        string `json:"date"`
	Followup  string `json:"followup,omitempty"`
	Outcome   string `json:"outcome"`
	OutcomeOn string `json:"outcome_on,omitempty"`
	Note      string `json:"outcome_note,omitempty"`
	// Outcomes is every outcome recorded, oldest first (the last one is
	// Outcome, OutcomeOn and Note).
	Outcomes []ExportOutcome `json:"outcomes"`
}

// ExportOutcome is one recorded outcome of a referral of an export.
type ExportOutcome struct {
	Outcome string `json:"outcome"`
	On      string `json:"date"`
	Note    string `json:"note,omitempty"`
}

// ExportDomain is one Rechtskreiswechsel of an export.
type ExportDomain struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Since string `json:"since"`
	// Steps are the transition steps the change created.
	Steps []ExportStep `json:"steps,omitempty"`
	// ChangeID links the steps to their change while the export is read.
	ChangeID int64 `json:"-"`
}

// ExportStep is one transition step of a Rechtskreiswechsel.
type ExportStep struct {
	N        int    `json:"number"`
	Text     string `json:"text"`
	Partner  string `json:"partner,omitempty"`
	Due      string `json:"due"`
	Status   string `json:"status"`
	ClosedOn string `json:"closed_on,omitempty"`
}

// ExportBarrier is one barrier recorded in the case.
type ExportBarrier struct {
	On      string `json:"date"`
	Partner string `json:"partner,omitempty"`
	Topic   string `json:"topic,omitempty"`
	Text    string `json:"text,omitempty"`
}
