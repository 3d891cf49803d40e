/* ctlrec.c: the live controller's output — a command as a record, and the summary of a plan. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_ctldev.h"
#include "ctl_int.h"

void
bess_ctl_cmd_record(const struct bess_ctl_cmd *cmd, struct bess_kv *k)
{
	char tb[BESS_TIME_BUFSZ];

	bess_kv_str(k, "ts", bess_time_format(cmd->ts, tb));
	if (cmd->device[0])
		bess_kv_str(k, "device", cmd->device);
	bess_kv_fig(k, "battery_kw", cmd->charge_kw - cmd->discharge_kw);
	bess_kv_fig(k, "target_charge_kw", cmd->charge_kw);
	bess_kv_fig(k, "target_discharge_kw", cmd->discharge_kw);
	bess_kv_fig(k, "soc_kwh", cmd->soc_kwh);
	bess_kv_fig(k, "plan_soc_kwh", cmd->plan_soc_kwh);
	bess_kv_num(k, "price", cmd->price);
	bess_kv_str(k, "status", cmd->safe ? "safe" : "optimal");
	bess_kv_str(k, "reason", cmd->safe ? cmd->reason : NULL);
	bess_kv_int(k, "horizon_steps", (long long)cmd->horizon_steps);
	bess_kv_bool(k, "replanned", cmd->solved);
	bess_kv_fig(k, "grid_target_kw", cmd->grid_target_kw);
	bess_kv_fig(k, "import_cap_kw", isinf(cmd->import_cap_kw) ? NAN : cmd->import_cap_kw);
	bess_kv_int(k, "relaxed_steps", (long long)cmd->relaxed_steps);
	if (cmd->meter)
		bess_kv_fig(k, "net_load_kw", cmd->net_load_kw);
}

/* Record i of the commands ctx (bess_kv_records). */
static int
cmd_fill(const void *ctx, size_t i, struct bess_kv *k)
{
	bess_ctl_cmd_record(&((const struct bess_ctl_cmd *)ctx)[i], k);
	return 1;
}

int
bess_ctl_cmd_records(const struct bess_ctl_cmd *cmd, size_t n, enum bess_fmt fmt, char **buf, size_t *len)
{
	return bess_kv_records(fmt, n, cmd_fill, cmd, buf, len);
}

/* Step j of the devices' plan as the schedule object's "devices": per sheddable and shiftable device, its command and power. */
static void
plan_devices(const struct bess_ctldev *dev, size_t j, struct bess_kv *d)
{
	struct bess_kv_list l;
	size_t i;

	bess_kv_list_open(&l);
	for (i = 0; i < dev->dv->ndev; i++) {
		size_t at = i * dev->run.plan_cap + j;
		struct bess_kv e;

		if (dev->dv->dev[i].kind == BESS_DEV_ESSENTIAL)
			continue;
		bess_kv_init(&e);
		bess_kv_str(&e, "device", dev->dv->dev[i].id);
		bess_kv_str(&e, "kind", bess_dev_kind_name(dev->dv->dev[i].kind));
		bess_kv_str(&e, "command", dev->run.plan_on[at] ? "ON" : "OFF");
		bess_kv_fig(&e, "power_kw", dev->run.plan_kw[at]);
		bess_kv_list_push(&l, &e);
	}
	bess_kv_list_add(&l, d, "devices");
}

void
bess_ctl_summary(const struct bess_ctl *c, const struct bess_ctl_cmd *cmd, struct bess_kv *k)
{
	char tb[BESS_TIME_BUFSZ];
	int have = 0, solved = 0, any_safe = 0;
	size_t j0, j, i;
	double peak = 0, solve_ms = NAN, power_kw = 0;
	struct bess_kv_list a;

	for (i = 0; i < c->f.n; i++) {
		have |= !cmd[i].safe;
		any_safe |= cmd[i].safe;
		power_kw += cmd[i].charge_kw - cmd[i].discharge_kw;
		if (cmd[i].solved && !solved) {
			solved = 1;
			solve_ms = cmd[i].solve_ms;
		}
	}
	have = have && c->have_plan;
	j0 = have ? (size_t)(bess_floor_div(cmd->ts, c->o.step_us) - c->plan_step) : 0;
	bess_kv_str(k, "mode", "once");
	if (!c->f.given) {
		bess_ctl_cmd_record(cmd, k);
	} else {	/* the site's sum, and each battery's command */
		bess_kv_str(k, "ts", bess_time_format(cmd->ts, tb));
		bess_kv_fig(k, "battery_kw", power_kw);
		bess_kv_str(k, "status", any_safe ? "safe" : "optimal");
		bess_kv_list_open(&a);
		for (i = 0; i < c->f.n; i++) {
			struct bess_kv d;

			bess_kv_init(&d);
			bess_ctl_cmd_record(&cmd[i], &d);
			bess_kv_list_push(&a, &d);
		}
		bess_kv_list_add(&a, k, "commands");
	}
	bess_kv_fig(k, "cost", have ? c->plan_total : NAN);
	bess_kv_fig(k, "energy_cost", have ? c->plan_energy : NAN);
	bess_kv_fig(k, "export_revenue", have ? c->plan_export : NAN);
	bess_kv_fig(k, "demand_cost", have ? c->plan_demand : NAN);
	for (j = j0; have && j < c->plan_len; j++)
		if (c->plan.import_kw[j] > peak)
			peak = c->plan.import_kw[j];
	bess_kv_fig(k, "peak_kw", have ? peak : NAN);
	bess_kv_fig(k, "solve_ms", solve_ms);
	bess_kv_str(k, "solver", bess_lp_solver());
	bess_kv_list_open(&a);
	for (j = j0; have && j < c->plan_len; j++) {
		struct bess_kv d;

		bess_kv_init(&d);
		bess_kv_str(&d, "ts", bess_time_format((c->plan_step + (int64_t)j) * c->o.step_us, tb));
		bess_kv_fig(&d, "battery_kw", c->plan.charge_kw[j] - c->plan.discharge_kw[j]);
		bess_kv_fig(&d, "soc_kwh", c->plan.soc_kwh[j]);
		bess_kv_fig(&d, "grid_import_kw", c->plan.import_kw[j]);
		bess_kv_fig(&d, "grid_export_kw", c->plan.export_kw[j]);
		bess_kv_fig(&d, "import_cap_kw", isinf(c->icap[j]) ? NAN : c->icap[j]);
		if (c->dev && j < c->dev->run.plan_len)
			plan_devices(c->dev, j, &d);
		bess_kv_list_push(&a, &d);
	}
	bess_kv_list_add(&a, k, "schedule");
	if (c->ev.n > 0)
		bess_ctl_summary_events(c, have, j0, k);
}
