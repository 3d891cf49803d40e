/* tariff.c: time-of-use tariff files, per-step prices and demand periods, and the cost of a settled schedule. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bess_grow.h"
#include "bess_qty.h"
#include "bess_line.h"
#include "bess_tariff.h"
#include "bess_time.h"

static const char *const month_names[] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
};
static const char *const day_names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

/* Index of a 3-letter name (case-insensitive) in names[0..n), -1 if none. */
static int
name_index(const char *s, size_t len, const char *const *names, int n)
{
	int i;

	if (len != 3)
		return -1;
	for (i = 0; i < n; i++)
		if (strncasecmp(s, names[i], 3) == 0)
			return i;
	return -1;
}

/*
 * A comma list of names or name ranges ("jun-aug,dec", "mon-fri,sun") into
 * a bit mask; ranges wrap ("nov-feb", "sat-mon"). 0 if s is not such a list.
 */
static unsigned
name_mask(const char *s, const char *const *names, int n)
{
	unsigned mask = 0;

	while (*s) {
		const char *comma = strchr(s, ','), *end = comma ? comma : s + strlen(s);
		const char *dash = memchr(s, '-', (size_t)(end - s));
		int a, b, i;

		if (dash) {
			a = name_index(s, (size_t)(dash - s), names, n);
			b = name_index(dash + 1, (size_t)(end - dash - 1), names, n);
		} else {
			a = b = name_index(s, (size_t)(end - s), names, n);
		}
		if (a < 0 || b < 0)
			return 0;
		for (i = a;; i = (i + 1) % n) {
			mask |= 1u << i;
			if (i == b)
				break;
		}
		s = comma ? comma + 1 : end;
		if (comma && !*s)
			return 0;
	}
	return mask;
}

/* Parse a "when" value: tokens for months, days and a clock window, each optional. */
static int
parse_rule(char *v, struct bess_tou_rule *r, char *why, size_t whylen)
{
	char *tok, *save = NULL;
	int have_m = 0, have_d = 0, have_t = 0;

	r->months = 0xfff;
	r->wdays = 0x7f;
	r->from_min = 0;
	r->to_min = 1440;
	for (tok = strtok_r(v, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		size_t len = strlen(tok);
		unsigned m;
		const char *dash;

		if (!strcasecmp(tok, "weekday") || !strcasecmp(tok, "weekdays")) {
			m = 0x3e;
			goto days;
		}
		if (!strcasecmp(tok, "weekend") || !strcasecmp(tok, "weekends")) {
			m = 0x41;
			goto days;
		}
		if (!strcasecmp(tok, "daily") || !strcasecmp(tok, "all"))
			continue;
		if ((m = name_mask(tok, month_names, 12)) != 0) {
			if (have_m++) {
				snprintf(why, whylen, "two month lists in one 'when'");
				return -1;
			}
			r->months = m;
			continue;
		}
		if ((m = name_mask(tok, day_names, 7)) != 0) {
days:
			if (have_d++) {
				snprintf(why, whylen, "two day lists in one 'when'");
				return -1;
			}
			r->wdays = m;
			continue;
		}
		if ((dash = strchr(tok, '-')) != NULL && bess_clock_min(tok, (size_t)(dash - tok)) >= 0 &&
		    bess_clock_min(dash + 1, len - (size_t)(dash - tok) - 1) >= 0) {
			if (have_t++) {
				snprintf(why, whylen, "two clock windows in one 'when' (use two 'when' lines)");
				return -1;
			}
			r->from_min = bess_clock_min(tok, (size_t)(dash - tok));
			r->to_min = bess_clock_min(dash + 1, len - (size_t)(dash - tok) - 1);
			if (r->from_min == r->to_min) {	/* empty, or the whole day? */
				snprintf(why, whylen, "'%s' is ambiguous; write 00:00-24:00 for a whole day",
				    tok);
				return -1;
			}
			if (r->from_min == 1440) {
				snprintf(why, whylen, "'%s' is not a clock window", tok);
				return -1;
			}
			if (r->to_min == 0)
				r->to_min = 1440;	/* "23:00-00:00" ends at midnight, as 23:00-24:00 */
			continue;
		}
		snprintf(why, whylen, "'%s' is not a month list (jun-aug), a day list (mon-fri, "
		    "weekend) or a clock window (08:00-11:00)", tok);
		return -1;
	}
	return 0;
}

static int
rule_match(const struct bess_tou_rule *r, const struct bess_civil *c)
{
	int min = c->hour * 60 + c->min;

	if (!(r->months & (1u << (c->month - 1))) || !(r->wdays & (1u << c->wday)))
		return 0;
	if (r->from_min < r->to_min)
		return min >= r->from_min && min < r->to_min;
	return min >= r->from_min || min < r->to_min;	/* wraps past midnight */
}

int
bess_tariff_match(const struct bess_tariff *t, const struct bess_civil *c)
{
	size_t i, j;

	for (i = 0; i < t->nperiod; i++) {
		const struct bess_tou_period *p = &t->period[i];

		if (p->nrule == 0)
			return (int)i;
		for (j = 0; j < p->nrule; j++)
			if (rule_match(&p->rule[j], c))
				return (int)i;
	}
	return -1;
}

void
bess_tariff_free(struct bess_tariff *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nperiod; i++)
		free(t->period[i].rule);
	free(t->period);
	free(t->tier);
	bess_tz_free(t->tz);
	free(t);
}

/* A rate value: a bare number or a quantity of dimension dim. */
static int
rate(const char *v, enum bess_dim dim, double *out, char *why, size_t whylen)
{
	struct bess_qty q;

	if (bess_qty_parse(v, dim | BESS_DIM_NONE, &q, why, whylen) != 0)
		return -1;
	*out = q.value;
	return 0;
}

/* "lookback = 11", "lookback = jun-sep" or "lookback = 11 jun-sep" (bills back, months counted). */
static int
parse_lookback(char *v, struct bess_tou_period *p, char *why, size_t whylen)
{
	char *tok, *save = NULL, *end;
	int have_n = 0, have_m = 0;

	for (tok = strtok_r(v, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		unsigned m;
		long nb;

		errno = 0;
		nb = strtol(tok, &end, 10);
		if (end != tok && *end == '\0') {
			if (have_n++ || errno || nb < 1 || nb > 1200) {
				snprintf(why, whylen, "'%s' is not a count of bills (1 to 1200), given once", tok);
				return -1;
			}
			p->lookback_bills = (int)nb;
		} else if ((m = name_mask(tok, month_names, 12)) != 0 && !have_m++) {
			p->lookback_months = m;
		} else {
			snprintf(why, whylen, "'%s' is not a count of bills (11) or one month list (jun-sep)", tok);
			return -1;
		}
	}
	if (!have_n && !have_m) {
		snprintf(why, whylen, "empty (a count of bills, a month list, or both)");
		return -1;
	}
	return 0;
}

/* A money amount: a bare number from 0 to BESS_QTY_MAX. */
static int
money(const char *v, double *out, char *why, size_t whylen)
{
	return bess_qty_amount(v, BESS_DIM_NONE, "an amount ", out, why, whylen);
}

static int
tier_cmp(const void *a, const void *b)
{
	double x = ((const struct bess_tier *)a)->above_kwh, y = ((const struct bess_tier *)b)->above_kwh;

	return x < y ? -1 : x > y;
}

/*
 * The whole-tariff keys beyond timezone, billing and energy. -1 with why
 * filled on a bad value, -1 with why empty for an unknown key.
 */
static int
top_key(struct bess_tariff *t, const char *k, char *v, char *why, size_t whylen)
{
	struct bess_qty q;

	why[0] = '\0';
	if (strcmp(k, "demand_window") == 0) {
		long long us;

		if (bess_duration_parse(v, &us, why, whylen) != 0)
			return -1;
		if (us % 1000000 != 0 || us > 31LL * 86400 * 1000000) {
			snprintf(why, whylen, "'%s' is not whole seconds up to 31 days", v);
			return -1;
		}
		t->demand_window_s = (double)(us / 1000000);
		return 0;
	}
	if (strcmp(k, "fixed") == 0)
		return money(v, &t->fixed, why, whylen);
	if (strcmp(k, "minimum") == 0)
		return money(v, &t->minimum, why, whylen);
	if (strcmp(k, "export_cap") == 0) {
		if (bess_qty_parse(v, BESS_DIM_ENERGY, &q, why, whylen) != 0)
			return -1;
		if (!(q.value >= 0)) {
			snprintf(why, whylen, "'%s' is negative", v);
			return -1;
		}
		t->export_cap_kwh = q.value;
		return 0;
	}
	if (strcmp(k, "feed_in_limit") == 0) {
		if (bess_qty_parse(v, BESS_DIM_POWER, &q, why, whylen) != 0)
			return -1;
		if (!(q.value >= 0)) {
			snprintf(why, whylen, "'%s' is negative", v);
			return -1;
		}
		t->feed_in_limit_kw = q.value;
		return 0;
	}
	if (strcmp(k, "tier") == 0) {
		char *sp = v + strcspn(v, " \t"), *rest;
		struct bess_tier tr, *nt;
		size_t i;

		if (*sp == '\0') {
			snprintf(why, whylen, "'%s' is not 'KWH RATE' (e.g. 500kWh 0.03)", v);
			return -1;
		}
		*sp = '\0';
		rest = bess_line_trim(sp + 1);
		if (bess_qty_parse(v, BESS_DIM_ENERGY, &q, why, whylen) != 0)
			return -1;
		if (!(q.value >= 0)) {
			snprintf(why, whylen, "'%s' is negative", v);
			return -1;
		}
		tr.above_kwh = q.value;
		if (rate(rest, BESS_DIM_PRICE, &tr.adder, why, whylen) != 0)
			return -1;
		if (!(fabs(tr.adder) <= BESS_QTY_MAX)) {
			snprintf(why, whylen, "'%s' is beyond 1e12 per kWh", rest);
			return -1;
		}
		for (i = 0; i < t->ntier; i++)
			if (t->tier[i].above_kwh == tr.above_kwh) {
				snprintf(why, whylen, "a block above %g kWh is given twice", tr.above_kwh);
				return -1;
			}
		if ((nt = realloc(t->tier, (t->ntier + 1) * sizeof(*nt))) == NULL) {
			snprintf(why, whylen, "out of memory");
			return -1;
		}
		t->tier = nt;
		t->tier[t->ntier++] = tr;
		qsort(t->tier, t->ntier, sizeof(*t->tier), tier_cmp);
		return 0;
	}
	return -1;
}

/* Largest price magnitude per kWh a model takes (BESS_QTY_MAX). */
#define PRICE_MAX	BESS_QTY_MAX

/* The period names seen so far, hashed (open addressing): a duplicate found without comparing every pair. */
struct names {
	const char **slot;	/* a name (an owned copy) or NULL */
	size_t cap;		/* slots, a power of two */
	size_t n;		/* names stored */
};

static size_t
name_hash(const char *s)
{
	size_t h = 14695981039346656037u;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

/* Remember nm: 0, 1 when it was already there, -1 when out of memory. */
static int
names_add(struct names *ns, const char *nm)
{
	size_t i;

	if (2 * (ns->n + 1) > ns->cap) {
		size_t nc = ns->cap ? 2 * ns->cap : 64, k;
		const char **ns2 = calloc(nc, sizeof(*ns2));

		if (ns2 == NULL)
			return -1;
		for (k = 0; k < ns->cap; k++)
			if (ns->slot[k]) {
				for (i = name_hash(ns->slot[k]) & (nc - 1); ns2[i]; i = (i + 1) & (nc - 1))
					;
				ns2[i] = ns->slot[k];
			}
		free(ns->slot);
		ns->slot = ns2;
		ns->cap = nc;
	}
	for (i = name_hash(nm) & (ns->cap - 1); ns->slot[i]; i = (i + 1) & (ns->cap - 1))
		if (strcmp(ns->slot[i], nm) == 0)
			return 1;
	if ((ns->slot[i] = strdup(nm)) == NULL)
		return -1;
	ns->n++;
	return 0;
}

static void
names_free(struct names *ns)
{
	size_t i;

	for (i = 0; i < ns->cap; i++)
		free((char *)ns->slot[i]);
	free(ns->slot);
	ns->slot = NULL;
	ns->cap = ns->n = 0;
}

struct bess_tariff *
bess_tariff_read(FILE *fp, const char *name, struct bess_err *err)
{
	struct bess_tariff *t;
	struct bess_tou_period *cur = NULL;
	char *line = NULL, why[300];
	size_t cap = 0, i;
	long lineno = 0;
	unsigned seen = 0;	/* energy, demand, export given in the current period (1, 2, 4) */
	size_t nalloc = 0;	/* periods allocated */
	int dup;
	struct names names = { NULL, 0, 0 };

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		bess_err_set(err, name, 0, "out of memory");
		return NULL;
	}
	snprintf(t->tzname, sizeof(t->tzname), "UTC");
	t->export_cap_kwh = INFINITY;
	t->feed_in_limit_kw = INFINITY;
	t->minimum = NAN;
	for (;;) {
		char *s, *k, *v;
		int got;
		unsigned bit;

		if ((got = bess_line_next(fp, &line, &cap, &lineno, &s, name, "tariff", err)) == 0)
			break;
		if (got < 0)
			goto fail;
		if (*s == '[') {
			char *nm;
			struct bess_tou_period *np;

			if (bess_line_section(s, "period", BESS_SECTION_NAME, &nm, name, lineno, err) != 0)
				goto fail;
			if ((dup = names_add(&names, nm)) == 1) {
				bess_err_set(err, name, lineno, "period '%s' is defined twice", nm);
				goto fail;
			}
			if (dup != 0)
				goto oom;
			/* doubling, not one more each time: 100,000 periods read in linear time */
			if ((np = bess_grow(t->period, &nalloc, t->nperiod + 1, 8, sizeof(*np))) == NULL)
				goto oom;
			t->period = np;
			cur = &t->period[t->nperiod++];
			memset(cur, 0, sizeof(*cur));
			snprintf(cur->name, sizeof(cur->name), "%s", nm);
			cur->energy = NAN;
			cur->export_rate = NAN;
			cur->lookback_months = 0xfff;
			seen = 0;
			continue;
		}
		if (bess_line_kv(s, &k, &v, name, lineno, err) != 0)
			goto fail;
		if (cur == NULL) {
			if (strcmp(k, "timezone") == 0) {
				if (bess_line_timezone(v, t->tzname, sizeof(t->tzname), name, lineno, err) != 0)
					goto fail;
			} else if (strcmp(k, "billing") == 0) {
				if (strcmp(v, "month") == 0)
					t->billing = BESS_BILL_MONTH;
				else if (strcmp(v, "day") == 0)
					t->billing = BESS_BILL_DAY;
				else if (strcmp(v, "none") == 0)
					t->billing = BESS_BILL_NONE;
				else {
					bess_err_set(err, name, lineno, "billing: '%s' is not month, day or none", v);
					goto fail;
				}
			} else if (strcmp(k, "energy") == 0) {
				if (strcmp(v, "replace") == 0)
					t->energy_add = 0;
				else if (strcmp(v, "add") == 0)
					t->energy_add = 1;
				else {
					bess_err_set(err, name, lineno, "energy: '%s' is not replace or add", v);
					goto fail;
				}
			} else if (top_key(t, k, v, why, sizeof(why)) != 0) {
				if (why[0] == '\0') {
					bess_err_set(err, name, lineno, "unknown key '%s' (before any [period]: "
					    "timezone, billing, energy, demand_window, fixed, minimum, tier, "
					    "export_cap, feed_in_limit)", k);
					goto fail;
				}
				goto bad;
			}
			continue;
		}
		bit = strcmp(k, "energy") == 0 ? 1 : strcmp(k, "demand") == 0 ? 2 :
		    strcmp(k, "export") == 0 ? 4 : strcmp(k, "ratchet") == 0 ? 8 :
		    strcmp(k, "lookback") == 0 ? 16 : 0;
		if (seen & bit) {
			bess_err_set(err, name, lineno, "'%s' given twice in period '%s'", k, cur->name);
			goto fail;
		}
		seen |= bit;
		if (strcmp(k, "energy") == 0) {
			if (rate(v, BESS_DIM_PRICE, &cur->energy, why, sizeof(why)) != 0)
				goto bad;
		} else if (strcmp(k, "demand") == 0) {
			if (rate(v, BESS_DIM_PRICE_POWER, &cur->demand, why, sizeof(why)) != 0)
				goto bad;
			if (cur->demand < 0) {
				snprintf(why, sizeof(why), "'%s' is negative", v);
				goto bad;
			}
		} else if (strcmp(k, "export") == 0) {
			if (rate(v, BESS_DIM_PRICE, &cur->export_rate, why, sizeof(why)) != 0)
				goto bad;
		} else if (strcmp(k, "ratchet") == 0) {
			struct bess_qty q;

			if (bess_qty_parse(v, BESS_DIM_PERCENT | BESS_DIM_NONE, &q, why, sizeof(why)) != 0)
				goto bad;
			cur->ratchet_frac = q.dim == BESS_DIM_PERCENT ? q.value / 100 : q.value;
			if (!(cur->ratchet_frac > 0 && cur->ratchet_frac <= 1)) {
				snprintf(why, sizeof(why), "'%s' is not a share in (0, 100%%]", v);
				goto bad;
			}
		} else if (strcmp(k, "lookback") == 0) {
			if (parse_lookback(v, cur, why, sizeof(why)) != 0)
				goto bad;
		} else if (strcmp(k, "when") == 0) {
			struct bess_tou_rule r, *nr;

			if (parse_rule(v, &r, why, sizeof(why)) != 0)
				goto bad;
			if ((nr = realloc(cur->rule, (cur->nrule + 1) * sizeof(*nr))) == NULL) {
				bess_err_set(err, name, lineno, "out of memory");
				goto fail;
			}
			cur->rule = nr;
			cur->rule[cur->nrule++] = r;
		} else {
			bess_err_set(err, name, lineno, "unknown key '%s' (in a period: energy, demand, "
			    "export, ratchet, lookback, when)", k);
			goto fail;
		}
		continue;
bad:
		bess_err_set(err, name, lineno, "%s: %s", k, why);
		goto fail;
	}
	free(line);
	line = NULL;
	names_free(&names);
	if (t->nperiod == 0) {
		bess_err_set(err, name, 0, "no [period] defined");
		goto fail;
	}
	for (i = 0; i < t->nperiod; i++)
		if (t->period[i].ratchet_frac > 0 && !(t->period[i].demand > 0)) {
			bess_err_set(err, name, 0, "period '%s': a ratchet needs a demand rate",
			    t->period[i].name);
			goto fail;
		}
	if ((t->tz = bess_tz_load(t->tzname, err)) == NULL) {
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%s", err->msg);
		bess_err_set(err, name, 0, "timezone: %s", msg);
		goto fail;
	}
	return t;
oom:
	bess_err_set(err, name, lineno, "out of memory");
fail:
	free(line);
	names_free(&names);
	bess_tariff_free(t);
	return NULL;
}

struct bess_tariff *
bess_tariff_load(const char *path, struct bess_err *err)
{
	FILE *fp = bess_line_open(path, 0, err);
	struct bess_tariff *t;

	if (fp == NULL)
		return NULL;
	t = bess_tariff_read(fp, path, err);
	fclose(fp);
	return t;
}

void
bess_rates_free(struct bess_rates *r)
{
	free(r->price);
	free(r->export_price);
	free(r->period);
	free(r->bill);
	free(r->day);
	free(r->day_frac);
	free(r->period_name);
	free(r->demand_rate);
	free(r->peak_so_far_kw);
	free(r->bill_label);
	free(r->bill_month);
	free(r->tp);
	free(r->tp_name);
	free(r->win_first);
	free(r->win_n);
	free(r->ratchet_frac);
	free(r->lookback_bills);
	free(r->lookback_months);
	free(r->tier);
	memset(r, 0, sizeof(*r));
}

/* A local civil time in the tariff's zone (UTC without a tariff). */
static void
local(const struct bess_tariff *t, bess_time_t ts, struct bess_civil *c)
{
	if (t != NULL)
		bess_time_to_civil(t->tz, ts, c);
	else
		bess_time_to_civil_utc(ts, c);
}

int
bess_rates_build(struct bess_rates *r, const struct bess_tariff *tariff,
    const bess_time_t *ts, size_t n, long long step_us, const double *price,
    const double *export_price, const struct bess_site *site, struct bess_err *err)
{
	int *pmap = NULL;	/* tariff period -> demand period index, -1 */
	size_t i, j, ntp = tariff ? tariff->nperiod : 0;
	long prev_bill = 0, prev_day = 0;
	bess_time_t prev_win = 0;
	char tbuf[BESS_TIME_BUFSZ];

	memset(r, 0, sizeof(*r));
	r->n = n;
	r->dt_h = (double)step_us / 3.6e9;
	r->export_ok = site->export_mode != BESS_EXPORT_NONE;
	if (site->export_mode == BESS_EXPORT_COLUMN && export_price == NULL)
		return bess_err_set(err, NULL, 0, "--export column needs an 'export_price' column");
	if ((r->price = calloc(n + 1, sizeof(double))) == NULL ||
	    (r->export_price = calloc(n + 1, sizeof(double))) == NULL ||
	    (r->period = calloc(n + 1, sizeof(int))) == NULL ||
	    (r->bill = calloc(n + 1, sizeof(int))) == NULL ||
	    (r->day = calloc(n + 1, sizeof(int))) == NULL ||
	    (r->day_frac = calloc(n + 1, sizeof(double))) == NULL ||
	    (pmap = calloc(ntp + 1, sizeof(int))) == NULL ||
	    (r->period_name = calloc(ntp + 1, sizeof(*r->period_name))) == NULL ||
	    (r->demand_rate = calloc(ntp + 1, sizeof(double))) == NULL ||
	    (r->peak_so_far_kw = calloc(ntp + 1, sizeof(double))) == NULL ||
	    (r->bill_label = calloc(n + 1, sizeof(*r->bill_label))) == NULL ||
	    (r->bill_month = calloc(n + 1, sizeof(int))) == NULL ||
	    (r->tp = calloc(n + 1, sizeof(int))) == NULL ||
	    (r->tp_name = calloc(ntp + 1, sizeof(*r->tp_name))) == NULL ||
	    (r->win_first = calloc(n + 1, sizeof(int))) == NULL ||
	    (r->win_n = calloc(n + 1, sizeof(int))) == NULL ||
	    (r->ratchet_frac = calloc(ntp + 1, sizeof(double))) == NULL ||
	    (r->lookback_bills = calloc(ntp + 1, sizeof(int))) == NULL ||
	    (r->lookback_months = calloc(ntp + 1, sizeof(unsigned))) == NULL ||
	    (r->tier = calloc((tariff ? tariff->ntier : 0) + 1, sizeof(*r->tier))) == NULL)
		goto oom;
	r->ntp = ntp;
	r->export_cap_kwh = INFINITY;
	r->feed_in_limit_kw = INFINITY;
	r->minimum = NAN;
	if (tariff != NULL) {
		r->fixed = tariff->fixed;
		r->minimum = tariff->minimum;
		r->export_cap_kwh = tariff->export_cap_kwh;
		r->feed_in_limit_kw = tariff->feed_in_limit_kw;
		r->ntier = tariff->ntier;
		if (tariff->ntier)
			memcpy(r->tier, tariff->tier, tariff->ntier * sizeof(*r->tier));
	}
	for (i = 0; i < ntp; i++) {
		memcpy(r->tp_name[i], tariff->period[i].name, 64);
		pmap[i] = -1;
		if (tariff->period[i].demand > 0) {
			pmap[i] = (int)r->nperiod;
			memcpy(r->period_name[r->nperiod], tariff->period[i].name, 64);
			r->ratchet_frac[r->nperiod] = tariff->period[i].ratchet_frac;
			r->lookback_bills[r->nperiod] = tariff->period[i].lookback_bills;
			r->lookback_months[r->nperiod] = tariff->period[i].lookback_months;
			r->demand_rate[r->nperiod++] = tariff->period[i].demand;
		}
	}
	if (tariff != NULL && tariff->demand_window_s > 0 && n > 0) {
		long long w_us = (long long)tariff->demand_window_s * BESS_US_PER_S;

		if (step_us <= 0 || w_us % step_us != 0) {
			bess_err_set(err, NULL, 0, "demand_window %gs is not a whole number of %gs steps",
			    tariff->demand_window_s, (double)step_us / 1e6);
			goto fail;
		}
	}
	for (j = 0; j < site->npeak; j++) {
		int found = 0;

		for (i = 0; i < r->nperiod; i++)
			if (site->peak[j].name[0] == '\0' || strcmp(site->peak[j].name, r->period_name[i]) == 0) {
				r->peak_so_far_kw[i] = site->peak[j].kw;
				found = 1;
			}
		if (!found && site->peak[j].name[0] != '\0') {
			bess_err_set(err, NULL, 0, "--peak-so-far: '%s' is not a tariff period with a demand rate",
			    site->peak[j].name);
			goto fail;
		}
	}
	for (i = 0; i < n; i++) {
		struct bess_civil c;
		int tp = -1;
		long bill, day;
		double p = price ? price[i] : NAN, base;

		local(tariff, ts[i], &c);
		if (tariff != NULL)
			tp = bess_tariff_match(tariff, &c);
		base = p;	/* the import price without an added import charge */
		if (tp >= 0 && !isnan(tariff->period[tp].energy)) {
			p = tariff->energy_add ? (isnan(p) ? NAN : p + tariff->period[tp].energy)
			    : tariff->period[tp].energy;
			if (!tariff->energy_add)
				base = p;
		}
		r->tp[i] = tp;
		if (tariff != NULL && tariff->demand_window_s > 0) {
			long long w_us = (long long)tariff->demand_window_s * BESS_US_PER_S;
			bess_time_t w = ts[i] >= 0 ? ts[i] / w_us : -((-ts[i] + w_us - 1) / w_us);

			r->win_first[i] = i > 0 && w == prev_win ? r->win_first[i - 1] : (int)i;
			r->win_n[r->win_first[i]]++;
			prev_win = w;
		} else {
			r->win_first[i] = (int)i;
			r->win_n[i] = 1;
		}
		if (isnan(p)) {
			bess_err_set(err, NULL, 0, "%s: no energy price (an empty 'price' and %s)",
			    bess_time_format(ts[i], tbuf),
			    tariff == NULL ? "no --tariff" : tp < 0 ? "no tariff period matches" :
			    "the tariff period has no energy rate");
			goto fail;
		}
		r->price[i] = p;
		switch (site->export_mode) {
		case BESS_EXPORT_NONE:
			r->export_price[i] = 0;
			break;
		case BESS_EXPORT_IMPORT:
			r->export_price[i] = p;
			break;
		case BESS_EXPORT_COLUMN:
			if (isnan(export_price[i])) {
				bess_err_set(err, NULL, 0, "%s: empty 'export_price' with --export column",
				    bess_time_format(ts[i], tbuf));
				goto fail;
			}
			r->export_price[i] = export_price[i];
			break;
		default:
			if (tp >= 0 && !isnan(tariff->period[tp].export_rate))
				r->export_price[i] = tariff->period[tp].export_rate;
			else if (export_price != NULL && !isnan(export_price[i]))
				r->export_price[i] = export_price[i];
			else
				r->export_price[i] = isnan(base) ? p : base;
		}
		if (!(fabs(r->price[i]) <= PRICE_MAX && fabs(r->export_price[i]) <= PRICE_MAX)) {
			bess_err_set(err, NULL, 0, "%s: a price of %g is beyond %g per kWh either way",
			    bess_time_format(ts[i], tbuf), fabs(r->price[i]) > PRICE_MAX ?
			    r->price[i] : r->export_price[i], PRICE_MAX);
			goto fail;
		}
		r->period[i] = tp >= 0 ? pmap[tp] : -1;
		day = (long)bess_days_from_civil(c.year, c.month, c.day);
		switch (tariff ? tariff->billing : BESS_BILL_MONTH) {
		case BESS_BILL_DAY:
			bill = day;
			break;
		case BESS_BILL_NONE:
			bill = 0;
			break;
		default:
			bill = (long)c.year * 12 + c.month - 1;
		}
		if (i == 0 || bill != prev_bill) {
			if (i > 0)
				r->nbill++;
			if (tariff && tariff->billing == BESS_BILL_NONE)
				snprintf(r->bill_label[r->nbill], 16, "all");
			else if (tariff && tariff->billing == BESS_BILL_DAY)
				snprintf(r->bill_label[r->nbill], 16, "%04d-%02d-%02d", c.year % 10000, c.month, c.day);
			else
				snprintf(r->bill_label[r->nbill], 16, "%04d-%02d", c.year % 10000, c.month);
			r->bill_month[r->nbill] = c.month;
		}
		if (i == 0 || day != prev_day) {
			if (i > 0)
				r->nday++;
		}
		r->bill[i] = (int)r->nbill;
		r->day[i] = (int)r->nday;
		r->day_frac[r->nday] += r->dt_h / 24;
		prev_bill = bill;
		prev_day = day;
	}
	if (n > 0) {
		r->nbill++;
		r->nday++;
	}
	for (i = 0; i < r->nday; i++)
		if (r->day_frac[i] > 1)
			r->day_frac[i] = 1;	/* a 25-hour day */
	for (i = 0; i < n; i++)		/* every step knows its window's size */
		r->win_n[i] = r->win_n[r->win_first[i]];
	free(pmap);
	return 0;
oom:
	bess_err_set(err, NULL, 0, "out of memory");
fail:
	free(pmap);
	bess_rates_free(r);
	return -1;
}

void
bess_cost_free(struct bess_cost *c)
{
	free(c->line);
	free(c->eline);
	free(c->tier_kwh);
	free(c->bill);
	memset(c, 0, sizeof(*c));
}

double
bess_cost_saving(const struct bess_cost *cost, const struct bess_cost *base)
{
	return base->total - cost->total;
}

/* The demand a step shows: its import, or its window's mean import (sum over the window's steps / their count). */
static double
step_demand(const struct bess_rates *r, const double *import_kw, size_t i, double *win_sum, size_t *win_at)
{
	size_t j, w = (size_t)r->win_first[i];

	if (r->win_n == NULL || r->win_n[i] <= 1)
		return import_kw[i];
	if (*win_at != w) {
		*win_sum = 0;
		for (j = w; j < w + (size_t)r->win_n[i] && j < r->n; j++)
			*win_sum += import_kw[j];
		*win_at = w;
	}
	return *win_sum / r->win_n[i];
}

/* The kWh of a bill's import in energy block k (between its start and the next block's). */
double
bess_tier_kwh(const struct bess_rates *r, size_t k, double import_kwh)
{
	double lo = r->tier[k].above_kwh, hi = k + 1 < r->ntier ? r->tier[k + 1].above_kwh : INFINITY;

	return import_kwh <= lo ? 0 : fmin(import_kwh, hi) - lo;
}

/* The ratchet floor of demand period p in bill b: share * the highest earlier peak looked back on. */
static double
ratchet_kw(const struct bess_rates *r, const double *peak, const int *seen, size_t b, size_t p)
{
	size_t np = r->nperiod, k, from;
	double best = 0;

	if (r->ratchet_frac == NULL || !(r->ratchet_frac[p] > 0))
		return 0;
	from = r->lookback_bills[p] > 0 && b > (size_t)r->lookback_bills[p] ? b - (size_t)r->lookback_bills[p] : 0;
	for (k = from; k < b; k++)
		if (seen[k * np + p] && (r->lookback_months[p] & (1u << (r->bill_month[k] - 1))) &&
		    peak[k * np + p] > best)
			best = peak[k * np + p];
	return r->ratchet_frac[p] * best;
}

void
bess_bill_energy(struct bess_bill *B, double price, double export_price, double export_cap_kwh,
    double import_kwh, double export_kwh, double *cost, double *revenue)
{
	/* export is paid in time order until the bill's cap */
	double paid = fmin(export_kwh, fmax(0, export_cap_kwh - B->paid_export_kwh));

	*cost = price * import_kwh;
	*revenue = export_price * paid;
	B->import_kwh += import_kwh;
	B->energy_cost += *cost;
	B->export_kwh += export_kwh;
	B->paid_export_kwh += paid;
	B->export_revenue += *revenue;
}

int
bess_rates_cost(const struct bess_rates *r, const double *import_kw,
    const double *export_kw, const double *discharge_kw, double cycle_cost,
    struct bess_cost *c, double *step_cost, struct bess_err *err)
{
	size_t i, k, np = r->nperiod, nb = r->nbill, ne = r->ntp + 1, win_at = (size_t)-1;
	int *seen = NULL, *eseen = NULL;
	double *peak = NULL, win_sum = 0;

	memset(c, 0, sizeof(*c));
	if ((c->line = calloc(nb * np + 1, sizeof(*c->line))) == NULL ||
	    (seen = calloc(nb * np + 1, sizeof(int))) == NULL ||
	    (peak = calloc(nb * np + 1, sizeof(double))) == NULL ||
	    (c->eline = calloc(nb * ne + 1, sizeof(*c->eline))) == NULL ||
	    (eseen = calloc(nb * ne + 1, sizeof(int))) == NULL ||
	    (c->tier_kwh = calloc(nb * r->ntier + 1, sizeof(double))) == NULL ||
	    (c->bill = calloc(nb + 1, sizeof(*c->bill))) == NULL) {
		free(seen);
		free(eseen);
		free(peak);
		bess_cost_free(c);
		return bess_err_set(err, NULL, 0, "out of memory");
	}
	c->nbill = nb;
	for (i = 0; i < r->n; i++) {
		struct bess_bill *B = &c->bill[r->bill[i]];
		double ekwh = import_kw[i] * r->dt_h, e, x;
		double d = discharge_kw ? discharge_kw[i] * r->dt_h : 0;

		bess_bill_energy(B, r->price[i], r->export_price[i], r->export_cap_kwh, ekwh,
		    r->export_ok ? export_kw[i] * r->dt_h : 0, &e, &x);
		k = (size_t)r->bill[i] * ne + (size_t)((r->tp ? r->tp[i] : -1) + 1);
		eseen[k] = 1;
		c->eline[k].kwh += ekwh;
		c->eline[k].cost += e;
		c->throughput_kwh += d;
		c->degradation_cost += cycle_cost * d;
		if (step_cost)
			step_cost[i] = e - x + cycle_cost * d;
		if (r->period[i] >= 0) {
			double v = step_demand(r, import_kw, i, &win_sum, &win_at);

			k = (size_t)r->bill[i] * np + (size_t)r->period[i];
			if (!seen[k]) {
				seen[k] = 1;
				peak[k] = r->bill[i] == 0 ? r->peak_so_far_kw[r->period[i]] : 0;
			}
			if (v > peak[k])
				peak[k] = v;
		}
	}
	/* the (bill, period) pairs that have steps, in bill-major order, ratchets from the peaks before */
	for (k = 0; k < nb * np; k++) {
		struct bess_demand_line *l = &c->line[c->nline];

		if (!seen[k])
			continue;
		l->bill = (int)(k / np);
		l->period = (int)(k % np);
		l->peak_kw = peak[k];
		l->ratchet_kw = ratchet_kw(r, peak, seen, k / np, k % np);
		l->billed_kw = fmax(l->peak_kw, l->ratchet_kw);
		l->rate = r->demand_rate[k % np];
		l->cost = l->rate * l->billed_kw;
		c->bill[l->bill].demand_cost += l->cost;
		c->nline++;
	}
	for (k = 0; k < nb * ne; k++) {
		if (!eseen[k])
			continue;
		c->eline[c->neline] = c->eline[k];
		c->eline[c->neline].bill = (int)(k / ne);
		c->eline[c->neline].tp = (int)(k % ne) - 1;
		c->neline++;
	}
	for (i = 0; i < nb; i++) {
		struct bess_bill *B = &c->bill[i];

		for (k = 0; k < r->ntier; k++) {
			double kwh = bess_tier_kwh(r, k, B->import_kwh);

			c->tier_kwh[i * r->ntier + k] = kwh;
			B->tier_cost += r->tier[k].adder * kwh;
		}
		B->fixed_cost = r->fixed;
		B->total = B->energy_cost + B->tier_cost + B->demand_cost + B->fixed_cost - B->export_revenue;
		if (B->total < r->minimum) {	/* false for NAN: no minimum */
			B->minimum_topup = r->minimum - B->total;
			B->total = r->minimum;
		}
		c->energy_cost += B->energy_cost;
		c->tier_cost += B->tier_cost;
		c->export_revenue += B->export_revenue;
		c->demand_cost += B->demand_cost;
		c->fixed_cost += B->fixed_cost;
		c->minimum_topup += B->minimum_topup;
		c->total += B->total;
	}
	c->total += c->degradation_cost;
	free(seen);
	free(eseen);
	free(peak);
	return 0;
}

int
bess_tou_rule_parse(char *v, struct bess_tou_rule *r, char *why, size_t whylen)
{
	return parse_rule(v, r, why, whylen);
}

int
bess_tou_rule_match(const struct bess_tou_rule *r, const struct bess_civil *c)
{
	return rule_match(r, c);
}
