/* ctlfleet.c: the live controller's batteries — whose SOC a plan can start from, and each one's safe command. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_int.h"

/* Battery i's safe command: idle, or steer its SOC to the safe target when the SOC is known. */
void
bess_ctl_safe(const struct bess_ctl *c, size_t i, struct bess_ctl_cmd *cmd, int soc_ok, const char *why)
{
	const struct bess_battery *b = &c->f.bat[i];

	snprintf(cmd->reason, sizeof(cmd->reason), "%s", why);
	cmd->safe = 1;
	cmd->charge_kw = cmd->discharge_kw = 0;
	cmd->plan_soc_kwh = NAN;
	cmd->grid_target_kw = cmd->import_cap_kw = NAN;
	if (c->o.safe_hold && soc_ok) {
		double target = c->o.safe_in_pct ? bess_soc_kwh(b->capacity_kwh, c->o.safe_soc_pct) : c->o.safe_soc_kwh;
		double start = c->bat[i].soc * bess_battery_keep(b, c->dt_h), diff = target - start;

		if (diff > 0)
			cmd->charge_kw = fmin(b->charge_kw, bess_battery_charge_kw(b, c->dt_h, diff));
		else if (diff < 0)
			cmd->discharge_kw = fmin(b->discharge_kw, bess_battery_discharge_kw(b, c->dt_h, -diff));
	}
}

/* Every battery of mask: its safe command, for a reason of the site's (the SOC is known). */
void
bess_ctl_site_safe(const struct bess_ctl *c, struct bess_ctl_cmd *cmds, unsigned long long mask, const char *why)
{
	size_t i;

	for (i = 0; i < c->f.n; i++)
		if (mask >> i & 1)
			bess_ctl_safe(c, i, &cmds[i], 1, why);
}

/* Why battery i cannot follow a plan at instant t (its SOC), or NULL. */
const char *
bess_ctl_soc_trouble(const struct bess_ctl *c, size_t i, bess_time_t t, char *why, size_t wlen)
{
	const struct cbat *cb = &c->bat[i];
	char tb[BESS_TIME_BUFSZ];

	if (!cb->have_soc)
		return "no soc reported yet";
	if (t - cb->soc_ts > c->o.stale_us) {
		snprintf(why, wlen, "the soc is stale (last reported at %s)", bess_time_format(cb->soc_ts, tb));
		return why;
	}
	if (cb->soc_ts - t > c->o.step_us + BESS_CTL_AHEAD_US) {
		/* measured after the interval ends (a --state file's soc_ts of 2099): no reading at all */
		snprintf(why, wlen, "the soc is dated in the future (%s)", bess_time_format(cb->soc_ts, tb));
		return why;
	}
	return NULL;
}

/* The batteries of mask as sub, the set a model and its plan hold. */
void
bess_ctl_set_sub(struct bess_ctl *c, unsigned long long mask)
{
	size_t i;

	c->sub.n = 0;
	c->sub.given = c->f.given;
	c->sub.capacity_kwh = 0;
	for (i = 0; i < c->f.n; i++)
		if (mask >> i & 1) {
			c->sub.bat[c->sub.n] = c->f.bat[i];
			memcpy(c->sub.id[c->sub.n], c->f.id[i], sizeof(c->sub.id[0]));
			c->sub.capacity_kwh += c->f.bat[i].capacity_kwh;
			c->sub_idx[c->sub.n++] = i;
		}
}
