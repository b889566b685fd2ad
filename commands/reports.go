package commands

// The integrated reporting (Berichtswesen, SPEC §3): figures of the caller's
// own cases (coaches) or of the team (coordinators, admins), small cells
// suppressed, as a table, a CSV file or a PNG chart in the caller's DM.

import (
	"context"
	"strings"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/render"
	"github.com/kimbot-nrw/kimbot/reports"
	"github.com/kimbot-nrw/kimbot/store"
)

// Files sends files to users as the bot (bot.Client implements it).
type Files interface {
	// SendFile uploads a file into the bot's direct channel with the user,
	// posted with message, and returns the post's id.
	SendFile(ctx context.Context, userID, name string, data []byte, message string) (string, error)
}

// report answers the figures of a period.
func (r *Runner) report(a *Args) (Reply, error) {
	period, err := reports.Begun(a.Period("period"), r.Today)
	if err != nil {
		return Reply{}, err
	}
	q := store.ReportQuery{Actor: r.Actor(), Period: period, By: a.Str("by")}
	if !r.has(kim.RoleCoordinator, kim.RoleAdmin) {
		q.Owner = r.req.User.ID
	}
	format := a.Str("format")
	if format != "" && format != "table" && r.svc.Files == nil {
		return Reply{}, kim.Errorf(kim.EUNAVAILABLE, "report.no_files", nil)
	}
	data, err := r.svc.Store.Report(r.ctx, q)
	if err != nil {
		return Reply{}, err
	}
	switch format {
	case "csv":
		// The CSV is the municipality's format: German labels, ";", decimal comma.
		rep := reports.Build(data, "de")
		b, err := rep.CSV()
		if err != nil {
			return Reply{}, err
		}
		return r.sendReportFile(rep, "csv", b, "report.csv_sent")
	case "chart":
		rep := reports.Build(data, r.Lang)
		b, err := rep.Chart.PNG(r.Lang)
		if err != nil {
			return Reply{}, err
		}
		return r.sendReportFile(rep, "png", b, "report.chart_sent")
	}
	return Reply{Text: reports.Build(data, r.Lang).Markdown(render.Cell)}, nil
}

// sendReportFile puts a report file into the caller's DM with the bot.
func (r *Runner) sendReportFile(rep reports.Report, ext string, data []byte, answer string) (Reply, error) {
	name := rep.FileName(ext)
	msg := r.T("report.file_message", map[string]any{"Title": rep.Title, "File": name}) + "\n" + strings.TrimSpace(rep.Subtitle)
	if _, err := r.svc.Files.SendFile(r.ctx, r.req.User.ID, name, data, msg); err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T(answer, map[string]any{"Period": rep.Period.Label, "File": name})}, nil
}
