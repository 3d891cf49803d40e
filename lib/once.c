/* once.c: one cron run of the controller — lock, state, events, command, state saved before the command is let out. */
#include <stdlib.h>
#include <string.h>

#include "bess_ctldev.h"
#include "bess_flex.h"
#include "bess_live.h"
#include "bess_once.h"

int
bess_once_open(struct bess_once *on, const struct bess_once_opts *o, struct bess_err *err)
{
	int held;

	memset(on, 0, sizeof(*on));
	on->o = o;
	on->lock = -1;
	if ((held = bess_lock_try(o->state, &on->lock, err)) != 0)
		return held > 0 ? BESS_ONCE_LOCKED : -1;
	if (bess_state_read(o->state, &on->st, err) != 0 ||
	    (o->devices && (on->dv = bess_devices_load(o->devices, err)) == NULL))
		return -1;
	if ((on->ctl = bess_ctlconf_new(o->cf, o->fleet, o->site, o->tariff, err)) == NULL ||
	    (on->dv && bess_ctl_devices(on->ctl, on->dv, err) != 0))
		return -1;
	on->ncmd = bess_ctl_batteries(on->ctl);
	if ((on->cmd = calloc(on->ncmd, sizeof(*on->cmd))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	return 0;
}

int
bess_once_read(struct bess_once *on, struct bess_reader *r, const char *name, struct bess_err *err)
{
	return bess_ctl_read_all(on->ctl, r, name, &on->ev, err);
}

/* The devices' instructions (bess_ctldev_records) after the commands in cmd_buf. 0, or -1 when out of memory. */
static int
instructions(struct bess_once *on)
{
	char *buf, *nb;
	size_t len;

	if (bess_ctldev_records(bess_ctl_ctldev(on->ctl), on->o->fmt, &buf, &len) != 0)
		return -1;
	if ((nb = realloc(on->cmd_buf, on->cmd_len + len + 1)) == NULL) {
		free(buf);
		return -1;
	}
	memcpy(nb + on->cmd_len, buf, len);
	on->cmd_buf = nb;
	on->cmd_len += len;
	free(buf);
	return 0;
}

int
bess_once_step(struct bess_once *on, struct bess_err *err)
{
	const struct bess_once_opts *o = on->o;
	bess_time_t now = o->have_now ? o->now : bess_live_wall_now();
	char wbuf[1024];
	size_t j;

	if (o->clock_events && !o->have_now) {
		if (!on->ev.have_latest)
			return bess_err_set(err, NULL, 0, "--clock events: no state update or tick in the input to tell the time");
		now = on->ev.latest;
	}
	bess_ctl_restore(on->ctl, &on->st);
	for (j = 0; j < on->ev.n; j++) {
		int arc = bess_ctl_apply(on->ctl, &on->ev.ev[j], now, err);

		if (arc > 0) {
			if (o->warn)
				o->warn(o->ctx, bess_err_str(err, wbuf, sizeof(wbuf)));
		} else if (arc != 0) {
			return -1;
		}
	}
	if (bess_ctl_command(on->ctl, now, on->cmd, err) != 0)
		return -1;
	/* the commands are made in memory, the state written, and only then may the commands go out */
	if (bess_ctl_cmd_records(on->cmd, on->ncmd, o->fmt, &on->cmd_buf, &on->cmd_len) != 0 ||
	    (on->dv && instructions(on) != 0))
		return bess_err_set(err, NULL, 0, "out of memory");
	bess_ctl_save(on->ctl, on->cmd, &on->st);
	on->st.runs++;
	if (bess_state_write(o->state, &on->st, err) != 0)
		return BESS_ONCE_NO_STATE;
	return 0;
}

int
bess_once_flex(const struct bess_once *on, char **buf, size_t *len)
{
	const struct bess_once_opts *o = on->o;

	/* the devices as this interval's instructions leave them */
	return bess_flex_records_dev(&o->fleet->bat[0], o->site, on->dv,
	    on->dv ? bess_ctl_ctldev(on->ctl)->run.st : NULL, on->cmd->soc_kwh, on->cmd->ts, o->fmt, buf, len);
}

void
bess_once_summary(const struct bess_once *on, struct bess_kv *k)
{
	bess_ctl_summary(on->ctl, on->cmd, k);
}

void
bess_once_close(struct bess_once *on)
{
	free(on->cmd_buf);
	free(on->cmd);
	bess_ctl_free(on->ctl);
	free(on->ev.ev);
	bess_devices_free(on->dv);
	bess_lock_release(on->lock);
	memset(on, 0, sizeof(*on));
	on->lock = -1;
}
