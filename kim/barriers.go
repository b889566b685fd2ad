package kim

import (
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Topic is a topic of a team's list that barriers are grouped by (admins
// keep the list; every team starts with DefaultTopics).
type Topic struct {
	ID   int64
	Key  string
	Name string
}

// DefaultTopics are the topics every team starts with.
var DefaultTopics = []Topic{
	{Key: "wohnen", Name: "Wohnen"},
	{Key: "sprache", Name: "Sprache und Kurse"},
	{Key: "gesundheit", Name: "Gesundheit"},
	{Key: "aufenthalt", Name: "Aufenthalt und Papiere"},
	{Key: "arbeit", Name: "Arbeit und Anerkennung"},
	{Key: "kita-schule", Name: "Kita und Schule"},
	{Key: "digitales", Name: "Digitales"},
	{Key: "mobilitaet", Name: "Mobilität"},
	{Key: "sonstiges", Name: "Sonstiges"},
}

// Barrier is a Strukturhinweis of a case: a text written for the network,
// grouped by a partner of the directory or a topic of the team's list.
type Barrier struct {
	N       int // number within the case
	Partner Partner
	Topic   Topic
	// Text is the text as the network sees it (masked when it was written).
	Text       string
	RecordedOn Date
	// Draft is set until the coach confirmed the text as the network sees it.
	Draft bool
	// PostedAt is when it was first part of a posted agenda; from then on
	// the network has seen it and it cannot be changed any more.
	PostedAt *time.Time
}

// Group returns the partner's or the topic's name.
func (b Barrier) Group() string {
	if b.Partner.ID != 0 {
		return b.Partner.Name
	}
	return b.Topic.Name
}

// Fold returns a word as kimbot compares German words people type: NFKC,
// lower case, ä, ö, ü as ae, oe, ue and ß as ss, so "Mobilität",
// "mobilitaet" and "MOBILITÄT" are one word.
func Fold(s string) string {
	s = strings.ToLower(norm.NFKC.String(strings.TrimSpace(s)))
	return umlauts.Replace(s)
}

var umlauts = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "ẞ", "ss")
