/* plot.c: build gnuplot scripts for bess record tables — panels, min/max decimation, daily and price views, safe quoting. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_grow.h"
#include "plot_int.h"

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
	char *q;

	if (b->oom)
		return;
	if ((q = bess_grow(b->p, &b->cap, b->n + len + 1, 4096, 1)) == NULL) {
		b->oom = 1;
		return;
	}
	b->p = q;
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

int
bess_plot_panel_parse(const char *name)
{
	int i;

	for (i = 0; i < BESS_PANEL_N; i++)
		if (strcmp(name, panel_names[i]) == 0)
			return i;
	return -1;
}

int
bess_plot_panels_parse(const char *list, struct bess_plot_opts *o, struct bess_err *err)
{
	char *copy = strdup(list), *p, *tok, *save = NULL;
	int i, k;

	if (copy == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	o->npanels = 0;
	for (p = copy; (tok = strtok_r(p, ",", &save)) != NULL; p = NULL) {
		if ((k = bess_plot_panel_parse(tok)) < 0) {
			bess_err_set(err, NULL, 0, "'%s' is not a panel (price, battery, soc, site, other)", tok);
			free(copy);
			return -1;
		}
		for (i = 0; i < o->npanels; i++)
			if (o->panels[i] == k) {
				bess_err_set(err, NULL, 0, "panel '%s' named twice", tok);
				free(copy);
				return -1;
			}
		o->panels[o->npanels++] = k;
	}
	free(copy);
	if (o->npanels == 0)
		return bess_err_set(err, NULL, 0, "--panels needs at least one panel");
	return 0;
}

int
bess_plot_size_parse(const char *arg, struct bess_plot_opts *o, struct bess_err *err)
{
	char *end;
	long w, h;

	w = strtol(arg, &end, 10);
	if (end == arg || (*end != 'x' && *end != 'X'))
		return bess_err_set(err, NULL, 0, "'%s' is not WIDTHxHEIGHT (e.g. 1200x800)", arg);
	h = strtol(end + 1, &end, 10);
	if (*end || w < 20 || h < 10 || w > 20000 || h > 20000)
		return bess_err_set(err, NULL, 0, "'%s' is not WIDTHxHEIGHT between 20x10 and 20000x20000", arg);
	o->width = (int)w;
	o->height = (int)h;
	return 0;
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

enum { ST_STEP, ST_LINE, ST_BARS, ST_CONST, ST_PLAN };

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

#define MAXSERIES 24	/* per panel: the site's series and BESS_PLOT_MAX_DEVICES devices' */

struct panel {
	int kind;			/* enum bess_panel */
	char ylabel[128];		/* axis label with unit */
	struct series s[MAXSERIES];
	int ns;
};

/* Sixteen colours that keep apart on white (Tableau 10, then darker and brighter companions). */
static const char *const other_colors[] = { "#1f77b4", "#d62728", "#2ca02c", "#9467bd",
	"#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939",
	"#843c39", "#7b4173", "#000000", "#e7ba52" };
#define NOTHER	(int)(sizeof(other_colors) / sizeof(other_colors[0]))

#define C_CHARGE	"#2ca02c"
#define C_DISCHARGE	"#d62728"

/* Everything one script build needs. */
struct ctx {
	const struct bess_plot_data *d;	/* the records */
	const struct bess_plot_opts *o;
	size_t n;			/* rows */
	const double *x;		/* row times, seconds since 1970 */
	double step;			/* typical step, seconds (median of positive differences) */
	double x0, x1;			/* time axis range, seconds: first row to last row + step */
	double *pos, *neg;		/* battery: upward (charge) and downward (discharge) parts */
	double *tdneg;			/* target_discharge_kw, negated (drawn downward) */
	int bat_ch, ch_ch, dis_ch, td_ch;	/* channels behind pos/neg and tdneg, -1 = none */
	struct panel panel[BESS_PANEL_N];
	int order[BESS_PANEL_N];	/* panels drawn, top first */
	int np;
	int W, H;			/* terminal size, pixels or characters */
	int area;			/* battery bars drawn as filled steps (dense: more bars than pixels allow) */
	char note[160];			/* added to the time axis label */
	int krows[BESS_PANEL_N];	/* key rows of the panel drawn i-th (0 = 1) */
	int kcols[BESS_PANEL_N];	/* its key columns */
	int text;			/* dumb terminal: sizes in characters */
	struct bess_err *err;
};

static int
oom(struct ctx *c)
{
	return bess_err_set(c->err, NULL, 0, "out of memory");
}

/* A channel's values over the live rows. */
static const double *
column(struct ctx *c, int ch)
{
	return c->d->v[ch] + c->d->start;
}

/* Channel of a column that appeared in the input, -1 if none did. */
static int
col_of(const struct ctx *c, const char *name)
{
	int ch = bess_plot_data_ch(c->d, name);

	return ch >= 0 && c->d->present[ch] && c->d->v[ch] ? ch : -1;
}

/* Is column name wanted (by --columns, or by default when it is a bess_plot_known one)? */
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
	double *d;
	size_t i, nd = 0;

	c->x = c->d->x + c->d->start;
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
	if (c->d->compactions && c->step < c->d->bucket_s)
		c->step = c->d->bucket_s;	/* rows are bucket extremes: a bucket is the step */
	c->x0 = c->x[0];
	c->x1 = c->x[c->n - 1] + c->step;
	if (c->d->window_s > 0)	/* a sliding window: the axis always spans it, ending now */
		c->x0 = c->x1 - c->d->window_s;
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

/* Sort the channels into panels. */
static int
build_panels(struct ctx *c)
{
	const struct bess_plot_data *dd = c->d;
	const struct known *k;
	int ibat = -1, ich = -1, idis = -1, isoc_kwh = -1, isoc_pct = -1, itc = -1, itd = -1, i, j;
	const double *v;

	for (i = 0; i < BESS_PANEL_N; i++)
		c->panel[i].kind = i;
	/* --columns names must exist */
	if (c->o->columns) {
		const char *const *p;

		for (p = c->o->columns; *p; p++)
			if (col_of(c, *p) < 0)
				return bess_err_set(c->err, NULL, 0, "no column '%s' in the input", *p);
	}
	for (k = bess_plot_known; k->col; k++) {
		int col = col_of(c, k->col);

		if (col < 0 || !wanted(c, k->col))
			continue;
		if (strcmp(k->col, "battery_kw") == 0)
			ibat = col;
		else if (strcmp(k->col, "charge_kw") == 0)
			ich = col;
		else if (strcmp(k->col, "discharge_kw") == 0)
			idis = col;
		else if (strcmp(k->col, "target_charge_kw") == 0)
			itc = col;
		else if (strcmp(k->col, "target_discharge_kw") == 0)
			itd = col;
		else if (strcmp(k->col, "soc_kwh") == 0)
			isoc_kwh = col;
		else if (strcmp(k->col, "soc_pct") == 0)
			isoc_pct = col;
		else if (strncmp(k->col, "soc_m", 5) == 0)
			continue;	/* limits: added with the SOC line */
		else
			add_series(c, k->panel, dd->chname[col], column(c, col), ST_STEP, k->color);
	}
	/* battery: charge up, discharge down; separate columns win over the net one */
	if (ich >= 0 || idis >= 0 || ibat >= 0) {
		const double *ch = NULL, *dis = NULL, *bat = NULL;
		size_t r;
		struct series *s;

		if ((c->pos = malloc((c->n ? c->n : 1) * sizeof(double))) == NULL ||
		    (c->neg = malloc((c->n ? c->n : 1) * sizeof(double))) == NULL)
			return oom(c);
		if (ich >= 0)
			ch = column(c, ich);
		if (idis >= 0)
			dis = column(c, idis);
		if (ich < 0 && idis < 0)
			bat = column(c, ibat);
		for (r = 0; r < c->n; r++) {
			if (bat) {
				c->pos[r] = isnan(bat[r]) ? NAN : bat[r] > 0 ? bat[r] : 0;
				c->neg[r] = isnan(bat[r]) ? NAN : bat[r] < 0 ? bat[r] : 0;
			} else {
				c->pos[r] = ch ? ch[r] : NAN;
				c->neg[r] = dis ? -dis[r] : NAN;
			}
		}
		c->bat_ch = bat ? ibat : -1;
		c->ch_ch = ch ? ich : -1;
		c->dis_ch = dis ? idis : -1;
		s = add_series(c, BESS_PANEL_BATTERY, "charge", c->pos, ST_BARS, C_CHARGE);
		s->y2 = c->neg;
		s->title2 = "discharge";
		s->color2 = C_DISCHARGE;
		if (bat == NULL && ch == NULL)
			s->title = NULL;	/* only a discharge column */
		if (bat == NULL && dis == NULL)
			s->y2 = NULL;
	}
	/* the plan being followed: set-points as steps, charge up and discharge down like the bars */
	if (itc >= 0 || itd >= 0) {
		size_t r;

		if (itc >= 0)
			add_series(c, BESS_PANEL_BATTERY, "target charge", column(c, itc), ST_PLAN, "#0b5d1e");
		if (itd >= 0) {
			const double *td = column(c, itd);

			c->td_ch = itd;
			if ((c->tdneg = malloc((c->n ? c->n : 1) * sizeof(double))) == NULL)
				return oom(c);
			for (r = 0; r < c->n; r++)
				c->tdneg[r] = isnan(td[r]) ? NAN : td[r] == 0 ? 0 : -td[r];
			add_series(c, BESS_PANEL_BATTERY, "target discharge", c->tdneg, ST_PLAN, "#8b0000");
		}
	}
	snprintf(c->panel[BESS_PANEL_BATTERY].ylabel, sizeof(c->panel[0].ylabel),
	    "battery (kW)");
	/* SOC in kWh if there, else percent; limits from options and columns */
	if (isoc_kwh >= 0 || isoc_pct >= 0) {
		int pct = isoc_kwh < 0;
		int col = pct ? isoc_pct : isoc_kwh;
		double lim[3];
		static const char *const lname[3] = { "min", "max", "capacity" };
		struct series *s;

		add_series(c, BESS_PANEL_SOC, dd->chname[col], column(c, col), ST_LINE, "#9467bd");
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
				int lc = col_of(c, j ? "soc_max_kwh" : "soc_min_kwh");

				if (lc < 0 || !wanted(c, dd->chname[lc]))
					continue;
				add_series(c, BESS_PANEL_SOC, dd->chname[lc], column(c, lc), ST_STEP, "#7f7f7f");
			}
		snprintf(c->panel[BESS_PANEL_SOC].ylabel, sizeof(c->panel[0].ylabel), "SOC (%s)",
		    pct ? "%" : "kWh");
	}
	/* per-device records: a series per device, in one colour per device across the panels */
	for (i = 0; i < dd->nch; i++) {
		int pn = dd->devpanel[i] - 1;

		if (pn < 0 || dd->v[i] == NULL)
			continue;
		if (add_series(c, pn, dd->chname[i], column(c, i), pn == BESS_PANEL_SOC ? ST_LINE : ST_STEP,
		    other_colors[dd->devidx[i] % NOTHER]) == NULL)
			return bess_err_set(c->err, NULL, 0, "too many series for the %s panel (at most %d)",
			    panel_names[pn], MAXSERIES);
		if (pn == BESS_PANEL_SOC && c->panel[pn].ylabel[0] == '\0')
			snprintf(c->panel[pn].ylabel, sizeof(c->panel[0].ylabel), "SOC (kWh)");
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
			int col = col_of(c, *p);

			for (k = bess_plot_known; k->col; k++)
				if (strcmp(k->col, *p) == 0)
					break;
			if (k->col)
				continue;
			v = column(c, col);
			if (c->panel[BESS_PANEL_OTHER].ns == 0)
				dim = bess_column_dim(*p);
			else if (bess_column_dim(*p) != dim)
				same = 0;
			if (add_series(c, BESS_PANEL_OTHER, dd->chname[col], v, ST_STEP,
			    other_colors[c->panel[BESS_PANEL_OTHER].ns % NOTHER]) == NULL)
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
				"price or export_price", "battery_kw, charge_kw, discharge_kw, target_charge_kw "
				"or target_discharge_kw",
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
		for (k = bess_plot_known; k->col; k++)
			if (col_of(c, k->col) >= 0 && wanted(c, k->col))
				return bess_err_set(c->err, NULL, 0, "nothing to plot: column '%s' has no "
				    "values", k->col);
	}
	if (c->np == 0)
		return bess_err_set(c->err, NULL, 0, "nothing to plot: no column price, export_price, "
		    "battery_kw, charge_kw, discharge_kw, target_charge_kw, target_discharge_kw, soc_kwh, "
		    "soc_pct, load_kw, solar_kw, grid_import_kw or grid_export_kw (name others with --columns)");
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
		l->title = (c->o->title ? 30 : 0) + (c->o->status ? 24 : 0);
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

/* Where panel i of np goes: screen fractions of its top and bottom; its key rows sit above the top. */
static void
vspan(const struct ctx *c, const struct layout *l, int i, int np, double *top, double *bot)
{
	int j, rows = 0, above = 0;
	double ph, t;

	for (j = 0; j < np; j++) {
		rows += c->krows[j] > 0 ? c->krows[j] : 1;
		if (j <= i)
			above += c->krows[j] > 0 ? c->krows[j] : 1;
	}
	ph = (c->H - l->title - l->top - l->bottom - rows * l->keyrow) / np;
	t = c->H - l->title - l->top - above * l->keyrow - i * ph;
	*top = t / c->H;
	*bot = (t - ph) / c->H;
}

static void band_title(const struct ctx *c, const struct bess_tou_period *p, char *buf, size_t n);

/*
 * How many key rows each panel needs so that every legend entry shows:
 * gnuplot drops the entries of a horizontal key that do not fit its rows.
 * Entries are as wide as the widest: 8.5 px a character plus 36 for the
 * sample and gap (as gnuplot spaces 'sans,10' keys: 333 px for 35
 * characters), or the characters plus 9 in text.
 */
static void
key_plan(struct ctx *c, const struct layout *l)
{
	double plotw = c->W - l->left - l->right + (c->text ? 0 : 4);
	int i, j;

	for (i = 0; i < c->np; i++) {
		const struct panel *p = &c->panel[c->order[i]];
		size_t widest = 0;
		int n = 0, cols;
		double w;

		for (j = 0; j < p->ns; j++) {
			const struct series *s = &p->s[j];

			if (s->title) {
				n++;
				widest = strlen(s->title) > widest ? strlen(s->title) : widest;
			}
			if (s->style == ST_BARS && s->y2 && s->title2) {
				n++;
				widest = strlen(s->title2) > widest ? strlen(s->title2) : widest;
			}
		}
		if (i == 0 && c->o->tariff && !c->text) {
			size_t k;

			for (k = 0; k < c->o->tariff->nperiod && k < 31; k++) {
				char t[200];

				band_title(c, &c->o->tariff->period[k], t, sizeof(t));
				n++;
				widest = strlen(t) > widest ? strlen(t) : widest;
			}
		}
		w = c->text ? (double)widest + 9 : (double)widest * 8.5 + 36;
		cols = (int)(plotw / w);
		if (cols < 1)
			cols = 1;
		c->kcols[i] = cols;
		c->krows[i] = n > cols ? (n + cols - 1) / cols : 1;
	}
}

static void
key_above(const struct ctx *c, const struct layout *l, double top, struct sb *b, int i)
{
	char cols[32] = "";

	if (i >= 0 && c->krows[i] > 1)
		snprintf(cols, sizeof(cols), " maxcols %d maxrows %d", c->kcols[i], c->krows[i]);
	if (c->text)	/* one row above the border: characters are coarse */
		sb_printf(b, "set key horizontal left bottom at screen %.4f, screen %.4f noautotitle%s\n",
		    l->left / c->W, top + 1.0 / c->H, cols);
	else
		sb_printf(b, "set key horizontal left bottom Left reverse samplen 2 "
		    "at screen %.4f, screen %.4f noautotitle%s\n", (l->left - 4) / c->W, top, cols);
}

/* Write datablock $name with the series' data; returns the number of data columns written. */
static void
block_series(struct ctx *c, struct sb *b, const char *name, const struct series *s, int decimate,
    size_t ncols, double *bx, double *by)
{
	size_t i;

	sb_printf(b, "$%s << EOD\n", name);
	if (s->style == ST_BARS && c->area) {
		/* filled steps: each column (or record) as its start and end at the same height */
		double w = decimate ? (c->x1 - c->x0) / (double)ncols : 0;
		size_t col = 0;

		i = 0;
		for (col = 0; decimate ? col < ncols : i < c->n; col++) {
			double a, e, hi = NAN, lo = NAN;

			if (decimate) {
				double end = col + 1 == ncols ? INFINITY : c->x0 + w * (double)(col + 1);

				a = c->x0 + w * (double)col;
				e = a + w;
				for (; i < c->n && c->x[i] < end; i++) {
					if (!isnan(s->y[i]) && (isnan(hi) || s->y[i] > hi))
						hi = s->y[i];
					if (s->y2 && !isnan(s->y2[i]) && (isnan(lo) || s->y2[i] < lo))
						lo = s->y2[i];
				}
			} else {
				a = c->x[i];
				e = i + 1 < c->n && c->x[i + 1] - c->x[i] < c->step ? c->x[i + 1] : c->x[i] + c->step;
				hi = s->y[i];
				lo = s->y2 ? s->y2[i] : NAN;
				i++;
			}
			/* a gap is zero: an area has no breaks */
			sb_time(b, a);
			sb_puts(b, " ");
			sb_num(b, isnan(hi) ? 0 : hi);
			sb_puts(b, " ");
			sb_num(b, isnan(lo) ? 0 : lo);
			sb_puts(b, "\n");
			sb_time(b, e);
			sb_puts(b, " ");
			sb_num(b, isnan(hi) ? 0 : hi);
			sb_puts(b, " ");
			sb_num(b, isnan(lo) ? 0 : lo);
			sb_puts(b, "\n");
		}
	} else if (s->style == ST_BARS) {
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
			if (s->style == ST_STEP || s->style == ST_PLAN) {
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
	int j, area = c->area && !daily;

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
				sb_printf(b, area ? "$p%ds%d using ($1):2 with filledcurves y=0 fs solid 1.0 noborder lc rgb " :
				    "$p%ds%d using ($1):2:4 with boxes fs solid 1.0 noborder lc rgb ", pi, j);
				sb_quote(b, s->color);
			}
			if (s->y2) {
				if (s->title) {
					sb_puts(b, " title ");
					sb_quote(b, s->title);
					sb_puts(b, ", \\\n     ");
				}
				sb_printf(b, area ? "$p%ds%d using ($1):3 with filledcurves y=0 fs solid 1.0 noborder lc rgb " :
				    "$p%ds%d using ($1):3:4 with boxes fs solid 1.0 noborder lc rgb ", pi, j);
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
			if (daily == 2) {	/* text: the day's max and min, two lines */
				sb_printf(b, "$p%ds%d using ($1):4 with lines title ", pi, j);
				sb_quote(b, s->title);
				sb_puts(b, " . ' max', \\\n     ");
				sb_printf(b, "$p%ds%d using ($1):3 with lines title ", pi, j);
				sb_quote(b, s->title);
				sb_puts(b, " . ' min'");
				continue;
			}
			sb_printf(b, "$p%ds%d using ($1):2 with lines lw %s%s lc rgb ", pi, j,
			    daily || s->style == ST_LINE ? "1.5" : s->style == ST_PLAN ? "2" : "1.2",
			    s->style == ST_PLAN && !c->text ? " dt (8,4)" : "");
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
	size_t n = c->d->compactions ? c->d->nrec - c->d->dropped : c->n;

	bess_time_format((bess_time_t)llround(c->x[0] * BESS_US_PER_S), a);
	bess_time_format((bess_time_t)llround(c->x[c->n - 1] * BESS_US_PER_S), z);
	if (c->d->ndev > 0)	/* per-device records: several a row */
		sb_printf(b, "# bess-plot: %s of %zu records of %d device%s, %s to %s\n", what,
		    c->d->nrec, c->d->ndev, c->d->ndev == 1 ? "" : "s", a, z);
	else
		sb_printf(b, "# bess-plot: %s of %zu record%s, %s to %s\n", what, n, n == 1 ? "" : "s", a, z);
	if (c->d->compactions)
		sb_printf(b, "# more than %zu records: gathered first as each bucket's min and max (%.6g s buckets)\n",
		    c->d->rows_cap, c->d->bucket_s);
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

/* ---- time-of-use bands ---- */

static const char *const band_colors[] = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
	"#8c564b", "#e377c2", "#bcbd22" };
#define NBAND	(int)(sizeof(band_colors) / sizeof(band_colors[0]))
#define TOU_MAX_DAYS	93	/* longer spans: no bands (too thin to read) */

/* A period's legend text: "peak 0.35 EUR/kWh, demand 12 EUR/kW". */
static void
band_title(const struct ctx *c, const struct bess_tou_period *p, char *buf, size_t n)
{
	char e[64], dm[64];
	const char *cur = c->o->currency;

	if (isnan(p->energy))
		snprintf(e, sizeof(e), "stream price");
	else {
		bess_fmt_fixed(p->energy, 4, e);
		snprintf(e + strlen(e), sizeof(e) - strlen(e), " %s/kWh", cur ? cur : "per");
	}
	if (p->demand > 0) {
		bess_fmt_fixed(p->demand, 2, dm);
		snprintf(buf, n, "%s %s, demand %s %s/kW", p->name, e, dm, cur ? cur : "per");
	} else
		snprintf(buf, n, "%s %s", p->name, e);
}

/*
 * The tariff's periods over [x0, x1) as shaded rectangles behind every panel
 * (objects), with the rate written in each band wide enough for it (labels,
 * drawn on the top panel only). Scans the wall clock of the tariff's zone
 * minute by minute (15 minutes past a week). Returns the labels' count.
 */
static int
tou_bands(struct ctx *c, struct sb *b, double x0, double x1, double plotw, unsigned *used)
{
	const struct bess_tariff *tf = c->o->tariff;
	double step = x1 - x0 <= 7 * 86400.0 ? 60 : 900, t, start = x0;
	int cur = -2, nobj = 0, nlab = 0;

	*used = 0;
	if (tf == NULL || x1 - x0 > TOU_MAX_DAYS * 86400.0 || c->text)
		return 0;
	for (t = x0;; t += step) {
		int k = -1;

		if (t < x1) {
			struct bess_civil cv;

			bess_time_to_civil(tf->tz, (bess_time_t)llround(t * BESS_US_PER_S), &cv);
			k = bess_tariff_match(tf, &cv);
		}
		if (t >= x1 || k != cur) {
			if (cur >= 0 && t > start) {
				double e = t < x1 ? t : x1;
				const char *col = band_colors[cur % NBAND];

				sb_printf(b, "set object %d rect from %.6f, graph 0 to %.6f, graph 1 behind "
				    "fc rgb ", 100 + nobj++, start, e);
				sb_quote(b, col);
				sb_puts(b, " fs transparent solid 0.12 noborder\n");
				*used |= 1u << (cur < 31 ? cur : 31);
				/* the rate in the band, when the band is wide enough for it (~7 px a character) */
				if ((e - start) / (x1 - x0) * plotw >= 8.0 * 7) {
					char num[64];
					const struct bess_tou_period *p = &tf->period[cur];

					if (isnan(p->energy))
						snprintf(num, sizeof(num), "%s", p->name);
					else {
						size_t m;

						snprintf(num, sizeof(num), "%.24s ", p->name);
						m = strlen(num);
						bess_fmt_fixed(p->energy, 4, num + m);
					}
					sb_printf(b, "set label %d ", 100 + nlab++);
					sb_quote(b, num);
					sb_printf(b, " at %.6f, graph 0.93 center front font ',8' tc rgb '#333333'\n",
					    (start + e) / 2);
				}
			}
			if (t >= x1)
				break;
			cur = k;
			start = t;
		}
	}
	return nlab;
}

/* The multiplot of the time and daily views: panels stacked over one time axis from x0 to x1. */
static int
stack_panels(struct ctx *c, struct sb *b, const struct layout *l, double x0, double x1,
    int daily)
{
	char *tl = NULL, *tu = NULL;
	unsigned used = 0;
	int i, nlab;

	if (xaxis(c, b, x0, x1, c->W - l->left - l->right, &tl, &tu) != 0)
		return -1;
	multiplot_start(c, b);
	common_style(c, b);
	sb_puts(b, "set xdata time\nset timefmt '%s'\n");
	sb_printf(b, "set xrange [%.6f:%.6f]\n", x0, x1);
	hmargins(c, l, b);
	nlab = tou_bands(c, b, x0, x1, c->W - l->left - l->right, &used);
	for (i = 0; i < c->np; i++) {
		const struct panel *p = &c->panel[c->order[i]];
		double top, bot;

		vspan(c, l, i, c->np, &top, &bot);
		sb_printf(b, "# panel %s%s\nset tmargin at screen %.4f\nset bmargin at screen %.4f\n",
		    panel_names[p->kind], daily ? ", daily" : "", top, bot);
		key_above(c, l, top, b, i);
		sb_puts(b, "set ylabel ");
		sb_quote(b, p->ylabel);
		sb_puts(b, "\n");
		yrange(c, p, b);
		if (i + 1 == c->np) {
			sb_puts(b, tl);
			xlabel(c, b, x0, x1, daily == 2 ? ", per day: max and min" :
			    daily ? ", one value per day: mean (band: min to max)" : c->note);
		} else {
			sb_puts(b, tu);
			sb_puts(b, "unset xlabel\n");
		}
		if (i == 0 && c->o->status && !c->text) {
			sb_puts(b, "set label 99 ");
			sb_quote(b, c->o->status);
			sb_printf(b, " at screen %.4f, screen %.4f left front font 'sans,11' tc rgb '%s'\n",
			    8.0 / c->W, 1 - ((c->o->title ? 30 : 0) + 14.0) / c->H, c->o->stale ? "#c00000" : "#222222");
		}
		plot_series(c, b, i, p, daily);
		if (i == 0 && used) {	/* the periods in the top panel's legend, with their rates */
			const struct bess_tariff *tf = c->o->tariff;
			size_t k;

			if (b->n > 0 && !b->oom)
				b->p[--b->n] = '\0';	/* continue the plot command */
			for (k = 0; k < tf->nperiod && k < 31; k++) {
				char t[200];

				if (!(used & (1u << k)))
					continue;
				band_title(c, &tf->period[k], t, sizeof(t));
				sb_puts(b, ", \\\n     NaN with boxes fs transparent solid 0.25 noborder lc rgb ");
				sb_quote(b, band_colors[k % NBAND]);
				sb_puts(b, " title ");
				sb_quote(b, t);
			}
			sb_puts(b, "\n");
		}
		if (i == 0) {
			int q;

			for (q = 0; q < nlab; q++)
				sb_printf(b, "unset label %d\n", 100 + q);
			if (c->o->status && !c->text)
				sb_puts(b, "unset label 99\n");
		}
	}
	sb_puts(b, "unset multiplot\n");
	free(tl);
	free(tu);
	return 0;
}

static int daily_view(struct ctx *c, struct sb *b, int text_minmax);

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
	/* characters over weeks: a step per character is a solid block; a day's max and min read */
	if (c->text && c->d->days && c->x1 - c->x0 >= 14 * 86400.0)
		return daily_view(c, b, 1);
	c->area = !c->text && (decimate || (double)c->n * 3 > plotw);
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

/* The day accumulator of channel ch on day k (NULL if none). */
static const struct dayacc *
dayacc_of(const struct ctx *c, int ch, size_t k)
{
	return ch < 0 || c->d->day == NULL ? NULL : &c->d->day[k * MAXCH + (size_t)ch];
}

/*
 * Day k of series s: part 0 (the value, or a bar's upward part) mean, min
 * and max; part 1 (a bar's downward part) mean. NAN where the day has none.
 */
static void
series_day(const struct ctx *c, const struct series *s, size_t k, double *mean, double *lo,
    double *hi, double *down)
{
	const struct dayacc *a;
	int ch;

	*mean = *lo = *hi = *down = NAN;
	if (s->style == ST_BARS) {
		if (c->bat_ch >= 0) {
			if ((a = dayacc_of(c, c->bat_ch, k)) != NULL && a->cnt > 0) {
				*mean = a->psum / (double)a->cnt;
				*down = a->nsum / (double)a->cnt;
			}
		} else {
			if ((a = dayacc_of(c, c->ch_ch, k)) != NULL && a->cnt > 0)
				*mean = a->sum / (double)a->cnt;
			if ((a = dayacc_of(c, c->dis_ch, k)) != NULL && a->cnt > 0)
				*down = -a->sum / (double)a->cnt;
		}
		if (s->title == NULL)
			*mean = NAN;
		if (s->y2 == NULL)
			*down = NAN;
		return;
	}
	if (s->y == c->tdneg) {
		if ((a = dayacc_of(c, c->td_ch, k)) != NULL && a->cnt > 0) {
			*mean = -a->sum / (double)a->cnt;
			*lo = -a->hi;
			*hi = -a->lo;
		}
		return;
	}
	for (ch = 0; ch < c->d->nch; ch++)
		if (c->d->v[ch] && s->y == c->d->v[ch] + c->d->start)
			break;
	if (ch < c->d->nch && (a = dayacc_of(c, ch, k)) != NULL && a->cnt > 0) {
		*mean = a->sum / (double)a->cnt;
		*lo = a->lo;
		*hi = a->hi;
	}
}

/*
 * Per local day: start and end instants (seconds) and, per series, mean, min
 * and max (NaN when the day has no value), from the sums kept per day as the
 * records were read. text: min and max as two lines (no bands in characters).
 */
static int
daily_view(struct ctx *c, struct sb *b, int text_minmax)
{
	struct layout l;
	double *ds = NULL, *de = NULL;
	int64_t d0 = c->d->day0, nd = (int64_t)c->d->nday, k;
	int i, j, rc = -1;

	get_layout(c, &l, 0);
	if (nd == 0)
		return bess_err_set(c->err, NULL, 0, "the daily view needs times between years 0 and 9999");
	if ((ds = malloc((size_t)nd * sizeof(double))) == NULL ||
	    (de = malloc((size_t)nd * sizeof(double))) == NULL) {
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
	header(c, b, text_minmax ? "daily min/max chart" : "daily chart");
	for (i = 0; i < c->np; i++) {
		const struct panel *p = &c->panel[c->order[i]];

		for (j = 0; j < p->ns; j++) {
			const struct series *s = &p->s[j];

			if (s->style == ST_CONST)
				continue;
			sb_printf(b, "$p%ds%d << EOD\n", i, j);
			for (k = 0; k < nd; k++) {
				double mean, lo, hi, down;

				series_day(c, s, (size_t)k, &mean, &lo, &hi, &down);
				if (s->style == ST_BARS) {
					if (isnan(mean) && isnan(down))
						continue;
					sb_time(b, (ds[k] + de[k]) / 2);
					sb_puts(b, " ");
					sb_num(b, mean);
					sb_puts(b, " ");
					sb_num(b, down);
					sb_puts(b, " ");
					sb_num(b, (de[k] - ds[k]) * 0.8);
					sb_puts(b, "\n");
				} else if (isnan(mean)) {
					sb_time(b, ds[k]);
					sb_puts(b, " NaN NaN NaN\n");
				} else {
					int e;

					for (e = 0; e < 2; e++) {
						sb_time(b, e ? de[k] : ds[k]);
						sb_puts(b, " ");
						sb_num(b, mean);
						sb_puts(b, " ");
						sb_num(b, lo);
						sb_puts(b, " ");
						sb_num(b, hi);
						sb_puts(b, "\n");
					}
				}
			}
			sb_puts(b, "EOD\n");
		}
	}
	if (stack_panels(c, b, &l, ds[0], de[nd - 1], text_minmax ? 2 : 1) != 0)
		goto out;
	rc = 0;
out:
	free(ds);
	free(de);
	return rc;
}

/* ---- price vs battery ---- */

static int
price_view(struct ctx *c, struct sb *b)
{
	const struct bess_plot_data *d = c->d;
	const struct panel *pp = &c->panel[BESS_PANEL_PRICE], *bp = &c->panel[BESS_PANEL_BATTERY];
	int have_price = 0;
	double pmin = INFINITY, pmax = -INFINITY, bmin = INFINITY, bmax = -INFINITY;
	double top, bot, plotw, ploth;
	unsigned char *seen = NULL;
	struct layout l;
	size_t r, gw, gh;
	int j, cls, h, dedupe;
	static const char *const clsname[3] = { "charge", "discharge", "idle" };
	static const char *const clscolor[3] = { C_CHARGE, C_DISCHARGE, "#999999" };
	char zone[160];

	for (j = 0; j < pp->ns; j++)
		if (strcmp(pp->s[j].title, "price") == 0)
			have_price = 1;
	if (!have_price || bp->ns == 0 || bp->s[0].style != ST_BARS)
		return bess_err_set(c->err, NULL, 0, "the price view needs columns 'price' and "
		    "'battery_kw' (or 'charge_kw'/'discharge_kw')");
	get_layout(c, &l, 1);
	plotw = c->W - l.left - l.right;
	ploth = (c->H - l.title - l.top - 2 * l.bottom - 2 * l.keyrow) / 2;
	for (r = 0; r < d->np; r++) {
		pmin = fmin(pmin, d->pp[r]);
		pmax = fmax(pmax, d->pp[r]);
		bmin = fmin(bmin, d->pb[r]);
		bmax = fmax(bmax, d->pb[r]);
	}
	header(c, b, "price vs battery chart");
	if (d->pstride > 1)
		sb_printf(b, "# scatter: every %zu-th record (%zu points)\n", d->pstride, d->np);
	/* scatter: one point per pixel and class is enough to see the cloud */
	gw = (size_t)(plotw > 1 ? plotw : 1);
	gh = (size_t)(ploth > 1 ? ploth : 1);
	dedupe = !c->o->no_decimate && d->np > gw;
	if (dedupe && (seen = calloc(3 * gw * gh, 1)) == NULL)
		return oom(c);
	for (cls = 0; cls < 3; cls++) {
		sb_printf(b, "$scatter%d << EOD\n", cls);
		for (r = 0; r < d->np; r++) {
			double v = d->pb[r], price = d->pp[r];
			int k = v > 0 ? 0 : v < 0 ? 1 : 2;

			if (k != cls)
				continue;
			if (dedupe) {
				size_t gx = pmax > pmin ? (size_t)((price - pmin) / (pmax - pmin) * (double)(gw - 1)) : 0;
				size_t gy = bmax > bmin ? (size_t)((v - bmin) / (bmax - bmin) * (double)(gh - 1)) : 0;
				size_t cell = ((size_t)cls * gh + gy) * gw + gx;

				if (seen[cell])
					continue;
				seen[cell] = 1;
			}
			sb_num(b, price);
			sb_puts(b, " ");
			sb_num(b, v);
			sb_puts(b, "\n");
		}
		sb_puts(b, "EOD\n");
	}
	free(seen);
	/* hour-of-day profile: mean price, mean charge and mean discharge power, summed as read */
	sb_puts(b, "$hours << EOD\n");
	for (h = 0; h < 24; h++) {
		sb_printf(b, "%d", h);
		for (j = 0; j < 3; j++) {
			sb_puts(b, " ");
			sb_num(b, d->hcnt[h][j] ? d->hsum[h][j] / (double)d->hcnt[h][j] : NAN);
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
	key_above(c, &l, top, b, -1);
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
	key_above(c, &l, top, b, -1);
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
bess_plot_render(const struct bess_plot_data *d, size_t *len, struct bess_err *err)
{
	const struct bess_plot_opts *o = &d->o;
	struct ctx c;
	struct sb b = { 0 };
	int rc = -1;

	memset(&c, 0, sizeof(c));
	c.d = d;
	c.o = o;
	c.n = d->n - d->start;
	c.err = err;
	c.bat_ch = c.ch_ch = c.dis_ch = c.td_ch = -1;
	c.text = o->fmt == BESS_PLOT_TEXT;
	if (c.n == 0) {
		bess_err_set(err, d->file[0] ? d->file : NULL, 0, "no records to plot");
		return NULL;
	}
	if (load_times(&c) != 0 || build_panels(&c) != 0)
		goto out;
	if (o->view == BESS_VIEW_PRICE) {
		c.W = o->width > 0 ? o->width : c.text ? 100 : 1000;
		c.H = o->height > 0 ? o->height : c.text ? 44 : 800;
	} else {
		struct layout l;
		int i, extra = 0;

		c.W = o->width > 0 ? o->width : c.text ? 110 : 1200;
		c.H = 1;	/* key_plan needs the width only */
		get_layout(&c, &l, 0);
		key_plan(&c, &l);
		for (i = 0; i < c.np; i++)
			extra += c.krows[i] - 1;
		c.H = o->height > 0 ? o->height : c.text ? 4 + 15 * c.np + 2 * extra :
		    90 + 220 * c.np + (int)l.keyrow * extra + (o->status ? 24 : 0);
	}
	switch (o->view) {
	case BESS_VIEW_TIME:
		rc = time_view(&c, &b);
		break;
	case BESS_VIEW_DAILY:
		rc = daily_view(&c, &b, 0);
		break;
	case BESS_VIEW_PRICE:
		rc = price_view(&c, &b);
		break;
	}
	if (rc == 0 && b.oom)
		rc = oom(&c);
out:
	free(c.pos);
	free(c.neg);
	free(c.tdneg);
	if (rc != 0) {
		free(b.p);
		return NULL;
	}
	*len = b.n;
	return b.p;
}

char *
bess_plot_script(const struct bess_table *t, const struct bess_plot_opts *o, size_t *len,
    struct bess_err *err)
{
	struct bess_plot_data *d = bess_plot_data_new(o, 0, err);
	struct bess_rec rec;
	char *s = NULL;
	size_t i;

	if (d == NULL)
		return NULL;
	bess_rec_init(&rec);
	if (t->nfile)
		snprintf(d->file, sizeof(d->file), "%s", t->file[0]);
	for (i = 0; i < t->n; i++)
		if (bess_table_rec(t, i, &rec) != 0 ||
		    bess_plot_data_add(d, &t->schema, &rec, t->file[t->src[i]], err) != 0)
			goto out;
	if (bess_plot_data_map(d, &t->schema) != 0) {
		bess_err_set(err, NULL, 0, "out of memory");
		goto out;
	}
	s = bess_plot_render(d, len, err);
out:
	bess_rec_free(&rec);
	bess_plot_data_free(d);
	return s;
}

/* ---- HTML ---- */

static void
sb_html(struct sb *b, const char *p)
{
	for (; *p; p++) {
		switch (*p) {
		case '<':
			sb_puts(b, "&lt;");
			break;
		case '>':
			sb_puts(b, "&gt;");
			break;
		case '&':
			sb_puts(b, "&amp;");
			break;
		case '"':
			sb_puts(b, "&quot;");
			break;
		case '\'':
			sb_puts(b, "&#39;");
			break;
		default:
			sb_add(b, (unsigned char)*p < 0x20 ? " " : p, 1);
		}
	}
}

/*
 * The live page's script: every refresh_ms it fetches the page again and
 * swaps in the new chart and status strip (gnuplot's own script re-run for
 * the mouse readout), so the reader keeps their place; where the page
 * cannot fetch itself (file:// in most browsers) it reloads and puts the
 * scroll position back. A page not rewritten for 3 refreshes says so.
 */
static const char live_js[] =
"(function () {\n"
"  var every = +document.body.getAttribute('data-refresh-ms');\n"
"  var key = 'bess-plot-scroll:' + location.pathname;\n"
"  try { var at = sessionStorage.getItem(key); if (at) { sessionStorage.removeItem(key);\n"
"    var xy = at.split(','); window.scrollTo(+xy[0], +xy[1]); } } catch (e) {}\n"
"  function reload() {\n"
"    try { sessionStorage.setItem(key, window.scrollX + ',' + window.scrollY); } catch (e) {}\n"
"    location.reload();\n"
"  }\n"
"  function swap(html) {\n"
"    var doc = new DOMParser().parseFromString(html, 'text/html');\n"
"    var c = doc.getElementById('chart'), s = doc.getElementById('status');\n"
"    if (!c || !s) return;\n"
"    var x = window.scrollX, y = window.scrollY;\n"
"    document.getElementById('chart').replaceWith(document.adoptNode(c));\n"
"    document.getElementById('status').replaceWith(document.adoptNode(s));\n"
"    document.title = doc.title;\n"
"    document.querySelectorAll('#chart script').forEach(function (old) {\n"
"      var n = document.createElement('script'); n.text = old.text; old.replaceWith(n); });\n"
"    window.scrollTo(x, y);\n"
"  }\n"
"  function watchdog() {\n"
"    var s = document.getElementById('status');\n"
"    var w = +s.getAttribute('data-written'), age = Date.now() / 1000 - w;\n"
"    var note = document.getElementById('page-stale');\n"
"    if (w > 0 && age > Math.max(3 * every / 1000, 30)) {\n"
"      if (!note) { note = document.createElement('div'); note.id = 'page-stale';\n"
"        document.body.insertBefore(note, document.body.firstChild); }\n"
"      note.textContent = 'this page has not been rewritten for ' + Math.round(age) +\n"
"        ' s: is bess-plot --follow still running?';\n"
"    } else if (note) note.remove();\n"
"  }\n"
"  function poll() {\n"
"    var r = new XMLHttpRequest();\n"
"    r.open('GET', location.href.split('#')[0].split('?')[0] + '?t=' + Date.now());\n"
"    r.onload = function () { if (r.status === 200 || r.status === 0) swap(r.responseText); watchdog(); };\n"
"    r.onerror = function () { if (location.protocol === 'file:') reload(); else watchdog(); };\n"
"    try { r.send(); } catch (e) { reload(); }\n"
"  }\n"
"  setInterval(poll, every);\n"
"})();\n";

char *
bess_plot_page(const char *svg, size_t n, const struct bess_plot_pageopts *po, size_t *len,
    struct bess_err *err)
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
	sb_html(&b, po->title ? po->title : "bess-plot");
	sb_puts(&b, "</title>\n<meta name=\"generator\" content=\"bess-plot\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<style>\nhtml, body { margin: 0; background: #fff; font: 14px sans-serif; }\n"
	    "#status { padding: 4px 8px; background: #eef3ee; color: #222; white-space: nowrap;"
	    " overflow: hidden; text-overflow: ellipsis; line-height: 20px; }\n"
	    "#status.stale, #page-stale { background: #b00000; color: #fff; font-weight: bold; padding: 4px 8px; }\n"
	    "#chart svg { display: block; width: 100%; height: auto; max-height: ");
	sb_puts(&b, po->status ? "calc(100vh - 28px)" : "100vh");
	sb_puts(&b, "; }\n</style>\n</head>\n");
	if (po->refresh_s > 0)
		sb_printf(&b, "<body data-refresh-ms=\"%.0f\">\n", po->refresh_s * 1000);
	else
		sb_puts(&b, "<body>\n");
	if (po->status) {
		sb_printf(&b, "<div id=\"status\"%s data-written=\"%.0f\">", po->stale ? " class=\"stale\"" : "",
		    po->written);
		sb_html(&b, po->status);
		sb_puts(&b, "</div>\n");
	}
	sb_puts(&b, "<div id=\"chart\">\n");
	sb_add(&b, start, n - (size_t)(start - svg));
	sb_puts(&b, "\n</div>\n");
	if (po->refresh_s > 0) {
		sb_puts(&b, "<script>\n");
		sb_puts(&b, live_js);
		sb_puts(&b, "</script>\n");
	}
	sb_puts(&b, "</body>\n</html>\n");
	if (b.oom) {
		free(b.p);
		bess_err_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	*len = b.n;
	return b.p;
}

char *
bess_plot_html(const char *svg, size_t n, const char *title, size_t *len, struct bess_err *err)
{
	struct bess_plot_pageopts po;

	memset(&po, 0, sizeof(po));
	po.title = title;
	return bess_plot_page(svg, n, &po, len, err);
}

/* ---- a live view's status strip ---- */

double
bess_plot_data_last(const struct bess_plot_data *d)
{
	return d->last_x;
}

/* A duration people read: "42 s", "17 min", "3.5 h", "2.0 days". */
static void
fmt_age(double s, char *buf, size_t n)
{
	if (s < 0)
		s = 0;
	if (s < 120)
		snprintf(buf, n, "%.0f s", s);
	else if (s < 7200)
		snprintf(buf, n, "%.0f min", floor(s / 60));
	else if (s < 172800)
		snprintf(buf, n, "%.1f h", s / 3600);
	else
		snprintf(buf, n, "%.1f days", s / 86400);
}

/* A number with at most dec decimals, trailing zeros trimmed. */
static const char *
fmt_dec(double v, int dec, char *buf)
{
	if (fabs(v) < 0.5 * pow(10, -dec))
		v = 0;
	bess_fmt_fixed(v, dec, buf);
	return buf;
}

/* Powers and energies people read: one decimal. */
static const char *
fmt_num(double v, char *buf)
{
	return fmt_dec(v, 1, buf);
}

int
bess_plot_status(const struct bess_plot_data *d, double now, double stale_s, const char *currency,
    char text[BESS_STATUS_SZ])
{
	struct sb b = { 0 };
	char n1[64], n2[64], age[32];
	int stale = 0;

	if (isnan(d->last_x)) {
		snprintf(text, BESS_STATUS_SZ, "waiting for the first record");
		return stale_s > 0;
	}
	fmt_age(now - d->last_x, age, sizeof(age));
	if (stale_s > 0 && now - d->last_x > stale_s) {
		char lim[32];

		fmt_age(stale_s, lim, sizeof(lim));
		sb_printf(&b, "STALE: no data for %s (stale after %s) | ", age, lim);
		stale = 1;
	}
	if (!isnan(d->soc_kwh))
		sb_printf(&b, "SOC %s kWh", fmt_num(d->soc_kwh, n1));
	else if (!isnan(d->soc_pct))
		sb_printf(&b, "SOC %s %%", fmt_num(d->soc_pct, n1));
	else
		sb_puts(&b, "SOC unknown");
	if (!isnan(d->cmd_x)) {
		double up = NAN, down = NAN;

		if (!isnan(d->bat_kw)) {
			up = d->bat_kw > 0 ? d->bat_kw : 0;
			down = d->bat_kw < 0 ? -d->bat_kw : 0;
		} else {
			up = isnan(d->tc_kw) ? 0 : d->tc_kw;
			down = isnan(d->td_kw) ? 0 : d->td_kw;
		}
		if (up > 0 && down > 0)
			sb_printf(&b, " | command: charge %s kW, discharge %s kW", fmt_num(up, n1), fmt_num(down, n2));
		else if (up > 0)
			sb_printf(&b, " | command: charge %s kW", fmt_num(up, n1));
		else if (down > 0)
			sb_printf(&b, " | command: discharge %s kW", fmt_num(down, n1));
		else
			sb_puts(&b, " | command: idle");
		if (d->status[0])
			sb_printf(&b, " (%s)", d->status);
	}
	if (d->sp[SP_PRICE] < MAXCH && d->v[d->sp[SP_PRICE]]) {
		const double *p = d->v[d->sp[SP_PRICE]];
		size_t r;

		for (r = d->n; r > d->start; r--)
			if (d->x[r - 1] <= now && !isnan(p[r - 1]))
				break;
		if (r > d->start)
			sb_printf(&b, " | price now %s %s%skWh", fmt_dec(p[r - 1], 4, n1), currency ? currency : "per",
			    currency ? "/" : " ");
	}
	sb_printf(&b, " | data %s old", age);
	if (b.oom || b.p == NULL)
		snprintf(text, BESS_STATUS_SZ, "out of memory");
	else
		snprintf(text, BESS_STATUS_SZ, "%s", b.p);
	free(b.p);
	return stale;
}

void
bess_plot_data_status(struct bess_plot_data *d, const char *status, int stale)
{
	d->o.status = status;
	d->o.stale = stale;
}

double
bess_plot_data_step(const struct bess_plot_data *d)
{
	double diff[64];
	size_t i, k = 0;

	for (i = d->n; i > d->start + 1 && k < 64; i--)
		diff[k++] = d->x[i - 1] - d->x[i - 2];
	if (k == 0)
		return NAN;
	qsort(diff, k, sizeof(double), cmp_double);
	return diff[k / 2];
}
