package reminders

import (
	"context"

	"github.com/kimbot-nrw/kimbot/kim"
)

// DeliveryDays is how long settled delivery records are kept.
const DeliveryDays = 90

func init() { Register(Job{Name: "retention", Run: retention}) }

// Retention erases what has outlived its time (*store.Store implements it).
type Retention interface {
	// EraseExpired erases the closed cases whose team's retention period has
	// ended by today and returns how many.
	EraseExpired(ctx context.Context, today kim.Date) (int, error)
	// PurgeDeliveries deletes settled delivery records of days before before.
	PurgeDeliveries(ctx context.Context, before kim.Date) (int64, error)
}

// ExportCleaner deletes the bot's export posts of erased cases from
// Mattermost (*bot.Exports implements it).
type ExportCleaner interface {
	// Clean deletes what the erasures so far left in Mattermost.
	Clean(ctx context.Context) error
}

// retention erases closed cases whose team's retention period has ended
// (SPEC §5; the anonymous statistics stay), deletes the bot's export posts
// of erased cases from Mattermost and purges old delivery records.
// It is idempotent, so every pass may run it.
func retention(ctx context.Context, p *Pass) error {
	today := kim.DateOf(p.Now.In(kim.Berlin))
	n, err := p.Retention.EraseExpired(ctx, today)
	if err != nil {
		return err
	}
	if n > 0 {
		p.Log.Info("retention: erased closed cases", "count", n)
	}
	// Also what an erasure by command could not remove at once.
	if p.Exports != nil {
		if err := p.Exports.Clean(ctx); err != nil {
			p.Log.Warn("retention: export posts not yet removed from Mattermost; the next pass retries", "err", err)
		}
	}
	_, err = p.Retention.PurgeDeliveries(ctx, today.AddDays(-DeliveryDays))
	return err
}
