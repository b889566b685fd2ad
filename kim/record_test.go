package kim

import (
	"fmt"
	"testing"
)

// LatestScores keeps each field's latest score and day, and the score
// before it, whichever assessment scored it.
func TestLatestScores(t *testing.T) {
	d1, d2, d3 := Date{2026, 1, 5}, Date{2026, 7, 1}, Date{2027, 1, 4}
	got := LatestScores([]Assessment{
		{Seq: 1, On: d1, Scores: map[LifeField]int{"language": 1, "work": 1, "social": 4}},
		{Seq: 2, On: d2, Scores: map[LifeField]int{"language": 3}},
		{Seq: 3, On: d3, Scores: map[LifeField]int{"work": 2, "language": 3}},
	})
	want := []FieldScore{{"language", 3, d3, 3, 3}, {"work", 2, d3, 3, 1}, {"social", 4, d1, 1, 0}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("LatestScores = %v, want %v", got, want)
	}
	if LatestScores(nil) != nil {
		t.Fatal("no assessments give no scores")
	}
}
