/* ctlstate.c: the live controller to and from a state file (lib/state.c) between runs. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_int.h"

void
bess_ctl_restore(struct bess_ctl *c, const struct bess_state *st)
{
	size_t i, j;

	for (i = 0; i < c->f.n; i++) {	/* one battery given the old way: the version 1 keys */
		struct cbat *cb = &c->bat[i];
		double soc = st->soc_kwh;
		bess_time_t ts = st->soc_ts;

		if (c->f.given) {
			for (j = 0; j < st->nbat && strcmp(st->bat[j].id, c->f.id[i]) != 0; j++)
				;
			soc = j < st->nbat ? st->bat[j].soc_kwh : NAN;
			ts = j < st->nbat ? st->bat[j].soc_ts : 0;
		}
		if (!isnan(soc) && (!cb->have_soc || ts > cb->soc_ts)) {
			cb->soc = soc;
			cb->soc_ts = ts;
			cb->have_soc = 1;
		}
	}
	for (i = 0; i < 2; i++) {
		c->fc_step[i] = st->fc_ts[i] != 0 ? bess_floor_div(st->fc_ts[i], c->o.step_us) : INT64_MIN;
		c->fc_kw[i] = st->fc_kw[i];
	}
	bess_ctl_restore_bills(c, &st->bills);
	bess_ctl_restore_event(c, st);
	if (c->dev)
		bess_ctldev_restore(c->dev, st);
	snprintf(c->peak_bill, sizeof(c->peak_bill), "%s", st->peak_bill);
	c->npeak = st->npeak < BESS_STATE_MAX_PEAKS ? st->npeak : BESS_STATE_MAX_PEAKS;
	for (i = 0; i < c->npeak; i++) {
		memcpy(c->peak_name[i], st->peak_name[i], sizeof(c->peak_name[i]));
		c->peak_kw[i] = st->peak_kw[i];
	}
}

void
bess_ctl_save(const struct bess_ctl *c, const struct bess_ctl_cmd *cmd, struct bess_state *st)
{
	size_t i;
	int any_safe = 0;

	st->ts = cmd->ts;
	st->nbat = 0;
	st->version = c->f.given ? 2 : 1;
	for (i = 0; i < c->f.n; i++) {
		const struct cbat *cb = &c->bat[i];

		st->command_kw = (i ? st->command_kw : 0) + cmd[i].charge_kw - cmd[i].discharge_kw;
		any_safe |= cmd[i].safe;
		if (c->f.given) {
			struct bess_state_battery *b = bess_state_battery(st, c->f.id[i]);

			if (b == NULL)
				continue;	/* (bess_ctl_new_fleet keeps to BESS_STATE_MAX_BATTERIES) */
			b->soc_kwh = cb->have_soc ? cb->soc : NAN;
			b->soc_ts = cb->have_soc ? cb->soc_ts : 0;
			b->command_kw = cmd[i].charge_kw - cmd[i].discharge_kw;
			snprintf(b->status, sizeof(b->status), "%s", cmd[i].safe ? "safe" : "optimal");
		}
	}
	snprintf(st->status, sizeof(st->status), "%s", any_safe ? "safe" : "optimal");
	st->soc_kwh = !c->f.given && c->bat[0].have_soc ? c->bat[0].soc : NAN;
	st->soc_ts = !c->f.given && c->bat[0].have_soc ? c->bat[0].soc_ts : 0;
	for (i = 0; i < 2; i++) {
		st->fc_ts[i] = c->fc_step[i] != INT64_MIN ? c->fc_step[i] * c->o.step_us : 0;
		st->fc_kw[i] = c->fc_kw[i];
	}
	bess_ctl_save_bills(c, &st->bills);
	bess_ctl_save_event(c, st);
	if (c->dev)	/* (bess_ctl_devices keeps to BESS_STATE_MAX_DEVICES) */
		(void)bess_ctldev_save(c->dev, st);
	snprintf(st->peak_bill, sizeof(st->peak_bill), "%s", c->peak_bill);
	st->npeak = c->npeak;
	for (i = 0; i < c->npeak; i++) {
		memcpy(st->peak_name[i], c->peak_name[i], sizeof(st->peak_name[i]));
		st->peak_kw[i] = c->peak_kw[i];
	}
}
