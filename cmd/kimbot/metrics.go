package main

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/kimbot-nrw/kimbot/reminders"
)

// Metrics of serve's reminder schedule (bot/server.go has those of the HTTP
// endpoint, store/sealed.go the unreadable values); docs/OPERATIONS.md
// documents each, deploy/grafana/kimbot.json shows them.
var (
	reminderPasses = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "kimbot_reminder_passes_total", Help: "Scheduled reminder passes by result (ok, failed).",
	}, []string{"result"})
	reminderPassSeconds = promauto.NewHistogram(prometheus.HistogramOpts{
		Name: "kimbot_reminder_pass_duration_seconds", Help: "Time of a scheduled reminder pass.",
		Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
	})
	reminderDeliveries = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "kimbot_reminder_deliveries_total", Help: "Deliveries of scheduled reminder passes by job and outcome.",
	}, []string{"job", "outcome"})
)

// observePass records a scheduled reminder pass that took the time and
// reported rep (nil when it did not run).
func observePass(rep *reminders.Report, took time.Duration, err error) {
	result := "ok"
	if err != nil {
		result = "failed"
	}
	reminderPasses.WithLabelValues(result).Inc()
	reminderPassSeconds.Observe(took.Seconds())
	if rep == nil {
		return
	}
	for job, outcomes := range rep.Counts {
		for o, n := range outcomes {
			reminderDeliveries.WithLabelValues(job, string(o)).Add(float64(n))
		}
	}
}
