/* ctldev.c: the controller's controllable loads — reported states in, the state carried on with time, instructions out, the state file's device block (see bess_ctldev.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bess_ctldev.h"

int
bess_ctldev_init(struct bess_ctldev *c, const struct bess_devices *dv, long long step_us)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->dv = dv;
	c->step_us = step_us;
	if (bess_devrun_init(&c->run, dv, 0, (double)step_us / 3.6e9) != 0)
		return -1;
	if ((c->told_on = calloc(dv->ndev + 1, 1)) == NULL ||
	    (c->told_kw = calloc(dv->ndev + 1, sizeof(double))) == NULL) {
		bess_ctldev_free(c);
		return -1;
	}
	for (i = 0; i < dv->ndev; i++) {	/* nothing known: on (a shiftable device idle), nothing done */
		int shift = dv->dev[i].kind == BESS_DEV_SHIFTABLE;

		c->run.cur_on[i] = (unsigned char)!shift;
		c->run.cur_kw[i] = shift ? 0 : dv->dev[i].power_kw;
	}
	return 0;
}

void
bess_ctldev_free(struct bess_ctldev *c)
{
	bess_devrun_free(&c->run);
	free(c->told_on);
	free(c->told_kw);
	memset(c, 0, sizeof(*c));
}

int
bess_ctldev_word(const char *v, size_t len, int *on)
{
	static const char *const word[] = { "on", "1", "true", "off", "0", "false" };
	size_t w;

	for (w = 0; w < sizeof(word) / sizeof(word[0]); w++)
		if (strlen(word[w]) == len && strncasecmp(v, word[w], len) == 0) {
			*on = w < 3;
			return 0;
		}
	return -1;
}

void
bess_ctldev_advance(struct bess_ctldev *c, bess_time_t t)
{
	size_t i;

	if (!c->known) {	/* the first instant anything is known of: the devices as they are */
		c->t_at = t;
		c->known = 1;
		return;
	}
	if (t - c->t_at > BESS_CTLDEV_GAP_US)	/* a long gap: its last week is all that still counts */
		c->t_at = (bess_floor_div(t - BESS_CTLDEV_GAP_US, c->step_us)) * c->step_us;
	while (c->t_at < t) {	/* piece by piece within intervals: a local day's hours off fall in their day */
		bess_time_t b = (bess_floor_div(c->t_at, c->step_us) + 1) * c->step_us;
		double h;

		if (b > t)
			b = t;
		h = (double)(b - c->t_at) / 3.6e9;
		for (i = 0; i < c->dv->ndev; i++)
			bess_devstate_step(c->dv, i, &c->run.st[i], c->t_at, h, c->run.cur_on[i], c->run.cur_kw[i]);
		c->t_at = b;
	}
}

/* Device i does (on, kw) from t_at: a sheddable device switched starts its min_on or min_off hold. */
static void
act(struct bess_ctldev *c, size_t i, int on, double kw)
{
	const struct bess_device *d = &c->dv->dev[i];

	c->run.cur_on[i] = (unsigned char)on;
	c->run.cur_kw[i] = kw;
	if (d->kind == BESS_DEV_SHEDDABLE)
		bess_devstate_report(d, &c->run.st[i], on);
}

int
bess_ctldev_report(struct bess_ctldev *c, size_t i, bess_time_t ts, int on, double power_kw)
{
	const struct bess_device *d = &c->dv->dev[i];
	int differs;

	if (d->kind == BESS_DEV_ESSENTIAL || (c->known && ts < c->t_at))
		return 0;
	bess_ctldev_advance(c, ts);
	if (!on)
		power_kw = 0;
	else if (d->kind == BESS_DEV_SHEDDABLE)
		power_kw = d->power_kw;	/* the model knows it at its file's power */
	else if (isnan(power_kw))	/* a shiftable device on: as told, else its highest level */
		power_kw = c->run.cur_on[i] && c->run.cur_kw[i] > 0 ? c->run.cur_kw[i] : d->power_kw;
	differs = on != c->run.cur_on[i] || fabs(power_kw - c->run.cur_kw[i]) > 1e-9;
	act(c, i, on, power_kw);
	return differs;
}

int
bess_ctldev_plan(struct bess_ctldev *c, const struct bess_lp *lp, size_t len)
{
	return bess_devrun_plan(&c->run, lp, len);
}

void
bess_ctldev_instruct(struct bess_ctldev *c, bess_time_t t, size_t j)
{
	size_t i;

	if (c->known && c->t_at > t + c->step_us)	/* kept from a time after this interval: not to be trusted */
		c->t_at = t;
	bess_ctldev_advance(c, t);
	for (i = 0; i < c->dv->ndev; i++) {
		int on;
		double kw;

		if (j < c->run.plan_len) {
			on = c->run.plan_on[i * c->run.plan_cap + j];
			kw = c->run.plan_kw[i * c->run.plan_cap + j];
		} else {
			bess_devstate_default(c->dv, i, &c->run.st[i], t, c->run.dt_h, &on, &kw);
		}
		act(c, i, on, kw);
		c->told_on[i] = (unsigned char)on;
		c->told_kw[i] = kw;
	}
	c->told_ts = t;
}

int
bess_ctldev_record(const struct bess_ctldev *c, size_t i, struct bess_kv *k)
{
	char tb[BESS_TIME_BUFSZ];

	if (c->dv->dev[i].kind == BESS_DEV_ESSENTIAL)
		return 0;
	bess_kv_str(k, "ts", bess_time_format(c->told_ts, tb));
	bess_kv_str(k, "device", c->dv->dev[i].id);
	bess_kv_str(k, "kind", bess_dev_kind_name(c->dv->dev[i].kind));
	bess_kv_str(k, "command", c->told_on[i] ? "ON" : "OFF");
	bess_kv_fig(k, "power_kw", c->told_kw[i]);
	return 1;
}

/* Device i's instruction, if it has one (bess_kv_records). */
static int
dev_fill(const void *ctx, size_t i, struct bess_kv *k)
{
	return bess_ctldev_record(ctx, i, k);
}

int
bess_ctldev_records(const struct bess_ctldev *c, enum bess_fmt fmt, char **buf, size_t *len)
{
	return bess_kv_records(fmt, c->dv->ndev, dev_fill, c, buf, len);
}

void
bess_ctldev_restore(struct bess_ctldev *c, const struct bess_state *st)
{
	size_t i, j;

	if (st->dev_ts == 0)
		return;	/* no device state kept (a version 1 or 2 file): as they are now */
	for (i = 0; i < c->dv->ndev; i++) {
		const struct bess_device *d = &c->dv->dev[i];
		const struct bess_state_device *sd;
		struct bess_devstate *s = &c->run.st[i];

		for (j = 0; j < st->ndev && strcmp(st->dev[j].id, d->id) != 0; j++)
			;
		if (j == st->ndev || d->kind == BESS_DEV_ESSENTIAL)
			continue;	/* new in the devices file: on, nothing held or done */
		sd = &st->dev[j];
		c->run.cur_on[i] = (unsigned char)(sd->on != 0);
		c->run.cur_kw[i] = sd->on ? sd->power_kw : 0;
		s->off = d->kind == BESS_DEV_SHEDDABLE && !sd->on;
		s->hold_h = d->kind == BESS_DEV_SHEDDABLE ? sd->hold_h : 0;
		s->off_h = sd->off_h;
		s->off_day = sd->off_day;
		s->done_kwh = sd->done_kwh;
		s->done_task = sd->done_task;
	}
	c->t_at = st->dev_ts;
	c->known = 1;
}

int
bess_ctldev_save(const struct bess_ctldev *c, struct bess_state *st)
{
	size_t i;

	st->ndev = 0;
	st->dev_ts = c->known ? c->t_at : 0;
	for (i = 0; c->known && i < c->dv->ndev; i++) {
		const struct bess_device *d = &c->dv->dev[i];
		const struct bess_devstate *s = &c->run.st[i];
		struct bess_state_device *sd;

		if (d->kind == BESS_DEV_ESSENTIAL)
			continue;
		if ((sd = bess_state_device(st, d->id)) == NULL)
			return -1;
		sd->on = c->run.cur_on[i];
		sd->power_kw = c->run.cur_kw[i];
		sd->hold_h = s->hold_h;
		sd->off_h = s->off_h;
		sd->off_day = s->off_day;
		sd->done_kwh = s->done_kwh;
		sd->done_task = s->done_task;
	}
	return 0;
}
