/* devices.c: the devices file (bess-devices(5)) — controllable loads, their limits, and when they may be shed or run. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bess_grow.h"
#include "bess_civil.h"
#include "bess_devices.h"
#include "bess_line.h"
#include "bess_qty.h"
#include "bess_tz.h"

const char *
bess_dev_kind_name(enum bess_dev_kind k)
{
	return k == BESS_DEV_SHEDDABLE ? "sheddable" : k == BESS_DEV_SHIFTABLE ? "shiftable" : "essential";
}

void
bess_devices_free(struct bess_devices *dv)
{
	size_t i;

	if (dv == NULL)
		return;
	for (i = 0; i < dv->ndev; i++) {
		free(dv->dev[i].when);
		free(dv->dev[i].date);
	}
	free(dv->dev);
	bess_tz_free(dv->tz);
	free(dv);
}

int
bess_devices_find(const struct bess_devices *dv, const char *id)
{
	size_t i;

	for (i = 0; i < dv->ndev; i++)
		if (strcmp(dv->dev[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* A quantity of dimension dim (a bare number too if bare), from 0 to BESS_QTY_MAX. */
static int
qty(const char *v, unsigned dim, int bare, double *out, char *why, size_t whylen)
{
	return bess_qty_amount(v, dim | (bare ? BESS_DIM_NONE : 0), "", out, why, whylen);
}

/* A duration in hours: "0", "30m", "2h", "1d". */
static int
hours(const char *v, double *h, char *why, size_t whylen)
{
	long long us;

	if (strcmp(v, "0") == 0) {
		*h = 0;
		return 0;
	}
	if (bess_duration_parse(v, &us, why, whylen) != 0)
		return -1;
	*h = (double)us / (double)BESS_US_PER_H;
	return 0;
}

/* "YYYY-MM-DD" into days since 1970-01-01; -1 if not a date. */
static int
parse_date(const char *s, int64_t *days)
{
	int y, m, d;
	char tail;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || s[4] != '-' ||
	    s[7] != '-' || m < 1 || m > 12 || d < 1 || d > bess_month_days(y, m))
		return -1;
	*days = bess_days_from_civil(y, m, d);
	return 0;
}

/* The minutes of a clock window from..to (wrapping past midnight). */
static int
window_min(const struct bess_tou_rule *r)
{
	return r->to_min > r->from_min ? r->to_min - r->from_min : 1440 - r->from_min + r->to_min;
}

/* What a device of its kind must have, once its section is read. */
static int
check_device(const struct bess_device *d, unsigned seen, char *why, size_t whylen)
{
	if (!(seen & 1)) {
		snprintf(why, whylen, "device '%s' has no 'kind' (sheddable, shiftable or essential)", d->id);
		return -1;
	}
	if (d->kind != BESS_DEV_SHIFTABLE && !(d->power_kw > 0)) {
		snprintf(why, whylen, "device '%s' needs a 'power' above 0 (such as 5kW)", d->id);
		return -1;
	}
	if (d->kind == BESS_DEV_SHIFTABLE) {
		if (d->nlevel == 0) {
			snprintf(why, whylen, "device '%s' needs 'power': its levels above 0 (such as 7kW, "
			    "or 3.7kW 7.4kW 11kW)", d->id);
			return -1;
		}
		if (!(d->energy_kwh > 0)) {
			snprintf(why, whylen, "device '%s' needs 'energy' above 0 (such as 20kWh)", d->id);
			return -1;
		}
		if (!(seen & 2)) {
			snprintf(why, whylen, "device '%s' needs a 'window' (earliest start - deadline, "
			    "such as 18:00-07:00)", d->id);
			return -1;
		}
		/* more energy than its window holds: planned at full power, the rest reported (bess_device_unmet) */
	}
	if (d->kind != BESS_DEV_SHEDDABLE && (seen & 4)) {
		snprintf(why, whylen, "device '%s': cost, cost_per_hour, max_off, when, min_on and min_off "
		    "are for sheddable devices", d->id);
		return -1;
	}
	if (d->kind != BESS_DEV_SHIFTABLE && (seen & 8)) {
		snprintf(why, whylen, "device '%s': energy, window and dates are for shiftable devices", d->id);
		return -1;
	}
	if (d->kind != BESS_DEV_SHIFTABLE && d->nlevel > 1) {
		snprintf(why, whylen, "device '%s': several power levels are for shiftable devices", d->id);
		return -1;
	}
	return 0;
}

/* "power = 7kW" or "power = 0 3.7kW 7.4kW 11kW": the levels above 0, ascending. */
static int
parse_levels(char *v, struct bess_device *d, char *why, size_t whylen)
{
	char *tok, *save = NULL;
	int i;

	d->nlevel = 0;
	for (tok = strtok_r(v, " \t,/", &save); tok; tok = strtok_r(NULL, " \t,/", &save)) {
		double p;

		if (qty(tok, BESS_DIM_POWER, 1, &p, why, whylen) != 0)
			return -1;
		if (p == 0)
			continue;
		for (i = 0; i < d->nlevel; i++)
			if (d->level_kw[i] == p) {
				snprintf(why, whylen, "power level '%s' given twice", tok);
				return -1;
			}
		if (d->nlevel == BESS_DEV_MAX_LEVELS) {
			snprintf(why, whylen, "more than %d power levels", BESS_DEV_MAX_LEVELS);
			return -1;
		}
		for (i = d->nlevel; i > 0 && d->level_kw[i - 1] > p; i--)
			d->level_kw[i] = d->level_kw[i - 1];
		d->level_kw[i] = p;
		d->nlevel++;
	}
	if (d->nlevel == 0) {
		snprintf(why, whylen, "no power above 0");
		return -1;
	}
	d->power_kw = d->level_kw[d->nlevel - 1];
	return 0;
}

struct bess_devices *
bess_devices_read(FILE *fp, const char *name, struct bess_err *err)
{
	struct bess_devices *dv;
	struct bess_device *cur = NULL;
	char *line = NULL, why[300];
	size_t cap = 0, nalloc = 0;
	long lineno = 0, cur_line = 0;
	unsigned seen = 0;	/* kind 1, window 2, any sheddable key 4, any shiftable key 8 */

	if ((dv = calloc(1, sizeof(*dv))) == NULL) {
		bess_err_set(err, name, 0, "out of memory");
		return NULL;
	}
	snprintf(dv->tzname, sizeof(dv->tzname), "UTC");
	snprintf(dv->name, sizeof(dv->name), "%s", name);
	why[0] = '\0';
	for (;;) {
		char *s, *k, *v;
		int got;

		if ((got = bess_line_next(fp, &line, &cap, &lineno, &s, name, "devices", err)) == 0)
			break;
		if (got < 0)
			goto fail;
		if (*s == '[') {
			char *nm;

			if (cur != NULL && check_device(cur, seen, why, sizeof(why)) != 0) {
				bess_err_set(err, name, cur_line, "%s", why);
				goto fail;
			}
			if (bess_line_section(s, "device", BESS_SECTION_ID, &nm, name, lineno, err) != 0)
				goto fail;
			if (bess_devices_find(dv, nm) >= 0) {
				bess_err_set(err, name, lineno, "device '%s' is defined twice", nm);
				goto fail;
			}
			if (dv->ndev == BESS_DEV_MAX) {
				bess_err_set(err, name, lineno, "more than %d devices", BESS_DEV_MAX);
				goto fail;
			}
			{
				struct bess_device *nd;

				if ((nd = bess_grow(dv->dev, &nalloc, dv->ndev + 1, 8, sizeof(*nd))) == NULL)
					goto oom;
				dv->dev = nd;
			}
			cur = &dv->dev[dv->ndev++];
			memset(cur, 0, sizeof(*cur));
			snprintf(cur->id, sizeof(cur->id), "%s", nm);
			cur->line = cur_line = lineno;
			cur->max_off_h = INFINITY;
			seen = 0;
			continue;
		}
		if (bess_line_kv(s, &k, &v, name, lineno, err) != 0)
			goto fail;
		if (cur == NULL) {
			if (strcmp(k, "timezone") == 0) {
				if (bess_line_timezone(v, dv->tzname, sizeof(dv->tzname), name, lineno, err) != 0)
					goto fail;
				continue;
			}
			bess_err_set(err, name, lineno, "unknown key '%s' before any [device] (timezone)", k);
			goto fail;
		}
		if (strcmp(k, "kind") == 0) {
			if (seen & 1) {
				bess_err_set(err, name, lineno, "'kind' given twice");
				goto fail;
			}
			if (strcmp(v, "sheddable") == 0)
				cur->kind = BESS_DEV_SHEDDABLE;
			else if (strcmp(v, "shiftable") == 0)
				cur->kind = BESS_DEV_SHIFTABLE;
			else if (strcmp(v, "essential") == 0)
				cur->kind = BESS_DEV_ESSENTIAL;
			else {
				bess_err_set(err, name, lineno, "kind: '%s' is not sheddable, shiftable or "
				    "essential", v);
				goto fail;
			}
			seen |= 1;
		} else if (strcmp(k, "power") == 0) {
			if (parse_levels(v, cur, why, sizeof(why)) != 0)
				goto bad;
		} else if (strcmp(k, "cost") == 0) {
			if (qty(v, BESS_DIM_PRICE, 1, &cur->cost_kwh, why, sizeof(why)) != 0)
				goto bad;
			seen |= 4;
		} else if (strcmp(k, "cost_per_hour") == 0) {
			if (qty(v, 0, 1, &cur->cost_h, why, sizeof(why)) != 0)
				goto bad;
			seen |= 4;
		} else if (strcmp(k, "max_off") == 0) {
			if (hours(v, &cur->max_off_h, why, sizeof(why)) != 0)
				goto bad;
			seen |= 4;
		} else if (strcmp(k, "min_on") == 0) {
			if (hours(v, &cur->min_on_h, why, sizeof(why)) != 0)
				goto bad;
			seen |= 4;
		} else if (strcmp(k, "min_off") == 0) {
			if (hours(v, &cur->min_off_h, why, sizeof(why)) != 0)
				goto bad;
			seen |= 4;
		} else if (strcmp(k, "when") == 0) {
			struct bess_tou_rule *nr;

			if ((nr = realloc(cur->when, (cur->nwhen + 1) * sizeof(*nr))) == NULL)
				goto oom;
			cur->when = nr;
			if (bess_tou_rule_parse(v, &cur->when[cur->nwhen], why, sizeof(why)) != 0)
				goto bad;
			cur->nwhen++;
			seen |= 4;
		} else if (strcmp(k, "energy") == 0) {
			if (qty(v, BESS_DIM_ENERGY, 0, &cur->energy_kwh, why, sizeof(why)) != 0)
				goto bad;
			seen |= 8;
		} else if (strcmp(k, "window") == 0) {
			if (seen & 2) {
				bess_err_set(err, name, lineno, "'window' given twice");
				goto fail;
			}
			if (bess_tou_rule_parse(v, &cur->window, why, sizeof(why)) != 0)
				goto bad;
			if (cur->window.from_min == 0 && cur->window.to_min == 1440 && strstr(v, "24:00") == NULL) {
				snprintf(why, sizeof(why), "no clock window (earliest start - deadline, such as "
				    "18:00-07:00)");
				goto bad;
			}
			seen |= 2 | 8;
		} else if (strcmp(k, "dates") == 0) {
			char *tok, *save = NULL;

			for (tok = strtok_r(v, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
				int64_t *nd;

				if ((nd = realloc(cur->date, (cur->ndate + 1) * sizeof(*nd))) == NULL)
					goto oom;
				cur->date = nd;
				if (parse_date(tok, &cur->date[cur->ndate]) != 0) {
					snprintf(why, sizeof(why), "'%s' is not a date (YYYY-MM-DD)", tok);
					goto bad;
				}
				cur->ndate++;
			}
			seen |= 8;
		} else {
			bess_err_set(err, name, lineno, "unknown key '%s' (kind, power, cost, cost_per_hour, "
			    "max_off, when, min_on, min_off, energy, window, dates)", k);
			goto fail;
		}
		continue;
bad:
		bess_err_set(err, name, lineno, "%s: %s", k, why);
		goto fail;
	}
	if (cur != NULL && check_device(cur, seen, why, sizeof(why)) != 0) {
		bess_err_set(err, name, cur_line, "%s", why);
		goto fail;
	}
	if (dv->ndev == 0) {
		bess_err_set(err, name, lineno, "no devices (a [device] section with a kind and power)");
		goto fail;
	}
	free(line);
	if ((dv->tz = bess_tz_load(dv->tzname, err)) == NULL) {
		bess_devices_free(dv);
		return NULL;
	}
	return dv;
oom:
	bess_err_set(err, name, lineno, "out of memory");
fail:
	free(line);
	bess_devices_free(dv);
	return NULL;
}

struct bess_devices *
bess_devices_load(const char *path, struct bess_err *err)
{
	FILE *fp = bess_line_open(path, 1, err);
	struct bess_devices *dv;

	if (fp == NULL)
		return NULL;
	dv = bess_devices_read(fp, strcmp(path, "-") == 0 ? "<stdin>" : path, err);
	if (fp != stdin)
		fclose(fp);
	return dv;
}

static void
civil(const struct bess_devices *dv, bess_time_t ts, struct bess_civil *c)
{
	bess_time_to_civil(dv->tz, ts, c);
}

int64_t
bess_devices_day(const struct bess_devices *dv, bess_time_t ts)
{
	struct bess_civil c;

	civil(dv, ts, &c);
	return bess_days_from_civil(c.year, c.month, c.day);
}

int
bess_device_may_shed(const struct bess_devices *dv, const struct bess_device *d, bess_time_t ts)
{
	struct bess_civil c;
	size_t i;

	if (d->kind != BESS_DEV_SHEDDABLE)
		return 0;
	if (d->nwhen == 0)
		return 1;
	civil(dv, ts, &c);
	for (i = 0; i < d->nwhen; i++)
		if (bess_tou_rule_match(&d->when[i], &c))
			return 1;
	return 0;
}

/* Is local date day (days since 1970-01-01) a task day of d? */
static int
task_day(const struct bess_device *d, int64_t day)
{
	int y, m, dd;
	size_t i;

	bess_civil_from_days(day, &y, &m, &dd);
	if (!(d->window.months & (1u << (m - 1))) || !(d->window.wdays & (1u << bess_weekday(day))))
		return 0;
	if (d->ndate == 0)
		return 1;
	for (i = 0; i < d->ndate; i++)
		if (d->date[i] == day)
			return 1;
	return 0;
}

int64_t
bess_device_task(const struct bess_devices *dv, const struct bess_device *d, bess_time_t ts, double dt_h)
{
	struct bess_civil c;
	int from = d->window.from_min, to = d->window.to_min, m, e;
	int64_t day;

	if (d->kind != BESS_DEV_SHIFTABLE)
		return INT64_MIN;
	civil(dv, ts, &c);
	day = bess_days_from_civil(c.year, c.month, c.day);
	m = c.hour * 60 + c.min;
	e = m + (int)lround(dt_h * 60);	/* the step's end on the local clock */
	if (from < to) {
		if (m >= from && e <= to)
			return task_day(d, day) ? day : INT64_MIN;
		return INT64_MIN;
	}
	if (m >= from && e <= 1440 + to)	/* the evening part */
		return task_day(d, day) ? day : INT64_MIN;
	if (m < to && e <= to)			/* the morning part: the task opened the day before */
		return task_day(d, day - 1) ? day - 1 : INT64_MIN;
	return INT64_MIN;
}

double
bess_device_unmet(const struct bess_device *d, char *why, size_t whylen)
{
	double h, most;

	if (d->kind != BESS_DEV_SHIFTABLE)
		return 0;
	h = window_min(&d->window) / 60.0;
	most = d->power_kw * h;
	if (!(d->energy_kwh > most * (1 + 1e-12)))
		return 0;
	if (why != NULL)
		snprintf(why, whylen, "device '%s' cannot meet its deadline: %g kWh needs more than %g kW "
		    "for the window's %g h (%g kWh at most): each task runs at full power and is %g kWh "
		    "short (shift_short_kwh)", d->id, d->energy_kwh, d->power_kw, h, most, d->energy_kwh - most);
	return d->energy_kwh - most;
}
