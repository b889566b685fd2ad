package kim

import (
	"errors"
	"testing"
)

// refusal returns "code key" of an application error, "" for nil.
func refusal(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if !errors.As(err, &e) {
		return "not an application error: " + err.Error()
	}
	return e.Code + " " + e.Key
}

func TestLatestAhead(t *testing.T) {
	today := Date{2026, 11, 23}
	if got, want := LatestAhead(today), (Date{2029, 11, 25}); got != want {
		t.Errorf("LatestAhead(%s) = %s, want %s", today, got, want)
	}
}

func TestCheckPastDay(t *testing.T) {
	today := Date{2026, 11, 23}
	c := Case{Ref: "K-2026-0001", OpenedOn: Date{2026, 11, 2}}
	for _, tc := range []struct {
		d    Date
		want string
	}{
		{today, ""},
		{c.OpenedOn, ""},
		{Date{2026, 11, 10}, ""},
		{today.AddDays(1), "invalid casework.date_future"},
		{c.OpenedOn.AddDays(-1), "invalid casework.date_before_open"},
	} {
		if got := refusal(CheckPastDay("date", tc.d, c, today)); got != tc.want {
			t.Errorf("CheckPastDay(%s) = %q, want %q", tc.d, got, tc.want)
		}
	}
	var e *Error
	if !errors.As(CheckPastDay("since", Date{2026, 10, 1}, c, today), &e) ||
		e.Args["Field"] != "since" || e.Args["Ref"] != c.Ref || e.Args["Date"] != (Date{2026, 10, 1}) ||
		e.Args["Opened"] != (Date{2026, 11, 2}) {
		t.Errorf("before opening: %#v", e)
	}
}

func TestCheckFutureDay(t *testing.T) {
	today := Date{2026, 11, 23}
	for _, tc := range []struct {
		d    Date
		want string
	}{
		{today, ""},
		{today.AddDays(1), ""},
		{LatestAhead(today), ""},
		{today.AddDays(-1), "invalid casework.date_past"},
		{LatestAhead(today).AddDays(1), "invalid casework.date_far"},
	} {
		if got := refusal(CheckFutureDay("due", tc.d, today)); got != tc.want {
			t.Errorf("CheckFutureDay(%s) = %q, want %q", tc.d, got, tc.want)
		}
	}
	var e *Error
	if !errors.As(CheckFutureDay("followup", today.AddDays(-3), today), &e) || e.Args["Field"] != "followup" || e.Args["Date"] != (Date{2026, 11, 20}) {
		t.Errorf("past: %#v", e)
	}
}

func TestCheckNotFuture(t *testing.T) {
	today := Date{2026, 11, 23}
	for d, want := range map[Date]string{today: "", {2020, 1, 1}: "", today.AddDays(1): "invalid casework.date_future"} {
		if got := refusal(CheckNotFuture("date", d, today)); got != want {
			t.Errorf("CheckNotFuture(%s) = %q, want %q", d, got, want)
		}
	}
}
