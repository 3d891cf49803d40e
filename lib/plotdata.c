/* plotdata.c: the records a chart draws, gathered in bounded memory — channels per column and device, rows bucketed when there are too many, day sums for the daily view, (price, battery) pairs for the price view, the last values for the status strip. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_grow.h"
#include "plot_int.h"

/* Columns a chart can take, with the panel that draws them (the rest go to 'other' when named). */
const struct known bess_plot_known[] = {
	{ "price", BESS_PANEL_PRICE, "#1f77b4" },
	{ "export_price", BESS_PANEL_PRICE, "#17becf" },
	{ "battery_kw", BESS_PANEL_BATTERY, NULL },
	{ "charge_kw", BESS_PANEL_BATTERY, NULL },
	{ "discharge_kw", BESS_PANEL_BATTERY, NULL },
	{ "target_charge_kw", BESS_PANEL_BATTERY, "#0b5d1e" },
	{ "target_discharge_kw", BESS_PANEL_BATTERY, "#8b0000" },
	{ "soc_kwh", BESS_PANEL_SOC, "#9467bd" },
	{ "soc_pct", BESS_PANEL_SOC, "#9467bd" },
	{ "soc_min_kwh", BESS_PANEL_SOC, "#7f7f7f" },
	{ "soc_max_kwh", BESS_PANEL_SOC, "#7f7f7f" },
	{ "load_kw", BESS_PANEL_SITE, "#222222" },
	{ "solar_kw", BESS_PANEL_SITE, "#ff7f0e" },
	{ "grid_import_kw", BESS_PANEL_SITE, "#0a9396" },
	{ "grid_export_kw", BESS_PANEL_SITE, "#e377c2" },
	{ NULL, 0, NULL }
};

static const char *const sp_name[SP_N] = { "price", "battery_kw", "charge_kw", "discharge_kw",
	"target_charge_kw", "target_discharge_kw", "soc_kwh", "soc_pct" };

#define ROWS_CAP	((size_t)1 << 20)	/* rows kept before bucketing (memory: 8 bytes x (1 + channels) each) */
#define PAIRS_CAP	((size_t)1 << 18)	/* (price, battery) pairs kept for the price view */
#define PLOT_MAX	1e300			/* largest magnitude drawn */

static int
opt_wanted(const struct bess_plot_opts *o, const char *name)
{
	const char *const *p;

	if (o->columns == NULL)
		return 1;
	for (p = o->columns; *p; p++)
		if (strcmp(*p, name) == 0)
			return 1;
	return 0;
}

int
bess_plot_data_ch(const struct bess_plot_data *d, const char *name)
{
	int i;

	for (i = 0; i < d->nch; i++)
		if (strcmp(d->chname[i], name) == 0)
			return i;
	return -1;
}

static int
add_ch(struct bess_plot_data *d, const char *name)
{
	if (bess_plot_data_ch(d, name) >= 0)
		return 0;
	if (d->nch >= MAXCH)
		return -1;
	if ((d->chname[d->nch] = strdup(name)) == NULL)
		return -1;
	d->nch++;
	return 0;
}

struct bess_plot_data *
bess_plot_data_new(const struct bess_plot_opts *o, double window_s, struct bess_err *err)
{
	struct bess_plot_data *d = calloc(1, sizeof(*d));
	const char *const *p;
	int k;

	if (d == NULL) {
		bess_err_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	d->o = *o;
	d->window_s = window_s > 0 ? window_s : 0;
	d->rows_cap = o->rows_cap > 16 ? o->rows_cap : ROWS_CAP;
	d->last_x = d->soc_kwh = d->soc_pct = d->bat_kw = d->tc_kw = d->td_kw = d->cmd_x = NAN;
	d->days = o->view == BESS_VIEW_DAILY || (o->fmt == BESS_PLOT_TEXT && o->view == BESS_VIEW_TIME &&
	    d->window_s == 0);
	d->pairs = o->view == BESS_VIEW_PRICE;
	d->pstride = 1;
	for (k = 0; bess_plot_known[k].col; k++)
		if (opt_wanted(o, bess_plot_known[k].col) && add_ch(d, bess_plot_known[k].col) != 0)
			goto oom;
	for (p = o->columns; p && *p; p++) {
		if (strcmp(*p, "ts") == 0) {
			bess_err_set(err, NULL, 0, "column 'ts' is the time axis, not a series");
			bess_plot_data_free(d);
			return NULL;
		}
		if (bess_plot_data_ch(d, *p) < 0 && d->nch >= MAXCH) {
			bess_err_set(err, NULL, 0, "too many columns (at most %d)", MAXCH);
			bess_plot_data_free(d);
			return NULL;
		}
		if (add_ch(d, *p) != 0)
			goto oom;
	}
	for (k = 0; k < d->nch; k++)
		d->drawn[k] = 1;
	for (k = 0; k < SP_N; k++) {	/* the status strip reads these, drawn or not */
		int ch;

		if (add_ch(d, sp_name[k]) != 0)
			goto oom;
		ch = bess_plot_data_ch(d, sp_name[k]);

		d->sp[k] = ch < 0 ? MAXCH : ch;
	}
	return d;
oom:
	bess_plot_data_free(d);
	bess_err_set(err, NULL, 0, "out of memory");
	return NULL;
}

void
bess_plot_data_free(struct bess_plot_data *d)
{
	int i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nch; i++) {
		free(d->chname[i]);
		free(d->v[i]);
	}
	free(d->x);
	free(d->map);
	free(d->day);
	free(d->pp);
	free(d->pb);
	free(d);
}

size_t
bess_plot_data_count(const struct bess_plot_data *d)
{
	return d->n - d->start;
}

size_t
bess_plot_data_read_total(const struct bess_plot_data *d)
{
	return d->nrec;
}

/* Make room for one more row: drop what left the window, move live rows down, grow. */
static int
data_room(struct bess_plot_data *d)
{
	size_t live = d->n - d->start, nc;
	int i;

	if (d->start > 0 && (d->n == d->cap || d->start >= live)) {
		memmove(d->x, d->x + d->start, live * sizeof(double));
		for (i = 0; i < d->nch; i++)
			if (d->v[i])
				memmove(d->v[i], d->v[i] + d->start, live * sizeof(double));
		d->n = live;
		d->start = 0;
	}
	if (d->n < d->cap)
		return 0;
	if ((nc = bess_grow_cap(d->cap, d->n + 1, 1024, sizeof(double))) == 0)
		return -1;
	{
		double *q = realloc(d->x, nc * sizeof(double));

		if (q == NULL)
			return -1;
		d->x = q;
	}
	for (i = 0; i < d->nch; i++)
		if (d->v[i]) {
			double *q = realloc(d->v[i], nc * sizeof(double));

			if (q == NULL)
				return -1;
			d->v[i] = q;
		}
	d->cap = nc;
	return 0;
}

/*
 * Too many rows: gather them in rows_cap/4 buckets of equal time, each
 * kept as two rows — every channel's minimum at the bucket's first time and
 * its maximum at its last — so each column's extremes survive, placed within
 * a bucket of their true time.
 */
static void
data_compact(struct bess_plot_data *d)
{
	size_t nb = d->rows_cap / 4, i, out = d->start, b0;
	double x0 = d->x[d->start], span = d->x[d->n - 1] - x0, w;
	int k;

	w = span / (double)nb;
	if (!(w > 0))
		return;
	for (i = d->start; i < d->n; i = b0) {
		size_t bucket = (size_t)((d->x[i] - x0) / w), j, last;
		double lo[MAXCH], hi[MAXCH];

		for (k = 0; k < d->nch; k++)
			lo[k] = hi[k] = NAN;
		for (b0 = i; b0 < d->n && (size_t)((d->x[b0] - x0) / w) == bucket; b0++)
			for (k = 0; k < d->nch; k++) {
				double y;

				if (d->v[k] == NULL || isnan(y = d->v[k][b0]))
					continue;
				if (isnan(lo[k]) || y < lo[k])
					lo[k] = y;
				if (isnan(hi[k]) || y > hi[k])
					hi[k] = y;
			}
		last = b0 - 1;
		for (j = 0; j < (last > i ? 2u : 1u); j++) {
			d->x[out] = d->x[j ? last : i];
			for (k = 0; k < d->nch; k++)
				if (d->v[k])
					d->v[k][out] = j ? hi[k] : lo[k];
			out++;
		}
	}
	d->n = out;
	d->compactions++;
	d->bucket_s = w;
}

static int
day_of(const struct bess_plot_data *d, double x, int64_t *day)
{
	struct bess_civil cv;

	to_civil(d->o.tz, (bess_time_t)llround(x * BESS_US_PER_S), &cv);
	*day = bess_days_from_civil(cv.year, cv.month, cv.day);
	return cv.hour;
}

static int
data_day(struct bess_plot_data *d, int64_t day, struct dayacc **row)
{
	size_t k, i;

	if (d->nday == 0)
		d->day0 = day;
	if (day < d->day0)
		return -1;
	k = (size_t)(day - d->day0);
	if (k > 400000)
		return -1;	/* more than a thousand years: no daily view */
	if (k >= d->nday) {
		struct dayacc *q = realloc(d->day, (k + 1) * MAXCH * sizeof(*q));

		if (q == NULL)
			return -1;
		d->day = q;
		for (i = d->nday * MAXCH; i < (k + 1) * MAXCH; i++) {
			memset(&q[i], 0, sizeof(q[i]));
			q[i].lo = q[i].hi = NAN;
		}
		d->nday = k + 1;
	}
	*row = &d->day[k * MAXCH];
	return 0;
}

/* Keep (price, battery) of every pstride-th record; halve them when full. */
static int
data_pair(struct bess_plot_data *d, double price, double bat)
{
	size_t i;

	if (d->pseen++ % d->pstride != 0)
		return 0;
	if (d->np == PAIRS_CAP) {
		for (i = 0; i < d->np / 2; i++) {
			d->pp[i] = d->pp[2 * i];
			d->pb[i] = d->pb[2 * i];
		}
		d->np /= 2;
		d->pstride *= 2;
		if ((d->pseen - 1) % d->pstride != 0)
			return 0;
	}
	if (d->pp == NULL) {
		if ((d->pp = malloc(PAIRS_CAP * sizeof(double))) == NULL ||
		    (d->pb = malloc(PAIRS_CAP * sizeof(double))) == NULL)
			return -1;
	}
	d->pp[d->np] = price;
	d->pb[d->np++] = bat;
	return 0;
}

/* A stream's text as it may reach a terminal: control bytes shown as '?', cut to fit out. */
static void
shown_text(const char *v, size_t n, char *out, size_t outsz)
{
	size_t j;

	for (j = 0; j < n && j + 1 < outsz; j++)
		out[j] = (unsigned char)v[j] < 0x20 || v[j] == 0x7f ? '?' : v[j];
	out[j] = '\0';
}

/* Map codes of a per-device record's own columns: device, kind, power_kw, soc_kwh, soc_pct. */
enum { DM_DEVICE = -4, DM_KIND = -5, DM_POWER = -6, DM_SOC = -7, DM_SOCPCT = -8 };

/*
 * The channels of device id (n bytes) of kind (NULL = none given): its
 * power in the battery panel (a battery, or no kind given) or the site
 * panel (a load), its SOC in the SOC panel; made on its first record.
 * 0, or -1 with err.
 */
static int
dev_channels(struct bess_plot_data *d, const char *id, size_t n, const char *kind, size_t kn,
    int *pch, int *sch, const char *file, long line, struct bess_err *err)
{
	char name[96], shown[65];
	int k;

	if (n == 0)
		return bess_err_set(err, file, line, "missing device in column 'device'");
	shown_text(id, n, shown, sizeof(shown));
	for (k = 0; k < 2; k++) {
		int ch, *out = k ? sch : pch;

		snprintf(name, sizeof(name), "%s %s", shown, k ? "soc_kwh" : "power_kw");
		if ((ch = bess_plot_data_ch(d, name)) >= 0 && d->devpanel[ch]) {
			*out = ch;
			continue;
		}
		if (k == 0 && d->ndev >= BESS_PLOT_MAX_DEVICES)
			return bess_err_set(err, file, line, "device '%s': too many devices to draw (at most %d)",
			    shown, BESS_PLOT_MAX_DEVICES);
		if (ch >= 0 || d->nch >= MAXCH)
			return bess_err_set(err, file, line, "device '%s': too many series to draw "
			    "(at most %d columns and device series)", shown, MAXCH);
		if (add_ch(d, name) != 0)
			return bess_err_set(err, file, line, "out of memory");
		ch = d->nch - 1;
		d->devpanel[ch] = 1 + (k ? BESS_PANEL_SOC : kind == NULL || (kn == 7 &&
		    memcmp(kind, "battery", 7) == 0) ? BESS_PANEL_BATTERY : BESS_PANEL_SITE);
		d->devidx[ch] = (signed char)d->ndev;
		d->drawn[ch] = d->present[ch] = 1;
		if (d->cap > 0) {
			size_t r;

			if ((d->v[ch] = malloc(d->cap * sizeof(double))) == NULL)
				return bess_err_set(err, file, line, "out of memory");
			for (r = 0; r < d->cap; r++)
				d->v[ch][r] = NAN;
		}
		*out = ch;
	}
	if (d->devidx[*pch] == d->ndev)
		d->ndev++;
	return 0;
}

/* The reader's schema grew (or a new reader began): map its columns onto channels. */
int
bess_plot_data_map(struct bess_plot_data *d, const struct bess_schema *s)
{
	size_t i;

	if (s != d->schema) {
		d->schema = s;
		d->nmap = 0;
	}
	if (s->n <= d->nmap)
		return 0;
	{
		int *m = realloc(d->map, s->n * sizeof(*m));

		if (m == NULL)
			return -1;
		d->map = m;
	}
	if (!d->bydev_known && s->n > 0) {
		/* per-device records: asked for, or told by their device and power_kw columns */
		int dev = 0, pow = 0;

		for (i = 0; i < s->n; i++) {
			dev |= strcmp(s->name[i], "device") == 0;
			pow |= strcmp(s->name[i], "power_kw") == 0;
		}
		d->bydev = d->o.by_device > 0 || (d->o.by_device == 0 && dev && pow);
		d->bydev_known = 1;
	}
	for (i = d->nmap; i < s->n; i++) {
		int ch = bess_plot_data_ch(d, s->name[i]);

		if (d->bydev) {	/* a device's own columns are not the site's */
			static const char *const own[] = { "device", "kind", "power_kw", "soc_kwh", "soc_pct" };
			size_t j;

			for (j = 0; j < sizeof(own) / sizeof(own[0]); j++)
				if (strcmp(s->name[i], own[j]) == 0)
					break;
			if (j < sizeof(own) / sizeof(own[0])) {
				d->map[i] = DM_DEVICE - (int)j;
				continue;
			}
		}
		d->map[i] = strcmp(s->name[i], "ts") == 0 ? -2 : strcmp(s->name[i], "status") == 0 ? -3 : ch;
		if (ch >= 0 && !d->present[ch]) {
			size_t r;

			d->present[ch] = 1;
			if (d->v[ch] == NULL && d->cap > 0) {
				if ((d->v[ch] = malloc(d->cap * sizeof(double))) == NULL)
					return -1;
				for (r = 0; r < d->cap; r++)
					d->v[ch][r] = NAN;
			}
		}
	}
	d->nmap = s->n;
	return 0;
}

int
bess_plot_data_add(struct bess_plot_data *d, const struct bess_schema *s,
    const struct bess_rec *rec, const char *file, struct bess_err *err)
{
	struct bess_tparse tp;
	bess_time_t ts = 0;
	double x, vals[MAXCH + 1], dv[2] = { NAN, NAN };
	char why[256];
	size_t i, r;
	int k, its = -1, ist = -1, idev = -1, ikind = -1, merge = 0;

	if (d->file[0] == '\0')
		snprintf(d->file, sizeof(d->file), "%s", file);
	if (bess_plot_data_map(d, s) != 0)
		return bess_err_set(err, file, rec->line, "out of memory");
	for (k = 0; k <= MAXCH; k++)
		vals[k] = NAN;
	for (i = 0; i < rec->n && i < d->nmap; i++) {
		int ch = d->map[i];
		double y;

		if (ch == -2)
			its = (int)i;
		else if (ch == -3)
			ist = (int)i;
		else if (ch == DM_DEVICE)
			idev = (int)i;
		else if (ch == DM_KIND)
			ikind = (int)i;
		if (ch < 0 && ch != DM_POWER && ch != DM_SOC)
			continue;
		k = bess_rec_num(rec, (int)i, &y);
		if (ch < 0) {	/* the device's power or SOC */
			const char *cn = ch == DM_POWER ? "power_kw" : "soc_kwh";

			if (k < 0)
				return bess_err_set(err, file, rec->line, "column '%s': '%.*s' is not a number",
				    cn, (int)(rec->len[i] < 60 ? rec->len[i] : 60), rec->v[i]);
			if (k == 0 && fabs(y) > PLOT_MAX)
				return bess_err_set(err, file, rec->line,
				    "column '%s': %g is too large to draw (beyond %g either way)", cn, y, PLOT_MAX);
			if (k == 0)
				dv[ch == DM_SOC] = y;
			continue;
		}
		if (k < 0 && !d->drawn[ch])
			continue;	/* only for the status strip: a bad value is no value */
		if (k < 0) {
			char shown[64];

			shown_text(rec->v[i], rec->len[i], shown, sizeof(shown));
			return bess_err_set(err, file, rec->line, "column '%s': '%s' is not a number",
			    d->chname[ch], shown);
		}
		if (k > 0)
			continue;
		if (fabs(y) > PLOT_MAX && !d->drawn[ch])
			continue;
		if (fabs(y) > PLOT_MAX)	/* gnuplot's autoscale overflows near 1.8e308 */
			return bess_err_set(err, file, rec->line,
			    "column '%s': %g is too large to draw (beyond %g either way)",
			    d->chname[ch], y, PLOT_MAX);
		vals[ch] = y;
	}
	if (its < 0 || rec->len[its] == 0)
		return bess_err_set(err, file, rec->line, "missing time in column 'ts'");
	memset(&tp, 0, sizeof(tp));
	if (bess_time_parse(rec->v[its], rec->len[its], &tp, &ts, why, sizeof(why)) != BESS_TP_OK)
		return bess_err_set(err, file, rec->line, "column 'ts': %s", why);
	x = (double)ts / BESS_US_PER_S;
	if (d->bydev) {	/* a device's record: its values into its channels */
		int pch, sch;

		if (idev < 0 || rec->len[idev] == 0)
			return bess_err_set(err, file, rec->line, "missing device in column 'device'");
		if (dev_channels(d, rec->v[idev], rec->len[idev], ikind >= 0 ? rec->v[ikind] : NULL,
		    ikind >= 0 ? rec->len[ikind] : 0, &pch, &sch, file, rec->line, err) != 0)
			return -1;
		vals[pch] = dv[0];
		vals[sch] = dv[1];
		/* the other devices' records of the same time fill the same row */
		merge = !isnan(d->last_x) && x == d->last_x && d->n > d->start;
		if (merge && (!isnan(d->v[pch][d->n - 1]) || !isnan(d->v[sch][d->n - 1]))) {
			char a[BESS_TIME_BUFSZ];

			/* the channel is "ID power_kw": the ID alone */
			bess_err_set(err, file, rec->line, "device '%.*s' has two records at '%s'",
			    (int)(strlen(d->chname[pch]) - strlen(" power_kw")), d->chname[pch],
			    bess_time_format(ts, a));
			return d->window_s > 0 ? 1 : -1;
		}
	}
	if (merge) {
		for (k = 0; k < d->nch; k++)
			if (!isnan(vals[k]) && d->v[k]) {
				d->v[k][d->n - 1] = vals[k];
				d->hasval[k] = 1;
			}
		d->nrec++;
	} else if (!isnan(d->last_x) && !(x > d->last_x)) {
		char a[BESS_TIME_BUFSZ];

		bess_err_set(err, file, rec->line, "time '%s' is not after the previous record's: "
		    "bess-plot draws one series in time order (bess-ingest --sort, --device)",
		    bess_time_format(ts, a));
		return d->window_s > 0 ? 1 : -1;
	}
	if (!merge) {
		/* room, then the row */
		if (d->n - d->start >= d->rows_cap)
			data_compact(d);
		if (data_room(d) != 0)
			return bess_err_set(err, file, rec->line, "out of memory");
		d->x[d->n] = x;
		for (k = 0; k < d->nch; k++) {
			if (d->v[k] == NULL && d->present[k]) {
				if ((d->v[k] = malloc(d->cap * sizeof(double))) == NULL)
					return bess_err_set(err, file, rec->line, "out of memory");
				for (r = 0; r < d->cap; r++)
					d->v[k][r] = NAN;
			}
			if (d->v[k])
				d->v[k][d->n] = vals[k];
			if (!isnan(vals[k]))
				d->hasval[k] = 1;
		}
		d->n++;
		d->nrec++;
		d->last_x = x;
		/* the window slides with the newest record */
		if (d->window_s > 0)
			while (d->start < d->n && d->x[d->start] < x - d->window_s) {
				d->start++;
				d->dropped++;
			}
	}
	/* the status strip */
	if (!isnan(vals[d->sp[SP_SOC]]))
		d->soc_kwh = vals[d->sp[SP_SOC]];
	if (!isnan(vals[d->sp[SP_SOCPCT]]))
		d->soc_pct = vals[d->sp[SP_SOCPCT]];
	{
		double b = vals[d->sp[SP_BAT]], tc = vals[d->sp[SP_TC]],
		    td = vals[d->sp[SP_TD]];

		if (!isnan(b) || !isnan(tc) || !isnan(td)) {
			d->bat_kw = b;
			d->tc_kw = tc;
			d->td_kw = td;
			d->cmd_x = x;
			d->status[0] = '\0';
			if (ist >= 0) {
				size_t j, m = 0;

				for (j = 0; j < rec->len[ist] && m + 1 < sizeof(d->status); j++)
					if (rec->v[ist][j] >= 0x20 && rec->v[ist][j] < 0x7f)
						d->status[m++] = rec->v[ist][j];
				d->status[m] = '\0';
			}
		}
	}
	/* daily and price views */
	if (d->days || d->pairs) {
		int64_t day;
		int h = day_of(d, x, &day);
		struct dayacc *row;
		double price = vals[d->sp[SP_PRICE]], ch = vals[d->sp[SP_CH]],
		    dis = vals[d->sp[SP_DIS]], bat = vals[d->sp[SP_BAT]];
		double pos, neg;

		if (d->present[d->sp[SP_CH]] || d->present[d->sp[SP_DIS]]) {
			pos = ch;
			neg = isnan(dis) ? NAN : -dis;
		} else {
			pos = isnan(bat) ? NAN : bat > 0 ? bat : 0;
			neg = isnan(bat) ? NAN : bat < 0 ? bat : 0;
		}
		if (d->days && data_day(d, day, &row) == 0)
			for (k = 0; k < d->nch; k++) {
				struct dayacc *a = &row[k];
				double y = vals[k];

				if (isnan(y))
					continue;
				a->sum += y;
				a->psum += y > 0 ? y : 0;
				a->nsum += y < 0 ? y : 0;
				a->cnt++;
				if (isnan(a->lo) || y < a->lo)
					a->lo = y;
				if (isnan(a->hi) || y > a->hi)
					a->hi = y;
			}
		if (d->pairs) {
			if (!isnan(price)) {
				d->hsum[h][0] += price;
				d->hcnt[h][0]++;
			}
			if (!isnan(pos)) {
				d->hsum[h][1] += pos;
				d->hcnt[h][1]++;
			}
			if (!isnan(neg)) {
				d->hsum[h][2] += neg;
				d->hcnt[h][2]++;
			}
			if (!isnan(price) && !(isnan(pos) && isnan(neg)) &&
			    data_pair(d, price, (isnan(pos) ? 0 : pos) + (isnan(neg) ? 0 : neg)) != 0)
				return bess_err_set(err, file, rec->line, "out of memory");
		}
	}
	return 0;
}

int
bess_plot_data_read(struct bess_plot_data *d, struct bess_reader *r, struct bess_err *err)
{
	struct bess_rec rec;
	const char *name = bess_reader_name(r);
	int rc;

	if (d->file[0] == '\0')
		snprintf(d->file, sizeof(d->file), "%s", name);
	if (bess_plot_data_map(d, bess_reader_schema(r)) != 0)
		return bess_err_set(err, name, 0, "out of memory");
	while ((rc = bess_reader_next(r, &rec, err)) == 1)
		if (bess_plot_data_add(d, bess_reader_schema(r), &rec, name, err) != 0)
			return -1;
	return rc < 0 ? -1 : 0;
}

