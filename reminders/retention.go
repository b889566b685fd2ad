package reminders

import (
	"context"

	"github.com/kimbot-nrw/kimbot/kim"
)

// DeliveryDays is how long settled delivery records are kept.
const DeliveryDays = 90

func init() { Register(Job{Name: "retention", Run: retention}) }

// retention erases closed cases whose team's retention period has ended
// (SPEC §5; the anonymous statistics stay) and purges old delivery records.
// It is idempotent, so every pass may run it.
func retention(ctx context.Context, p *Pass) error {
	today := kim.DateOf(p.Now.In(kim.Berlin))
	n, err := p.Store.EraseExpired(ctx, today)
	if err != nil {
		return err
	}
	if n > 0 {
		p.Log.Info("retention: erased closed cases", "count", n)
	}
	_, err = p.Store.PurgeDeliveries(ctx, today.AddDays(-DeliveryDays))
	return err
}
