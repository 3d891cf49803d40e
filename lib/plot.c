/* plot.c: build gnuplot scripts for bess record tables — panels, min/max decimation, daily and price views, safe quoting. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_plot.h"
#include "bess_qty.h"

/* ---- a growing text buffer ---- */

struct sb {
	char *p;		/* text, NUL-terminated */
	size_t n;		/* bytes used */
	size_t cap;		/* bytes allocated */
	int oom;		/* an allocation failed: the text is incomplete */
};

static void
sb_add(struct sb *b, const char *s, size_t len)
{
	if (b->oom)
		return;
	if (b->n + len + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 4096;
		char *q;

		while (nc < b->n + len + 1)
			nc *= 2;
		if ((q = realloc(b->p, nc)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = q;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = '\0';
}

static void
sb_puts(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_printf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
sb_printf(struct sb *b, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(buf)) {
		sb_add(b, buf, (size_t)n);
		return;
	}
	{
		char *big = malloc((size_t)n + 1);

		if (big == NULL) {
			b->oom = 1;
			return;
		}
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		sb_add(b, big, (size_t)n);
		free(big);
	}
}

/*
 * Append s as a gnuplot string expression: single-quoted pieces, and each
 * quote inside as "'", joined with '.' (it's -> 'it' . "'" . 's'). gnuplot
 * does no substitution inside single quotes. Its own '' escape is not used:
 * gnuplot 5.4 reads a string that starts with '' as an empty string followed
 * by a stray token.
 */
static void
sb_quote(struct sb *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int open = 0, any = 0;

	for (; *p; p++) {
		if (*p == '\'') {
			if (open)
				sb_add(b, "'", 1);
			if (any)
				sb_add(b, " . ", 3);
			sb_add(b, "\"'\"", 3);
			open = 0;
			any = 1;
			continue;
		}
		if (!open) {
			if (any)
				sb_add(b, " . ", 3);
			sb_add(b, "'", 1);
			open = any = 1;
		}
		if (*p < 0x20 || *p == 0x7f)
			sb_add(b, " ", 1);
		else
			sb_add(b, (const char *)p, 1);
	}
	if (open)
		sb_add(b, "'", 1);
	else if (!any)
		sb_add(b, "''", 2);
}

char *
bess_plot_quote(const char *s)
{
	struct sb b = { 0 };

	sb_quote(&b, s);
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/* A number for a datablock: NaN for missing, 6 significant digits otherwise. */
static void
sb_num(struct sb *b, double v)
{
	if (isnan(v))
		sb_add(b, "NaN", 3);
	else
		sb_printf(b, "%.6g", v);
}

/* A time (seconds since 1970) for a datablock: whole seconds unless it has a fraction. */
static void
sb_time(struct sb *b, double x)
{
	if (isnan(x))
		sb_add(b, "NaN", 3);
	else if (x == floor(x))
		sb_printf(b, "%.0f", x);
	else
		sb_printf(b, "%.6f", x);
}

/* ---- names ---- */

static const char *const panel_names[BESS_PANEL_N] = { "price", "battery", "soc", "site", "other" };
static const char *const fmt_names[] = { "png", "svg", "pdf", "html", "text" };

void
bess_plot_opts_init(struct bess_plot_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->fmt = BESS_PLOT_PNG;
	o->view = BESS_VIEW_TIME;
	o->capacity_kwh = NAN;
	o->soc_min = NAN;
	o->soc_max = NAN;
}

const char *
bess_plot_panel_name(int panel)
{
	return panel >= 0 && panel < BESS_PANEL_N ? panel_names[panel] : "?";
}

int
bess_plot_panel_parse(const char *name)
{
	int i;

	for (i = 0; i < BESS_PANEL_N; i++)
		if (strcmp(name, panel_names[i]) == 0)
			return i;
	return -1;
}

const char *
bess_plot_fmt_name(enum bess_plot_fmt f)
{
	return (unsigned)f < sizeof(fmt_names) / sizeof(fmt_names[0]) ? fmt_names[f] : "?";
}

int
bess_plot_fmt_parse(const char *name, enum bess_plot_fmt *f)
{
	size_t i;

	for (i = 0; i < sizeof(fmt_names) / sizeof(fmt_names[0]); i++)
		if (strcmp(name, fmt_names[i]) == 0) {
			*f = (enum bess_plot_fmt)i;
			return 0;
		}
	if (strcmp(name, "txt") == 0 || strcmp(name, "dumb") == 0) {
		*f = BESS_PLOT_TEXT;
		return 0;
	}
	if (strcmp(name, "htm") == 0) {
		*f = BESS_PLOT_HTML;
		return 0;
	}
	return -1;
}

int
bess_plot_fmt_from_path(const char *path, enum bess_plot_fmt *f)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	char ext[8];
	size_t i;

	if (dot == NULL || (slash && slash > dot) || strlen(dot + 1) >= sizeof(ext))
		return -1;
	for (i = 0; dot[1 + i]; i++)
		ext[i] = (char)((dot[1 + i] >= 'A' && dot[1 + i] <= 'Z') ? dot[1 + i] + 32 : dot[1 + i]);
	ext[i] = '\0';
	if (strcmp(ext, "text") == 0 || strcmp(ext, "dumb") == 0)
		return -1;	/* only .txt names a text chart */
	return bess_plot_fmt_parse(ext, f);
}

/* ---- time ticks ---- */

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
	"Sep", "Oct", "Nov", "Dec" };

static void
to_civil(const struct bess_tz *tz, bess_time_t t, struct bess_civil *c)
{
	if (tz)
		bess_time_to_civil(tz, t, c);
	else
		bess_time_to_civil_utc(t, c);
}

/* The instant a local wall clock (as microseconds read as UTC) shows first; 0 if it never does. */
static int
from_local(const struct bess_tz *tz, int64_t local_us, bess_time_t *t)
{
	bess_time_t two[2];
	int k;

	if (tz == NULL) {
		*t = local_us;
		return 1;
	}
	k = bess_tz_local_to_utc(tz, local_us, two);
	if (k == 0)
		return 0;	/* skipped by a spring change */
	*t = two[0];		/* the earlier of a fold */
	return 1;
}

/* Tick steps: sub-day steps in seconds of wall clock, then days, weeks, months, years. */
struct tickstep {
	int kind;	/* 0 = seconds within a day, 1 = days, 2 = weeks (Mondays), 3 = months, 4 = years */
	int n;		/* how many of them */
	double approx_s;	/* rough length, to count ticks */
};

static const struct tickstep tick_steps[] = {
	{ 0, 900, 900 }, { 0, 1800, 1800 }, { 0, 3600, 3600 }, { 0, 7200, 7200 },
	{ 0, 10800, 10800 }, { 0, 21600, 21600 }, { 0, 43200, 43200 },
	{ 1, 1, 86400 }, { 1, 2, 2 * 86400 }, { 2, 1, 7 * 86400 }, { 2, 2, 14 * 86400 },
	{ 3, 1, 30.44 * 86400 }, { 3, 3, 91.3 * 86400 }, { 3, 6, 182.6 * 86400 },
	{ 4, 1, 365.25 * 86400 }, { 4, 5, 5 * 365.25 * 86400 }, { 4, 10, 3652.5 * 86400 },
	{ 4, 100, 36525.0 * 86400 }
};

int
bess_plot_ticks(const struct bess_tz *tz, bess_time_t x0, bess_time_t x1, int maxticks,
    bess_time_t *pos, char (*label)[BESS_TICK_LABELSZ])
{
	const struct tickstep *st = NULL;
	struct bess_civil c0, c;
	int64_t day, day1;
	size_t k;
	int n = 0;

	if (maxticks < 1 || x1 <= x0)
		return 0;
	for (k = 0; k < sizeof(tick_steps) / sizeof(tick_steps[0]); k++) {
		st = &tick_steps[k];
		if ((double)(x1 - x0) / BESS_US_PER_S / st->approx_s <= maxticks - 1)
			break;
	}
	to_civil(tz, x0, &c0);
	to_civil(tz, x1, &c);
	day = bess_days_from_civil(c0.year, c0.month, c0.day);
	day1 = bess_days_from_civil(c.year, c.month, c.day);
	for (; day <= day1 && n < maxticks; day++) {
		int y, m, d;
		long s;

		bess_civil_from_days(day, &y, &m, &d);
		for (s = 0; s < 86400 && n < maxticks; s += st->kind == 0 ? st->n : 86400) {
			bess_time_t t;
			int64_t wday = bess_weekday(day);	/* 0 = Sunday */

			if (st->kind == 1 && (day % st->n) != 0)
				break;
			if (st->kind == 2 && (wday != 1 || ((day + 3) / 7) % st->n != 0))
				break;
			if (st->kind == 3 && (d != 1 || (m - 1) % st->n != 0))
				break;
			if (st->kind == 4 && (d != 1 || m != 1 || y % st->n != 0))
				break;
			if (!from_local(tz, (day * 86400 + s) * BESS_US_PER_S, &t))
				continue;
			if (t < x0 || t > x1)
				continue;
			to_civil(tz, t, &c);
			if (c.hour * 3600 + c.min * 60 != s)
				continue;	/* a wall clock that only exists as another time */
			pos[n] = t;
			if (st->kind == 0 && s != 0)
				snprintf(label[n], BESS_TICK_LABELSZ, "%02d:%02d", c.hour, c.min);
			else if (st->kind <= 2)
				snprintf(label[n], BESS_TICK_LABELSZ, "%02d %s", d, months[m - 1]);
			else if (st->kind == 3)
				snprintf(label[n], BESS_TICK_LABELSZ, "%s %d", months[m - 1], y);
			else
				snprintf(label[n], BESS_TICK_LABELSZ, "%d", y);
			n++;
		}
	}
	return n;
}

/* ---- min/max decimation ---- */

size_t
bess_plot_minmax(const double *x, const double *y, size_t n, double x0, double x1,
    size_t ncols, double *ox, double *oy)
{
	size_t i = 0, col, m = 0;
	double w = (x1 - x0) / (double)ncols;

	for (col = 0; col < ncols; col++) {
		double end = col + 1 == ncols ? INFINITY : x0 + w * (double)(col + 1);
		size_t imin = (size_t)-1, imax = (size_t)-1;

		for (; i < n && x[i] < end; i++) {
			if (isnan(y[i]))
				continue;
			if (imin == (size_t)-1 || y[i] < y[imin])
				imin = i;
			if (imax == (size_t)-1 || y[i] > y[imax])
				imax = i;
		}
		if (imin == (size_t)-1) {
			ox[m] = x0 + w * ((double)col + 0.5);
			oy[m++] = NAN;
			continue;
		}
		if (imin == imax) {
			ox[m] = x[imin];
			oy[m++] = y[imin];
		} else {
			size_t a = imin < imax ? imin : imax, b = imin < imax ? imax : imin;

			ox[m] = x[a];
			oy[m++] = y[a];
			ox[m] = x[b];
			oy[m++] = y[b];
		}
	}
	return m;
}

/* ---- what to draw ---- */

enum { ST_STEP, ST_LINE, ST_BARS, ST_CONST };

/* One thing drawn in a panel. */
struct series {
	const char *title;	/* legend text (a column name or a fixed word) */
	char ctitle[64];	/* storage for composed titles (limits) */
	const double *y;	/* values per row (NaN = missing); bars: the upward part */
	const double *y2;	/* bars: the downward part (<= 0), or NULL */
	const char *title2;	/* bars: legend text of the downward part */
	double c;		/* ST_CONST: the value */
	const char *color;	/* '#rrggbb' */
	const char *color2;	/* bars: colour of the downward part */
	int style;		/* ST_* */
};

#define MAXSERIES 16

struct panel {
	int kind;			/* enum bess_panel */
	char ylabel[128];		/* axis label with unit */
	struct series s[MAXSERIES];
	int ns;
};

/* Columns the panels know, in legend order. */
static const struct known {
	const char *col;	/* canonical column name */
	int panel;		/* enum bess_panel */
	const char *color;
} known[] = {
	{ "price", BESS_PANEL_PRICE, "#1f77b4" },
	{ "export_price", BESS_PANEL_PRICE, "#17becf" },
	{ "battery_kw", BESS_PANEL_BATTERY, NULL },
	{ "charge_kw", BESS_PANEL_BATTERY, NULL },
	{ "discharge_kw", BESS_PANEL_BATTERY, NULL },
	{ "soc_kwh", BESS_PANEL_SOC, "#9467bd" },
	{ "soc_pct", BESS_PANEL_SOC, "#9467bd" },
	{ "soc_min_kwh", BESS_PANEL_SOC, "#7f7f7f" },
	{ "soc_max_kwh", BESS_PANEL_SOC, "#7f7f7f" },
	{ "load_kw", BESS_PANEL_SITE, "#444444" },
	{ "solar_kw", BESS_PANEL_SITE, "#ff7f0e" },
	{ "grid_import_kw", BESS_PANEL_SITE, "#8c564b" },
	{ "grid_export_kw", BESS_PANEL_SITE, "#e377c2" },
	{ NULL, 0, NULL }
};

static const char *const other_colors[] = { "#1f77b4", "#d62728", "#2ca02c", "#9467bd",
	"#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f" };

#define C_CHARGE	"#2ca02c"
#define C_DISCHARGE	"#d62728"

/* Everything one script build needs. */
struct ctx {
	const struct bess_table *t;
	const struct bess_plot_opts *o;
	size_t n;			/* rows */
	double *x;			/* row times, seconds since 1970 */
	double step;			/* typical step, seconds (median of positive differences) */
	double x0, x1;			/* time axis range, seconds: first row to last row + step */
	double **cols;			/* per table column: numbers, loaded on demand (NULL = not loaded) */
	double *pos, *neg;		/* battery: upward (charge) and downward (discharge) parts */
	struct panel panel[BESS_PANEL_N];
	int order[BESS_PANEL_N];	/* panels drawn, top first */
	int np;
	int W, H;			/* terminal size, pixels or characters */
	int text;			/* dumb terminal: sizes in characters */
	struct bess_err *err;
};

static int
oom(struct ctx *c)
{
	return bess_err_set(c->err, NULL, 0, "out of memory");
}

#define PLOT_MAX	1e300	/* largest magnitude drawn */

/* Column values as numbers (cached); NULL with err filled when not numeric or beyond PLOT_MAX. */
static const double *
column(struct ctx *c, int col)
{
	if (c->cols[col] == NULL) {
		if ((c->cols[col] = malloc((c->n ? c->n : 1) * sizeof(double))) == NULL) {
			oom(c);
			return NULL;
		}
		if (bess_table_num(c->t, col, c->cols[col], c->err) != 0)
			return NULL;
		for (size_t i = 0; i < c->n; i++)	/* gnuplot's autoscale overflows near 1.8e308 */
			if (fabs(c->cols[col][i]) > PLOT_MAX) {
				bess_err_set(c->err, c->t->file[c->t->src[i]], c->t->line[i],
				    "column '%s': %g is too large to draw (beyond %g either way)",
				    c->t->schema.name[col], c->cols[col][i], PLOT_MAX);
				return NULL;
			}
	}
	return c->cols[col];
}

/* Is column name wanted (by --columns, or by default when it is a known one)? */
static int
wanted(const struct ctx *c, const char *name)
{
	const char *const *p;

	if (c->o->columns == NULL)
		return 1;
	for (p = c->o->columns; *p; p++)
		if (strcmp(*p, name) == 0)
			return 1;
	return 0;
}

static struct series *
add_series(struct ctx *c, int panel, const char *title, const double *y, int style,
    const char *color)
{
	struct panel *p = &c->panel[panel];
	struct series *s;

	if (p->ns >= MAXSERIES)
		return NULL;
	s = &p->s[p->ns++];
	memset(s, 0, sizeof(*s));
	s->title = title;
	s->y = y;
	s->style = style;
	s->color = color;
	return s;
}

/* Does y hold at least one value? */
static int
has_values(const double *y, size_t n)
{
	size_t i;

	for (i = 0; y && i < n; i++)
		if (!isnan(y[i]))
			return 1;
	return 0;
}

/* Drop what has no value at all: gnuplot refuses a plot whose every point is undefined. */
static void
prune(struct ctx *c, struct panel *p)
{
	int j, k, lines = 0;

	for (j = k = 0; j < p->ns; j++) {
		struct series *s = &p->s[j];

		if (s->style == ST_BARS) {
			if (!has_values(s->y, c->n))
				s->title = NULL;
			if (!has_values(s->y2, c->n))
				s->y2 = NULL;
			if (s->title == NULL && s->y2 == NULL)
				continue;
		} else if (s->style != ST_CONST && !has_values(s->y, c->n))
			continue;
		if (s->style != ST_CONST)
			lines++;
		if (k != j)
			p->s[k] = *s;
		k++;
	}
	p->ns = lines ? k : 0;	/* limits alone are no chart */
}

/* The y range of a panel: gnuplot's autoscale, unless every value is the same (gnuplot would warn). */
static void
yrange(const struct ctx *c, const struct panel *p, struct sb *b)
{
	double lo = INFINITY, hi = -INFINITY, d;
	size_t i;
	int j;

	for (j = 0; j < p->ns; j++) {
		const struct series *s = &p->s[j];

		if (s->style == ST_CONST) {
			lo = fmin(lo, s->c);
			hi = fmax(hi, s->c);
			continue;
		}
		for (i = 0; i < c->n; i++) {
			if (s->y && !isnan(s->y[i]) && (s->style != ST_BARS || s->title)) {
				lo = fmin(lo, s->y[i]);
				hi = fmax(hi, s->y[i]);
			}
			if (s->y2 && !isnan(s->y2[i])) {
				lo = fmin(lo, s->y2[i]);
				hi = fmax(hi, s->y2[i]);
			}
		}
	}
	if (lo < hi || !isfinite(lo)) {
		sb_puts(b, "set autoscale y\n");
		return;
	}
	d = lo == 0 ? 1 : fabs(lo) * 0.1;
	if (!(lo - d < hi + d) || d < 1e-300)	/* a subnormal constant: d underflows */
		d = 1;
	sb_printf(b, "set yrange [%.10g:%.10g]\n", lo - d, hi + d);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Times in seconds, checked to increase; the typical step. */
static int
load_times(struct ctx *c)
{
	const struct bess_table *t = c->t;
	double *d;
	size_t i, nd = 0;

	if ((c->x = malloc(c->n * sizeof(double))) == NULL)
		return oom(c);
	for (i = 0; i < c->n; i++) {
		c->x[i] = (double)t->ts[i] / BESS_US_PER_S;
		if (i > 0 && t->ts[i] <= t->ts[i - 1]) {
			char a[BESS_TIME_BUFSZ];

			return bess_err_set(c->err, t->file[t->src[i]], t->line[i],
			    "time '%s' is not after the previous record's: bess-plot draws one series "
			    "in time order (bess-ingest --sort, --device)", bess_time_format(t->ts[i], a));
		}
	}
	c->step = 3600;	/* one record: draw it as an hour */
	if (c->n > 1) {
		if ((d = malloc((c->n - 1) * sizeof(double))) == NULL)
			return oom(c);
		for (i = 1; i < c->n; i++)
			d[nd++] = c->x[i] - c->x[i - 1];
		qsort(d, nd, sizeof(double), cmp_double);
		c->step = d[nd / 2];
		free(d);
	}
	c->x0 = c->x[0];
	c->x1 = c->x[c->n - 1] + c->step;
	return 0;
}

/* Does a gap (more than 1.5 steps without a record) follow row i? */
static int
gap_after(const struct ctx *c, size_t i)
{
	return i + 1 < c->n && c->x[i + 1] - c->x[i] > 1.5 * c->step;
}

/* Number of a limit in the SOC panel's unit; NAN with err filled when it cannot be converted. */
static double
soc_limit(struct ctx *c, double v, int is_pct, int axis_pct, const char *what)
{
	double cap = c->o->capacity_kwh;

	if (isnan(v) || is_pct == axis_pct)
		return v;
	if (isnan(cap)) {
		bess_err_set(c->err, NULL, 0, "--%s in %s needs --capacity to be drawn on the SOC axis in %s",
		    what, is_pct ? "%" : "kWh", axis_pct ? "%" : "kWh");
		return NAN;
	}
	return is_pct ? v / 100 * cap : v / cap * 100;
}

/* Sort the table's columns into panels. */
static int
build_panels(struct ctx *c)
{
	const struct bess_table *t = c->t;
	const struct known *k;
	int ibat = -1, ich = -1, idis = -1, isoc_kwh = -1, isoc_pct = -1, i, j;
	const double *v;

	for (i = 0; i < BESS_PANEL_N; i++)
		c->panel[i].kind = i;
	/* --columns names must exist and not be the time */
	if (c->o->columns) {
		const char *const *p;

		for (p = c->o->columns; *p; p++) {
			if (strcmp(*p, "ts") == 0)
				return bess_err_set(c->err, NULL, 0, "column 'ts' is the time axis, not a series");
			if (bess_table_col(t, *p) < 0)
				return bess_err_set(c->err, NULL, 0, "no column '%s' in the input", *p);
		}
	}
	for (k = known; k->col; k++) {
		int col = bess_table_col(t, k->col);

		if (col < 0 || !wanted(c, k->col))
			continue;
		if (strcmp(k->col, "battery_kw") == 0)
			ibat = col;
		else if (strcmp(k->col, "charge_kw") == 0)
			ich = col;
		else if (strcmp(k->col, "discharge_kw") == 0)
			idis = col;
		else if (strcmp(k->col, "soc_kwh") == 0)
			isoc_kwh = col;
		else if (strcmp(k->col, "soc_pct") == 0)
			isoc_pct = col;
		else if (strncmp(k->col, "soc_m", 5) == 0)
			continue;	/* limits: added with the SOC line */
		else {
			if ((v = column(c, col)) == NULL)
				return -1;
			add_series(c, k->panel, t->schema.name[col], v, ST_STEP, k->color);
		}
	}
	/* battery: charge up, discharge down; separate columns win over the net one */
	if (ich >= 0 || idis >= 0 || ibat >= 0) {
		const double *ch = NULL, *dis = NULL, *bat = NULL;
		size_t r;
		struct series *s;

		if ((c->pos = malloc(c->n * sizeof(double))) == NULL ||
		    (c->neg = malloc(c->n * sizeof(double))) == NULL)
			return oom(c);
		if (ich >= 0 && (ch = column(c, ich)) == NULL)
			return -1;
		if (idis >= 0 && (dis = column(c, idis)) == NULL)
			return -1;
		if (ich < 0 && idis < 0 && (bat = column(c, ibat)) == NULL)
			return -1;
		for (r = 0; r < c->n; r++) {
			if (bat) {
				c->pos[r] = isnan(bat[r]) ? NAN : bat[r] > 0 ? bat[r] : 0;
				c->neg[r] = isnan(bat[r]) ? NAN : bat[r] < 0 ? bat[r] : 0;
			} else {
				c->pos[r] = ch ? ch[r] : NAN;
				c->neg[r] = dis ? -dis[r] : NAN;
			}
		}
		s = add_series(c, BESS_PANEL_BATTERY, "charge", c->pos, ST_BARS, C_CHARGE);
		s->y2 = c->neg;
		s->title2 = "discharge";
		s->color2 = C_DISCHARGE;
		if (bat == NULL && ch == NULL)
			s->title = NULL;	/* only a discharge column */
		if (bat == NULL && dis == NULL)
			s->y2 = NULL;
		snprintf(c->panel[BESS_PANEL_BATTERY].ylabel, sizeof(c->panel[0].ylabel),
		    "battery (kW), + charge / - discharge");
	}
	/* SOC in kWh if there, else percent; limits from options and columns */
	if (isoc_kwh >= 0 || isoc_pct >= 0) {
		int pct = isoc_kwh < 0;
		int col = pct ? isoc_pct : isoc_kwh;
		double lim[3];
		static const char *const lname[3] = { "min", "max", "capacity" };
		struct series *s;

		if ((v = column(c, col)) == NULL)
			return -1;
		add_series(c, BESS_PANEL_SOC, t->schema.name[col], v, ST_LINE, "#9467bd");
		lim[0] = soc_limit(c, c->o->soc_min, c->o->soc_min_pct, pct, "soc-min");
		if (isnan(lim[0]) && !isnan(c->o->soc_min))
			return -1;
		lim[1] = soc_limit(c, c->o->soc_max, c->o->soc_max_pct, pct, "soc-max");
		if (isnan(lim[1]) && !isnan(c->o->soc_max))
			return -1;
		lim[2] = pct ? NAN : c->o->capacity_kwh;
		for (j = 0; j < 3; j++) {
			char num[32];

			if (isnan(lim[j]))
				continue;
			s = add_series(c, BESS_PANEL_SOC, NULL, NULL, ST_CONST, j == 2 ? "#000000" : "#7f7f7f");
			s->c = lim[j];
			bess_fmt_fixed(lim[j], 3, num);
			snprintf(s->ctitle, sizeof(s->ctitle), "%s %s %s", lname[j], num, pct ? "%" : "kWh");
			s->title = s->ctitle;
		}
		if (!pct)
			for (j = 0; j < 2; j++) {
				int lc = bess_table_col(t, j ? "soc_max_kwh" : "soc_min_kwh");

				if (lc < 0 || !wanted(c, t->schema.name[lc]))
					continue;
				if ((v = column(c, lc)) == NULL)
					return -1;
				add_series(c, BESS_PANEL_SOC, t->schema.name[lc], v, ST_STEP, "#7f7f7f");
			}
		snprintf(c->panel[BESS_PANEL_SOC].ylabel, sizeof(c->panel[0].ylabel), "SOC (%s)",
		    pct ? "%" : "kWh");
	}
	if (c->o->currency)
		snprintf(c->panel[BESS_PANEL_PRICE].ylabel, sizeof(c->panel[0].ylabel),
		    "price (%s/kWh)", c->o->currency);
	else
		snprintf(c->panel[BESS_PANEL_PRICE].ylabel, sizeof(c->panel[0].ylabel),
		    "price (per kWh)");
	snprintf(c->panel[BESS_PANEL_SITE].ylabel, sizeof(c->panel[0].ylabel), "power (kW)");
	/* --columns that no panel takes */
	if (c->o->columns) {
		const char *const *p;
		enum bess_dim dim = 0;
		int same = 1;

		for (p = c->o->columns; *p; p++) {
			int col = bess_table_col(t, *p);

			for (k = known; k->col; k++)
				if (strcmp(k->col, *p) == 0)
					break;
			if (k->col)
				continue;
			if ((v = column(c, col)) == NULL)
				return -1;
			if (c->panel[BESS_PANEL_OTHER].ns == 0)
				dim = bess_column_dim(*p);
			else if (bess_column_dim(*p) != dim)
				same = 0;
			if (add_series(c, BESS_PANEL_OTHER, t->schema.name[col], v, ST_STEP,
			    other_colors[c->panel[BESS_PANEL_OTHER].ns % 8]) == NULL)
				return bess_err_set(c->err, NULL, 0, "too many columns for one panel (at most %d)",
				    MAXSERIES);
		}
		snprintf(c->panel[BESS_PANEL_OTHER].ylabel, sizeof(c->panel[0].ylabel), "%s",
		    same && dim ? bess_dim_name(dim) : "value");
	}
	for (i = 0; i < BESS_PANEL_N; i++)
		prune(c, &c->panel[i]);
	/* which panels, in which order */
	if (c->o->npanels > 0) {
		for (i = 0; i < c->o->npanels; i++) {
			int p = c->o->panels[i];
			static const char *const needs[BESS_PANEL_N] = {
				"price or export_price", "battery_kw, charge_kw or discharge_kw",
				"soc_kwh or soc_pct", "load_kw, solar_kw, grid_import_kw or grid_export_kw",
				"a column named with --columns that no other panel takes"
			};

			if (c->panel[p].ns == 0)
				return bess_err_set(c->err, NULL, 0, "panel '%s' has nothing to draw: it needs %s",
				    panel_names[p], needs[p]);
			c->order[c->np++] = p;
		}
	} else {
		for (i = 0; i < BESS_PANEL_N; i++)
			if (c->panel[i].ns > 0)
				c->order[c->np++] = i;
	}
	if (c->np == 0) {	/* columns there, but empty? */
		if (c->o->columns && c->o->columns[0])
			return bess_err_set(c->err, NULL, 0, "nothing to plot: column '%s' has no values",
			    c->o->columns[0]);
		for (k = known; k->col; k++)
			if (bess_table_col(t, k->col) >= 0 && wanted(c, k->col))
				return bess_err_set(c->err, NULL, 0, "nothing to plot: column '%s' has no "
				    "values", k->col);
	}
	if (c->np == 0)
		return bess_err_set(c->err, NULL, 0, "nothing to plot: no column price, export_price, "
		    "battery_kw, charge_kw, discharge_kw, soc_kwh, soc_pct, load_kw, solar_kw, "
		    "grid_import_kw or grid_export_kw (name others with --columns)");
	return 0;
}

/* ---- the script ---- */

/* Layout unit sizes: pixels, or characters for the dumb terminal. */
struct layout {
	double left, right, top, bottom, keyrow, title;
};

static void
get_layout(const struct ctx *c, struct layout *l, int y2)
{
	if (c->text) {
		l->left = 11;
		l->right = y2 ? 10 : 3;
		l->bottom = 3;
		l->keyrow = 2;
		l->title = c->o->title ? 1 : 0;
		l->top = 0;
	} else {
		l->left = 80;
		l->right = y2 ? 80 : 30;
		l->bottom = 52;
		l->keyrow = 24;
		l->title = c->o->title ? 30 : 0;
		l->top = 4;
	}
}

static void
terminal(struct ctx *c, struct sb *b)
{
	const char *font = "'sans,10'";

	switch (c->o->fmt) {
	case BESS_PLOT_PNG:
		sb_printf(b, "set terminal pngcairo size %d,%d font %s noenhanced background '#ffffff'\n",
		    c->W, c->H, font);
		break;
	case BESS_PLOT_SVG:
		sb_printf(b, "set terminal svg size %d,%d font %s noenhanced background '#ffffff'\n",
		    c->W, c->H, font);
		break;
	case BESS_PLOT_HTML:
		sb_printf(b, "set terminal svg size %d,%d mouse standalone font %s noenhanced "
		    "background '#ffffff'\n", c->W, c->H, font);
		break;
	case BESS_PLOT_PDF:
		/* 96 pixels to the inch, as browsers count them */
		sb_printf(b, "set terminal pdfcairo size %.2fin,%.2fin font 'sans,8' noenhanced\n",
		    c->W / 96.0, c->H / 96.0);
		break;
	case BESS_PLOT_TEXT:
		sb_printf(b, "set terminal dumb size %d,%d\n", c->W, c->H);
		break;
	}
	sb_puts(b, "set termoption noenhanced\n");
}

/* Margins of the plot area: l, r in screen fractions. */
static void
hmargins(const struct ctx *c, const struct layout *l, struct sb *b)
{
	sb_printf(b, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n",
	    l->left / c->W, 1 - l->right / c->W);
}

/* Where panel i of np goes: screen fractions of its top and bottom; the key sits above the top. */
static void
vspan(const struct ctx *c, const struct layout *l, int i, int np, double *top, double *bot)
{
	double ph = (c->H - l->title - l->top - l->bottom - np * l->keyrow) / np;
	double t = c->H - l->title - l->top - l->keyrow - i * (ph + l->keyrow);

	*top = t / c->H;
	*bot = (t - ph) / c->H;
}

static void
key_above(const struct ctx *c, const struct layout *l, double top, struct sb *b)
{
	if (c->text)	/* one row above the border: characters are coarse */
		sb_printf(b, "set key horizontal left bottom at screen %.4f, screen %.4f noautotitle\n",
		    l->left / c->W, top + 1.0 / c->H);
	else
		sb_printf(b, "set key horizontal left bottom Left reverse samplen 2 "
		    "at screen %.4f, screen %.4f noautotitle\n", (l->left - 4) / c->W, top);
}

/* Write datablock $name with the series' data; returns the number of data columns written. */
static void
block_series(struct ctx *c, struct sb *b, const char *name, const struct series *s, int decimate,
    size_t ncols, double *bx, double *by)
{
	size_t i;

	sb_printf(b, "$%s << EOD\n", name);
	if (s->style == ST_BARS) {
		if (decimate) {
			double w = (c->x1 - c->x0) / (double)ncols;
			size_t col = 0;

			i = 0;
			for (col = 0; col < ncols; col++) {
				double end = col + 1 == ncols ? INFINITY : c->x0 + w * (double)(col + 1);
				double hi = NAN, lo = NAN;

				for (; i < c->n && c->x[i] < end; i++) {
					if (!isnan(s->y[i]) && (isnan(hi) || s->y[i] > hi))
						hi = s->y[i];
					if (s->y2 && !isnan(s->y2[i]) && (isnan(lo) || s->y2[i] < lo))
						lo = s->y2[i];
				}
				if (isnan(hi) && isnan(lo))
					continue;
				sb_time(b, c->x0 + w * ((double)col + 0.5));
				sb_puts(b, " ");
				sb_num(b, hi);
				sb_puts(b, " ");
				sb_num(b, lo);
				sb_puts(b, " ");
				sb_num(b, w);
				sb_puts(b, "\n");
			}
		} else {
			for (i = 0; i < c->n; i++) {
				double w = i + 1 < c->n && c->x[i + 1] - c->x[i] < c->step ?
				    c->x[i + 1] - c->x[i] : c->step;

				if (isnan(s->y[i]) && (s->y2 == NULL || isnan(s->y2[i])))
					continue;
				sb_time(b, c->x[i] + w / 2);
				sb_puts(b, " ");
				sb_num(b, s->y[i]);
				sb_puts(b, " ");
				sb_num(b, s->y2 ? s->y2[i] : NAN);
				sb_puts(b, " ");
				sb_num(b, w);
				sb_puts(b, "\n");
			}
		}
	} else if (decimate) {
		size_t m = bess_plot_minmax(c->x, s->y, c->n, c->x0, c->x1, ncols, bx, by);

		for (i = 0; i < m; i++) {
			sb_time(b, bx[i]);
			sb_puts(b, " ");
			sb_num(b, by[i]);
			sb_puts(b, "\n");
		}
	} else {
		int broken = 1;	/* the last row written was a break */

		for (i = 0; i < c->n; i++) {
			if (isnan(s->y[i])) {
				if (!broken) {
					sb_time(b, c->x[i]);
					sb_puts(b, " NaN\n");
				}
				broken = 1;
				continue;
			}
			sb_time(b, c->x[i]);
			sb_puts(b, " ");
			sb_num(b, s->y[i]);
			sb_puts(b, "\n");
			if (s->style == ST_STEP) {
				/* the value holds until the next record, or one step */
				double e = c->x[i] + c->step;

				if (i + 1 < c->n && c->x[i + 1] < e)
					e = c->x[i + 1];
				sb_time(b, e);
				sb_puts(b, " ");
				sb_num(b, s->y[i]);
				sb_puts(b, "\n");
			}
			broken = 0;
			if (gap_after(c, i)) {
				sb_time(b, c->x[i] + c->step);
				sb_puts(b, " NaN\n");
				broken = 1;
			}
		}
	}
	sb_puts(b, "EOD\n");
}

/*
 * The plot command of a panel whose series are in $p<i>s<j>. Daily blocks
 * carry mean, min and max: price and SOC get a min-max band under the mean.
 */
static void
plot_series(const struct ctx *c, struct sb *b, int pi, const struct panel *p, int daily)
{
	int j;

	sb_puts(b, "plot ");
	for (j = 0; j < p->ns; j++) {
		const struct series *s = &p->s[j];

		if (j)
			sb_puts(b, ", \\\n     ");
		switch (s->style) {
		case ST_CONST:
			sb_printf(b, "%.10g with lines lw 1.2 dt 2 lc rgb ", s->c);
			sb_quote(b, s->color);
			break;
		case ST_BARS:
			if (s->title) {
				sb_printf(b, "$p%ds%d using ($1):2:4 with boxes fs solid 1.0 noborder lc rgb ", pi, j);
				sb_quote(b, s->color);
			}
			if (s->y2) {
				if (s->title) {
					sb_puts(b, " title ");
					sb_quote(b, s->title);
					sb_puts(b, ", \\\n     ");
				}
				sb_printf(b, "$p%ds%d using ($1):3:4 with boxes fs solid 1.0 noborder lc rgb ", pi, j);
				sb_quote(b, s->color2);
				sb_puts(b, " title ");
				sb_quote(b, s->title2);
				continue;
			}
			break;
		default:
			if (daily && !c->text && (p->kind == BESS_PANEL_PRICE || p->kind == BESS_PANEL_SOC)) {
				sb_printf(b, "$p%ds%d using ($1):3:4 with filledcurves fs transparent solid 0.2 "
				    "noborder lc rgb ", pi, j);
				sb_quote(b, s->color);
				sb_puts(b, " notitle, \\\n     ");
			}
			sb_printf(b, "$p%ds%d using ($1):2 with lines lw %s lc rgb ", pi, j,
			    daily || s->style == ST_LINE ? "1.5" : "1.2");
			sb_quote(b, s->color);
			break;
		}
		if (s->title) {
			sb_puts(b, " title ");
			sb_quote(b, s->title);
		}
	}
	sb_puts(b, "\n");
}

/* The x axis: ticks at round local times, labels on the bottom panel only. */
static int
xaxis(struct ctx *c, struct sb *b, double x0, double x1, double plotw, char **labelled, char **bare)
{
	int maxt = (int)(plotw / (c->text ? 14 : 70));
	bess_time_t *pos;
	char (*lab)[BESS_TICK_LABELSZ];
	struct sb l = { 0 }, u = { 0 };
	int n, i;

	(void)b;
	if (maxt < 2)
		maxt = 2;
	pos = malloc((size_t)maxt * sizeof(*pos));
	lab = malloc((size_t)maxt * sizeof(*lab));
	if (pos == NULL || lab == NULL) {
		free(pos);
		free(lab);
		return oom(c);
	}
	n = bess_plot_ticks(c->o->tz, (bess_time_t)llround(x0 * BESS_US_PER_S),
	    (bess_time_t)llround(x1 * BESS_US_PER_S), maxt, pos, lab);
	sb_puts(&l, "set xtics (");
	sb_puts(&u, "set xtics (");
	for (i = 0; i < n; i++) {
		if (i) {
			sb_puts(&l, ", ");
			sb_puts(&u, ", ");
		}
		sb_quote(&l, lab[i]);
		sb_puts(&l, " ");
		sb_time(&l, (double)pos[i] / BESS_US_PER_S);
		sb_time(&u, (double)pos[i] / BESS_US_PER_S);
	}
	sb_puts(&l, ")\n");
	sb_puts(&u, ")\nset format x ''\n");
	free(pos);
	free(lab);
	if (l.oom || u.oom) {
		free(l.p);
		free(u.p);
		return oom(c);
	}
	*labelled = l.p;
	*bare = u.p;
	return 0;
}

/* "time (UTC), 2023-03-01 to 2023-03-31" */
static void
xlabel(struct ctx *c, struct sb *b, double x0, double x1, const char *note)
{
	struct bess_civil a, z;
	char text[200];
	const char *zone = c->o->tz ? bess_tz_name(c->o->tz) : "UTC";

	to_civil(c->o->tz, (bess_time_t)llround(x0 * BESS_US_PER_S), &a);
	/* the last instant drawn, not the end of the axis */
	to_civil(c->o->tz, (bess_time_t)llround(x1 * BESS_US_PER_S) - 1, &z);
	snprintf(text, sizeof(text), "time (%s), %04d-%02d-%02d to %04d-%02d-%02d%s", zone,
	    a.year, a.month, a.day, z.year, z.month, z.day, note);
	sb_puts(b, "set xlabel ");
	sb_quote(b, text);
	sb_puts(b, "\n");
}

static void
header(struct ctx *c, struct sb *b, const char *what)
{
	char a[BESS_TIME_BUFSZ], z[BESS_TIME_BUFSZ];

	sb_printf(b, "# bess-plot: %s of %zu record%s, %s to %s\n", what, c->n, c->n == 1 ? "" : "s",
	    bess_time_format(c->t->ts[0], a), bess_time_format(c->t->ts[c->n - 1], z));
	sb_puts(b, "# the chart goes to standard output: gnuplot THIS-FILE > chart\n");
	terminal(c, b);
}

static void
multiplot_start(struct ctx *c, struct sb *b)
{
	sb_puts(b, "set multiplot");
	if (c->o->title) {
		sb_puts(b, " title ");
		sb_quote(b, c->o->title);
		if (!c->text)
			sb_puts(b, " font 'sans,12'");
	}
	sb_puts(b, "\n");
}

static void
common_style(struct ctx *c, struct sb *b)
{
	if (!c->text)
		sb_puts(b, "set grid xtics ytics lc rgb '#dddddd' lt 1 lw 1\n");
	sb_puts(b, "set border 3 lc rgb '#444444'\nset tics nomirror out scale 0.5\n");
	/* the dumb terminal would draw the zero line with the first series' character */
	if (!c->text)
		sb_puts(b, "set xzeroaxis lt 1 lc rgb '#888888'\n");
	else
		sb_puts(b, "set tics scale 0\n");
}

/* The multiplot of the time and daily views: panels stacked over one time axis from x0 to x1. */
static int
stack_panels(struct ctx *c, struct sb *b, const struct layout *l, double x0, double x1,
    int daily)
{
	char *tl = NULL, *tu = NULL;
	int i;

	if (xaxis(c, b, x0, x1, c->W - l->left - l->right, &tl, &tu) != 0)
		return -1;
	multiplot_start(c, b);
	common_style(c, b);
	sb_puts(b, "set xdata time\nset timefmt '%s'\n");
	sb_printf(b, "set xrange [%.6f:%.6f]\n", x0, x1);
	hmargins(c, l, b);
	for (i = 0; i < c->np; i++) {
		const struct panel *p = &c->panel[c->order[i]];
		double top, bot;

		vspan(c, l, i, c->np, &top, &bot);
		sb_printf(b, "# panel %s%s\nset tmargin at screen %.4f\nset bmargin at screen %.4f\n",
		    panel_names[p->kind], daily ? ", daily" : "", top, bot);
		key_above(c, l, top, b);
		sb_puts(b, "set ylabel ");
		sb_quote(b, p->ylabel);
		sb_puts(b, "\n");
		yrange(c, p, b);
		if (i + 1 == c->np) {
			sb_puts(b, tl);
			xlabel(c, b, x0, x1, daily ? ", one value per day: mean (band: min to max)" : "");
		} else {
			sb_puts(b, tu);
			sb_puts(b, "unset xlabel\n");
		}
		plot_series(c, b, i, p, daily);
	}
	sb_puts(b, "unset multiplot\n");
	free(tl);
	free(tu);
	return 0;
}

/* Time and daily views: the same panels over a time axis. */
static int
time_view(struct ctx *c, struct sb *b)
{
	struct layout l;
	double plotw, *bx = NULL, *by = NULL;
	size_t ncols;
	int decimate, i, j;

	get_layout(c, &l, 0);
	plotw = c->W - l.left - l.right;
	ncols = (size_t)(plotw > 1 ? plotw : 1);
	decimate = !c->o->no_decimate && c->n > ncols;
	header(c, b, decimate ? "time chart (min/max per column)" : "time chart");
	if ((bx = malloc(2 * ncols * sizeof(double))) == NULL ||
	    (by = malloc(2 * ncols * sizeof(double))) == NULL) {
		free(bx);
		return oom(c);
	}
	for (i = 0; i < c->np; i++) {
		const struct panel *p = &c->panel[c->order[i]];

		for (j = 0; j < p->ns; j++) {
			char name[32];

			if (p->s[j].style == ST_CONST)
				continue;
			snprintf(name, sizeof(name), "p%ds%d", i, j);
			block_series(c, b, name, &p->s[j], decimate, ncols, bx, by);
		}
	}
	free(bx);
	free(by);
	return stack_panels(c, b, &l, c->x0, c->x1, 0);
}

/* ---- daily view ---- */

/*
 * Per local day: start and end instants (seconds) and, per series, mean, min
 * and max (NaN when the day has no value). Rows map to days by their local date.
 */
static int
daily_view(struct ctx *c, struct sb *b)
{
	struct layout l;
	double *ds = NULL, *de = NULL;
	struct dayacc {
		double sum[2];	/* sums of the upward / downward parts (or the values) */
		long cnt[2];	/* their counts */
		double lo, hi;	/* min and max of the values */
	} *acc = NULL;
	int64_t *day = NULL, d0, nd, k;
	size_t r;
	int i, j, rc = -1;

	get_layout(c, &l, 0);
	if ((day = malloc(c->n * sizeof(*day))) == NULL)
		return oom(c);
	for (r = 0; r < c->n; r++) {
		struct bess_civil cv;

		to_civil(c->o->tz, c->t->ts[r], &cv);
		day[r] = bess_days_from_civil(cv.year, cv.month, cv.day);
	}
	d0 = day[0];
	nd = day[c->n - 1] - d0 + 1;
	if ((ds = malloc((size_t)nd * sizeof(double))) == NULL ||
	    (de = malloc((size_t)nd * sizeof(double))) == NULL ||
	    (acc = malloc((size_t)nd * sizeof(*acc))) == NULL) {
		oom(c);
		goto out;
	}
	for (k = 0; k <= nd; k++) {
		bess_time_t t;
		int64_t local = (d0 + k) * 86400 * BESS_US_PER_S;

		/* a midnight that does not exist: the day starts when the clock jumps */
		if (!from_local(c->o->tz, local, &t) && !from_local(c->o->tz, local + BESS_US_PER_H, &t))
			t = local;
		if (k < nd)
			ds[k] = (double)t / BESS_US_PER_S;
		if (k > 0)
			de[k - 1] = (double)t / BESS_US_PER_S;
	}
	header(c, b, "daily chart");
	for (i = 0; i < c->np; i++) {
		const struct panel *p = &c->panel[c->order[i]];

		for (j = 0; j < p->ns; j++) {
			const struct series *s = &p->s[j];
			int part;

			if (s->style == ST_CONST)
				continue;
			sb_printf(b, "$p%ds%d << EOD\n", i, j);
			for (k = 0; k < nd; k++)
				acc[k].sum[0] = acc[k].sum[1] = 0, acc[k].cnt[0] = acc[k].cnt[1] = 0,
				acc[k].lo = acc[k].hi = NAN;
			for (r = 0; r < c->n; r++) {
				struct dayacc *a = &acc[day[r] - d0];

				for (part = 0; part < 2; part++) {
					const double *y = part ? s->y2 : s->y;

					if (y == NULL || isnan(y[r]))
						continue;
					a->sum[part] += y[r];
					a->cnt[part]++;
					if (part == 0 && (isnan(a->lo) || y[r] < a->lo))
						a->lo = y[r];
					if (part == 0 && (isnan(a->hi) || y[r] > a->hi))
						a->hi = y[r];
				}
			}
			for (k = 0; k < nd; k++) {
				const struct dayacc *a = &acc[k];

				if (s->style == ST_BARS) {
					if (a->cnt[0] + a->cnt[1] == 0)
						continue;
					sb_time(b, (ds[k] + de[k]) / 2);
					sb_puts(b, " ");
					sb_num(b, a->cnt[0] ? a->sum[0] / a->cnt[0] : NAN);
					sb_puts(b, " ");
					sb_num(b, a->cnt[1] ? a->sum[1] / a->cnt[1] : NAN);
					sb_puts(b, " ");
					sb_num(b, (de[k] - ds[k]) * 0.8);
					sb_puts(b, "\n");
				} else if (a->cnt[0] == 0) {
					sb_time(b, ds[k]);
					sb_puts(b, " NaN NaN NaN\n");
				} else {
					int e;

					for (e = 0; e < 2; e++) {
						sb_time(b, e ? de[k] : ds[k]);
						sb_puts(b, " ");
						sb_num(b, a->sum[0] / a->cnt[0]);
						sb_puts(b, " ");
						sb_num(b, a->lo);
						sb_puts(b, " ");
						sb_num(b, a->hi);
						sb_puts(b, "\n");
					}
				}
			}
			sb_puts(b, "EOD\n");
		}
	}
	if (stack_panels(c, b, &l, ds[0], de[nd - 1], 1) != 0)
		goto out;
	rc = 0;
out:
	free(day);
	free(ds);
	free(de);
	free(acc);
	return rc;
}

/* ---- price vs battery ---- */

static int
price_view(struct ctx *c, struct sb *b)
{
	const struct panel *pp = &c->panel[BESS_PANEL_PRICE], *bp = &c->panel[BESS_PANEL_BATTERY];
	const double *price = NULL, *pos, *neg;
	double pmin = INFINITY, pmax = -INFINITY, bmin = INFINITY, bmax = -INFINITY;
	double hsum[24][3], top, bot, plotw, ploth;
	long hcnt[24][3];
	unsigned char *seen = NULL;
	struct layout l;
	size_t r, gw, gh;
	int j, cls, h, dedupe;
	static const char *const clsname[3] = { "charge", "discharge", "idle" };
	static const char *const clscolor[3] = { C_CHARGE, C_DISCHARGE, "#999999" };
	char zone[160];

	for (j = 0; j < pp->ns; j++)
		if (strcmp(pp->s[j].title, "price") == 0)
			price = pp->s[j].y;
	if (price == NULL || bp->ns == 0)
		return bess_err_set(c->err, NULL, 0, "the price view needs columns 'price' and "
		    "'battery_kw' (or 'charge_kw'/'discharge_kw')");
	pos = bp->s[0].y;
	neg = bp->s[0].y2;
	get_layout(c, &l, 1);
	plotw = c->W - l.left - l.right;
	ploth = (c->H - l.title - l.top - 2 * l.bottom - 2 * l.keyrow) / 2;
	for (r = 0; r < c->n; r++) {
		double v = (isnan(pos[r]) ? 0 : pos[r]) + (neg && !isnan(neg[r]) ? neg[r] : 0);

		if (isnan(price[r]) || (isnan(pos[r]) && (neg == NULL || isnan(neg[r]))))
			continue;
		pmin = fmin(pmin, price[r]);
		pmax = fmax(pmax, price[r]);
		bmin = fmin(bmin, v);
		bmax = fmax(bmax, v);
	}
	header(c, b, "price vs battery chart");
	/* scatter: one point per pixel and class is enough to see the cloud */
	gw = (size_t)(plotw > 1 ? plotw : 1);
	gh = (size_t)(ploth > 1 ? ploth : 1);
	dedupe = !c->o->no_decimate && c->n > gw;
	if (dedupe && (seen = calloc(3 * gw * gh, 1)) == NULL)
		return oom(c);
	for (cls = 0; cls < 3; cls++) {
		sb_printf(b, "$scatter%d << EOD\n", cls);
		for (r = 0; r < c->n; r++) {
			double v = (isnan(pos[r]) ? 0 : pos[r]) + (neg && !isnan(neg[r]) ? neg[r] : 0);
			int k;

			if (isnan(price[r]) || (isnan(pos[r]) && (neg == NULL || isnan(neg[r]))))
				continue;
			k = v > 0 ? 0 : v < 0 ? 1 : 2;
			if (k != cls)
				continue;
			if (dedupe) {
				size_t gx = pmax > pmin ? (size_t)((price[r] - pmin) / (pmax - pmin) * (double)(gw - 1)) : 0;
				size_t gy = bmax > bmin ? (size_t)((v - bmin) / (bmax - bmin) * (double)(gh - 1)) : 0;
				size_t cell = ((size_t)cls * gh + gy) * gw + gx;

				if (seen[cell])
					continue;
				seen[cell] = 1;
			}
			sb_num(b, price[r]);
			sb_puts(b, " ");
			sb_num(b, v);
			sb_puts(b, "\n");
		}
		sb_puts(b, "EOD\n");
	}
	free(seen);
	/* hour-of-day profile: mean price, mean charge and mean discharge power */
	memset(hsum, 0, sizeof(hsum));
	memset(hcnt, 0, sizeof(hcnt));
	for (r = 0; r < c->n; r++) {
		struct bess_civil cv;

		to_civil(c->o->tz, c->t->ts[r], &cv);
		if (!isnan(price[r])) {
			hsum[cv.hour][0] += price[r];
			hcnt[cv.hour][0]++;
		}
		if (!isnan(pos[r])) {
			hsum[cv.hour][1] += pos[r];
			hcnt[cv.hour][1]++;
		}
		if (neg && !isnan(neg[r])) {
			hsum[cv.hour][2] += neg[r];
			hcnt[cv.hour][2]++;
		}
	}
	sb_puts(b, "$hours << EOD\n");
	for (h = 0; h < 24; h++) {
		sb_printf(b, "%d", h);
		for (j = 0; j < 3; j++) {
			sb_puts(b, " ");
			sb_num(b, hcnt[h][j] ? hsum[h][j] / hcnt[h][j] : NAN);
		}
		sb_puts(b, "\n");
	}
	sb_puts(b, "EOD\n");
	multiplot_start(c, b);
	common_style(c, b);
	hmargins(c, &l, b);
	/* top: battery power against price */
	top = (c->H - l.title - l.top - l.keyrow) / c->H;
	bot = top - ploth / c->H;
	sb_printf(b, "# panel scatter\nset tmargin at screen %.4f\nset bmargin at screen %.4f\n", top, bot);
	key_above(c, &l, top, b);
	sb_puts(b, "set xlabel ");
	sb_quote(b, pp->ylabel);
	sb_puts(b, "\nset ylabel ");
	sb_quote(b, bp->ylabel);
	sb_puts(b, "\nset xtics autofreq\nset format x '% h'\n");
	sb_puts(b, "plot ");
	for (cls = 0; cls < 3; cls++) {
		if (cls)
			sb_puts(b, ", \\\n     ");
		sb_printf(b, "$scatter%d using 1:2 with points pt 7 ps %s lc rgb ", cls, c->text ? "1" : "0.4");
		sb_quote(b, clscolor[cls]);
		sb_puts(b, " title ");
		sb_quote(b, clsname[cls]);
	}
	sb_puts(b, "\n");
	/* bottom: the hours */
	top = bot - (l.bottom + l.keyrow) / c->H;
	bot = top - ploth / c->H;
	sb_printf(b, "# panel hours\nset tmargin at screen %.4f\nset bmargin at screen %.4f\n", top, bot);
	key_above(c, &l, top, b);
	snprintf(zone, sizeof(zone), "hour of day (%s)", c->o->tz ? bess_tz_name(c->o->tz) : "UTC");
	sb_puts(b, "set xlabel ");
	sb_quote(b, zone);
	sb_puts(b, "\nset xrange [-0.5:23.5]\nset xtics 0, 2, 23\nset ylabel 'mean battery power (kW)'\n"
	    "set y2label ");
	sb_quote(b, pp->ylabel);
	sb_puts(b, "\nset y2tics\nset ytics nomirror\n");
	sb_puts(b, "plot $hours using 1:3:(0.8) with boxes fs solid 1.0 noborder lc rgb ");
	sb_quote(b, C_CHARGE);
	sb_puts(b, " title 'mean charge', \\\n     $hours using 1:4:(0.8) with boxes fs solid 0.85 "
	    "noborder lc rgb ");
	sb_quote(b, C_DISCHARGE);
	sb_puts(b, " title 'mean discharge', \\\n     $hours using 1:2 axes x1y2 with linespoints "
	    "lw 1.5 pt 7 ps 0.6 lc rgb ");
	sb_quote(b, "#1f77b4");
	sb_puts(b, " title 'mean price'\nunset multiplot\n");
	return 0;
}

char *
bess_plot_script(const struct bess_table *t, const struct bess_plot_opts *o, size_t *len,
    struct bess_err *err)
{
	struct ctx c;
	struct sb b = { 0 };
	int rc = -1;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.t = t;
	c.o = o;
	c.n = t->n;
	c.err = err;
	c.text = o->fmt == BESS_PLOT_TEXT;
	if (c.n == 0) {
		bess_err_set(err, t->nfile ? t->file[0] : NULL, 0, "no records to plot");
		return NULL;
	}
	if ((c.cols = calloc(t->schema.n ? t->schema.n : 1, sizeof(*c.cols))) == NULL) {
		oom(&c);
		return NULL;
	}
	if (load_times(&c) != 0 || build_panels(&c) != 0)
		goto out;
	if (o->view == BESS_VIEW_PRICE) {
		c.W = o->width > 0 ? o->width : c.text ? 100 : 1000;
		c.H = o->height > 0 ? o->height : c.text ? 44 : 800;
	} else {
		c.W = o->width > 0 ? o->width : c.text ? 110 : 1200;
		c.H = o->height > 0 ? o->height : c.text ? 4 + 15 * c.np : 90 + 220 * c.np;
	}
	switch (o->view) {
	case BESS_VIEW_TIME:
		rc = time_view(&c, &b);
		break;
	case BESS_VIEW_DAILY:
		rc = daily_view(&c, &b);
		break;
	case BESS_VIEW_PRICE:
		rc = price_view(&c, &b);
		break;
	}
	if (rc == 0 && b.oom)
		rc = oom(&c);
out:
	for (i = 0; i < t->schema.n; i++)
		free(c.cols[i]);
	free(c.cols);
	free(c.x);
	free(c.pos);
	free(c.neg);
	if (rc != 0) {
		free(b.p);
		return NULL;
	}
	*len = b.n;
	return b.p;
}

/* ---- HTML ---- */

char *
bess_plot_html(const char *svg, size_t n, const char *title, size_t *len, struct bess_err *err)
{
	struct sb b = { 0 };
	const char *p, *start = NULL;

	/* the first "<svg" element: skip the XML declaration, comments and doctype */
	for (p = svg; p + 4 <= svg + n; p++)
		if (memcmp(p, "<svg", 4) == 0 && (p + 4 == svg + n || p[4] == ' ' || p[4] == '>' ||
		    p[4] == '\n' || p[4] == '\t' || p[4] == '\r')) {
			start = p;
			break;
		}
	if (start == NULL) {
		bess_err_set(err, NULL, 0, "gnuplot wrote no <svg> element");
		return NULL;
	}
	sb_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	for (p = title ? title : "bess-plot"; *p; p++) {
		switch (*p) {
		case '<':
			sb_puts(&b, "&lt;");
			break;
		case '>':
			sb_puts(&b, "&gt;");
			break;
		case '&':
			sb_puts(&b, "&amp;");
			break;
		case '"':
			sb_puts(&b, "&quot;");
			break;
		default:
			sb_add(&b, p, 1);
		}
	}
	sb_puts(&b, "</title>\n<meta name=\"generator\" content=\"bess-plot\">\n"
	    "<style>body { margin: 0; background: #fff; } svg { display: block; }</style>\n"
	    "</head>\n<body>\n");
	sb_add(&b, start, n - (size_t)(start - svg));
	sb_puts(&b, "\n</body>\n</html>\n");
	if (b.oom) {
		free(b.p);
		bess_err_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	*len = b.n;
	return b.p;
}
