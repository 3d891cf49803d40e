/* statedev.c: the controllable loads' part of the cron state file (version 3): one device's keys per device id, read and written (see bess_state.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_civil.h"
#include "bess_state.h"
#include "bess_summary.h"

/* The per-device keys, "KEY/ID", in the order they are written. */
enum { K_COMMAND, K_POWER, K_HOLD, K_OFF_H, K_OFF_DAY, K_DONE, K_TASK, NKEY };
static const char *const dev_keys[NKEY] = {
	"dev_command/", "dev_power_kw/", "dev_hold_h/", "dev_off_h/", "dev_off_day/", "dev_done_kwh/", "dev_task/"
};

struct bess_state_device *
bess_state_device(struct bess_state *s, const char *id)
{
	struct bess_state_device *d;
	size_t i;

	for (i = 0; i < s->ndev; i++)
		if (strcmp(s->dev[i].id, id) == 0)
			return &s->dev[i];
	if (s->ndev == BESS_STATE_MAX_DEVICES || strlen(id) >= BESS_STATE_ID_MAX)
		return NULL;
	d = &s->dev[s->ndev++];
	memset(d, 0, sizeof(*d));
	snprintf(d->id, sizeof(d->id), "%s", id);
	d->on = 1;
	d->off_day = d->done_task = INT64_MIN;
	return d;
}

/* A local date "YYYY-MM-DD" as days since 1970-01-01; "" is none (INT64_MIN). 0, or -1 if it is not one. */
static int
date_of(const char *v, int64_t *day)
{
	int y, m, d, n = 0;

	if (*v == '\0') {
		*day = INT64_MIN;
		return 0;
	}
	if (sscanf(v, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || v[n] != '\0' || m < 1 || m > 12 ||
	    d < 1 || d > 31)
		return -1;
	*day = bess_days_from_civil(y, m, d);
	return 0;
}

int
bess_state_dev_key(struct bess_state *s, const char *path, long line, const char *k, const char *v,
    int num, double x, struct bess_err *err)
{
	struct bess_state_device *d;
	int q;

	if (strcmp(k, "dev_ts") == 0) {
		char why[200];

		if (*v == '\0')
			s->dev_ts = 0;
		else if (bess_time_parse(v, strlen(v), NULL, &s->dev_ts, why, sizeof(why)) != BESS_TP_OK)
			return bess_err_set(err, path, line, "'dev_ts': %s", why);
		return 1;
	}
	for (q = 0; q < NKEY && strncmp(k, dev_keys[q], strlen(dev_keys[q])) != 0; q++)
		;
	if (q == NKEY)
		return 0;
	if ((d = bess_state_device(s, k + strlen(dev_keys[q]))) == NULL)
		return bess_err_set(err, path, line, "'%s': more than %d devices, or the id is longer than "
		    "%d bytes", k, BESS_STATE_MAX_DEVICES, BESS_STATE_ID_MAX - 1);
	switch (q) {
	case K_COMMAND:
		if (strcmp(v, "ON") != 0 && strcmp(v, "OFF") != 0)
			return bess_err_set(err, path, line, "'%s': '%s' is not ON or OFF", k, v);
		d->on = v[1] == 'N';
		return 1;
	case K_OFF_DAY:
	case K_TASK:
		if (date_of(v, q == K_OFF_DAY ? &d->off_day : &d->done_task) != 0)
			return bess_err_set(err, path, line, "'%s': '%s' is not a date (YYYY-MM-DD)", k, v);
		return 1;
	default:
		break;
	}
	if (num != 0 || !(x >= 0))
		return bess_err_set(err, path, line, "'%s': '%s' is not a number from 0 up", k, v);
	if (q == K_POWER)
		d->power_kw = x;
	else if (q == K_HOLD)
		d->hold_h = x;
	else if (q == K_OFF_H)
		d->off_h = x;
	else
		d->done_kwh = x;
	return 1;
}

/* A date field: "YYYY-MM-DD", or null for none. */
static void
kv_date(struct bess_kv *k, const char *name, int64_t day)
{
	char buf[32];
	int y, m, d;

	if (day == INT64_MIN) {
		bess_kv_str(k, name, NULL);
		return;
	}
	bess_civil_from_days(day, &y, &m, &d);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
	bess_kv_str(k, name, buf);
}

void
bess_state_dev_kv(const struct bess_state *s, struct bess_kv *k)
{
	char tb[BESS_TIME_BUFSZ], key[NKEY][BESS_STATE_ID_MAX + 16];
	size_t i;
	int q;

	if (s->ndev == 0)
		return;
	bess_kv_str(k, "dev_ts", s->dev_ts ? bess_time_format(s->dev_ts, tb) : NULL);
	for (i = 0; i < s->ndev; i++) {
		const struct bess_state_device *d = &s->dev[i];

		for (q = 0; q < NKEY; q++)
			snprintf(key[q], sizeof(key[q]), "%s%s", dev_keys[q], d->id);
		bess_kv_str(k, key[K_COMMAND], d->on ? "ON" : "OFF");
		bess_kv_num(k, key[K_POWER], d->power_kw);
		bess_kv_num(k, key[K_HOLD], d->hold_h);
		bess_kv_num(k, key[K_OFF_H], d->off_h);
		kv_date(k, key[K_OFF_DAY], d->off_day);
		bess_kv_num(k, key[K_DONE], d->done_kwh);
		kv_date(k, key[K_TASK], d->done_task);
	}
}
