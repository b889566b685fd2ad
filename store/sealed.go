package store

// The sealed columns: every column that holds personal data or a secret as
// AES-GCM ciphertext (secret.Keys), by name ending in _enc. This one list
// drives sealing and opening (its labels), erasure and export of a case, and
// `kimbot rekey`; a test fails on an *_enc column of the schema that is not
// in it, and on an entry without its column.

import (
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// SealedColumn is one sealed column.
type SealedColumn struct {
	Table, Column string
	// Label is the additional data its values are sealed with, which binds
	// each value to the column. With LabelColumn set, a row's label is
	// Label + "." + that column's value (installation.bot_token).
	Label, LabelColumn string
	// Key is the table's primary key (rekey walks the table in its order).
	Key string
	// CaseKey is the column holding the id of the case the value belongs
	// to: it is erased and exported with the case. "" for installation
	// secrets that are no case data.
	CaseKey string
}

// LabelOf returns the label of the value in the row whose LabelColumn holds
// v (the column's Label when it has no LabelColumn).
func (c SealedColumn) LabelOf(v string) string {
	if c.LabelColumn == "" {
		return c.Label
	}
	return c.Label + "." + v
}

// The sealed columns, each by name.
var (
	InstallationSecret = SealedColumn{Table: "installation", Column: "secret_enc", Label: "installation", LabelColumn: "key", Key: "key"}
	TeamCommandToken   = SealedColumn{Table: "teams", Column: "command_token_enc", Label: "team.command_token", Key: "id"}
	CasePseudonym      = SealedColumn{Table: "cases", Column: "pseudonym_enc", Label: "case.pseudonym", Key: "id", CaseKey: "id"}
	CaseCloseNote      = SealedColumn{Table: "cases", Column: "close_note_enc", Label: "case.close_note", Key: "id", CaseKey: "id"}
	ContactNote        = SealedColumn{Table: "contacts", Column: "note_enc", Label: "contact.note", Key: "id", CaseKey: "case_id"}
	AssessmentNote     = SealedColumn{Table: "assessments", Column: "note_enc", Label: "assessment.note", Key: "id", CaseKey: "case_id"}
	GoalText           = SealedColumn{Table: "goals", Column: "text_enc", Label: "goal.text", Key: "id", CaseKey: "case_id"}
	ReferralReason     = SealedColumn{Table: "referrals", Column: "reason_enc", Label: "referral.reason", Key: "id", CaseKey: "case_id"}
	ReferralNote       = SealedColumn{Table: "referrals", Column: "outcome_note_enc", Label: "referral.outcome_note", Key: "id", CaseKey: "case_id"}
	// ReferralOutcomeNote shares the label of ReferralNote: the migration that
	// made it copied the existing notes (00006_record.sql).
	ReferralOutcomeNote = SealedColumn{Table: "referral_outcomes", Column: "note_enc", Label: "referral.outcome_note", Key: "id", CaseKey: "case_id"}
	BarrierText         = SealedColumn{Table: "barriers", Column: "text_enc", Label: "barrier.text", Key: "id", CaseKey: "case_id"}
)

// Sealed lists every sealed column of the schema.
var Sealed = []SealedColumn{
	InstallationSecret, TeamCommandToken,
	CasePseudonym, CaseCloseNote, ContactNote, AssessmentNote, GoalText, ReferralReason, ReferralNote, ReferralOutcomeNote, BarrierText,
}

// seal encrypts personal data for a column.
func (s *Store) seal(v string, c SealedColumn) []byte { return s.keys.Seal(v, c.Label) }

// unreadableTotal counts values no configured key opens (docs/OPERATIONS.md).
var unreadableTotal = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "kimbot_unreadable_values_total", Help: "Sealed values that no configured key opens, by column.",
}, []string{"column"})

// open decrypts personal data of a column; a failure is logged, counted and
// shown as an unreadable marker rather than losing the rest of the record.
func (s *Store) open(b []byte, c SealedColumn) string {
	v, err := s.keys.Open(b, c.Label)
	if err != nil {
		unreadableTotal.WithLabelValues(c.Table + "." + c.Column).Inc()
		slog.Error("store: unable to decrypt", "column", c.Table+"."+c.Column, "err", err)
		return "⚠"
	}
	return v
}
