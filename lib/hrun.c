/* hrun.c: bess-health's run — its limits as options and the --limits table, the checks or the cycle count fed from record streams, each event or cycle a record, the per-device summary. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_cycles.h"
#include "bess_hrun.h"
#include "bess_qty.h"
#include "bess_summary.h"
#include "bess_time.h"

/* What values a limit takes: above 0, any (temperatures, a low cut-off), 0 and above, a duration. */
enum lim_range { L_POS, L_ANY, L_NONNEG, L_DUR };

#define F(x) offsetof(struct bess_health_limits, x)
/*
 * Each limit, one row: its option, unit, the dimensions it accepts, the field of struct
 * bess_health_limits it sets (a double, or the microseconds of an L_DUR), its range, and
 * where its default (bess_health_defaults) comes from.
 */
static const struct {
	const char *name, *unit;
	unsigned dims;
	size_t field;
	enum lim_range range;
	const char *source;
} lim[] = {
	{ "cell-v-spread", "V", BESS_DIM_VOLTAGE, F(cell_v_spread_v), L_POS,
	    "bess's choice (50 mV between the highest and lowest cell); set your BMS's imbalance alarm" },
	{ "temp-spread", "C", BESS_DIM_TEMP, F(temp_spread_c), L_POS,
	    "the 5 degC cell-to-cell difference battery thermal designs aim to stay within" },
	{ "cell-v-max", "V", BESS_DIM_VOLTAGE, F(cell_v_max_v), L_POS,
	    "the 3.65 V charge cut-off of LFP cell datasheets" },
	{ "cell-v-min", "V", BESS_DIM_VOLTAGE, F(cell_v_min_v), L_ANY,
	    "the 2.5 V discharge cut-off of LFP cell datasheets" },
	{ "temp-max", "C", BESS_DIM_TEMP, F(temp_max_c), L_ANY,
	    "the 55 degC upper charging temperature of LFP cell datasheets" },
	{ "temp-min", "C", BESS_DIM_TEMP, F(temp_min_c), L_ANY,
	    "the -20 degC lower discharging temperature of LFP cell datasheets" },
	{ "soc-jump", "%", BESS_DIM_PERCENT, F(soc_jump_pct), L_POS,
	    "bess's choice (5 %-points between two samples not explained by the current)" },
	{ "soc-drift", "%", BESS_DIM_PERCENT, F(soc_drift_pct), L_POS,
	    "bess's choice (5 %-points from the coulomb count; needs --capacity)" },
	{ "capacity", "Ah", BESS_DIM_CHARGE, F(capacity_ah), L_POS,
	    "none: give the pack's rated Ah to count coulombs" },
	{ "stuck", "s", BESS_DIM_DURATION, F(stuck_us), L_DUR,
	    "bess's choice (30 minutes unchanged)" },
	{ "gap", "s", BESS_DIM_DURATION, F(gap_us), L_DUR,
	    "10 x the device's usual spacing (the median of its first 15)" },
	{ "phase-imbalance", "%", BESS_DIM_PERCENT, F(phase_imbalance_pct), L_POS,
	    "bess's choice (10 % of the mean, (max - min) / mean of the phase currents)" },
	{ "phase-min", "A", BESS_DIM_CURRENT, F(phase_min_a), L_NONNEG,
	    "bess's choice (below 10 A mean the phases are not compared)" },
	{ "pcs-temp-max", "C", BESS_DIM_TEMP, F(pcs_temp_max_c), L_ANY,
	    "bess's choice (85 degC, well below the 150 degC IGBT junction limit of module datasheets)" },
};
#undef F
#define NLIM (sizeof(lim) / sizeof(lim[0]))
#define LIM_D(l, i) ((double *)((char *)(l) + lim[i].field))
#define LIM_US(l, i) ((long long *)((char *)(l) + lim[i].field))

struct bess_optdef *
bess_hlimit_optdefs_join(const struct bess_optdef *tool)
{
	size_t n = 0, i;
	struct bess_optdef *all;

	while (tool[n].name != NULL)
		n++;
	if ((all = calloc(n + NLIM + 1, sizeof(*all))) == NULL)
		return NULL;
	memcpy(all, tool, n * sizeof(*all));
	for (i = 0; i < NLIM; i++) {
		all[n + i].name = lim[i].name;
		all[n + i].flags = BESS_OPT_ARG;
		all[n + i].id = BESS_HLIMIT_OPT_BASE + (int)i;
	}
	return all;
}

int
bess_hlimit_is_opt(int id)
{
	return id >= BESS_HLIMIT_OPT_BASE && id < BESS_HLIMIT_OPT_BASE + (int)NLIM;
}

int
bess_hlimit_set(struct bess_health_limits *l, int id, const char *arg, struct bess_err *err)
{
	size_t i = (size_t)(id - BESS_HLIMIT_OPT_BASE);
	struct bess_qty q;
	char why[256];

	if (!bess_hlimit_is_opt(id))
		return bess_err_set(err, NULL, 0, "unhandled option");
	if (lim[i].range == L_DUR)
		return bess_opt_dur(arg, LIM_US(l, i), err);
	if (bess_qty_parse(arg, lim[i].dims | BESS_DIM_NONE, &q, why, sizeof(why)) != 0)
		return bess_err_set(err, NULL, 0, "%s", why);
	if ((lim[i].range == L_POS && !(q.value > 0)) || (lim[i].range == L_NONNEG && !(q.value >= 0)))
		return bess_err_set(err, NULL, 0, "'%s' must be above 0", arg);
	*LIM_D(l, i) = q.value;
	return 0;
}

/* The limit's value in force, as text ("" for none: a gap learned from the data, no capacity). */
static const char *
lim_text(const struct bess_health_limits *l, size_t i, char *buf)
{
	if (lim[i].range == L_DUR)	/* a gap of 0: learned from the data */
		return *LIM_US(l, i) > 0 || LIM_US(l, i) == &l->stuck_us ?
		    bess_fmt_fig((double)*LIM_US(l, i) / 1e6, buf) : "";
	if (LIM_D(l, i) == &l->capacity_ah && l->capacity_ah <= 0)
		return "";
	return bess_fmt_fig(*LIM_D(l, i), buf);
}

int
bess_hlimits_write(const struct bess_health_limits *l, FILE *out, enum bess_fmt fmt,
    struct bess_err *err)
{
	struct bess_writer_opts wo;
	struct bess_writer *w;
	struct bess_schema s;
	struct bess_rec r;
	char buf[32];
	size_t i;
	int rc = 0;

	memset(&wo, 0, sizeof(wo));
	wo.fmt = fmt == BESS_FMT_LP ? BESS_FMT_CSV : fmt;
	if ((w = bess_writer_new(out, &wo)) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	bess_schema_init(&s);
	bess_rec_init(&r);
	bess_schema_add(&s, "limit");
	bess_schema_add(&s, "value");
	bess_schema_add(&s, "unit");
	bess_schema_add(&s, "source");
	if (bess_rec_resize(&r, 4) != 0)
		rc = bess_err_set(err, NULL, 0, "out of memory");
	for (i = 0; i < NLIM && rc == 0; i++) {
		const char *v = lim_text(l, i, buf);

		bess_rec_set(&r, 0, lim[i].name, BESS_K_STR);
		bess_rec_set(&r, 1, v, *v ? BESS_K_NUM : BESS_K_NULL);
		bess_rec_set(&r, 2, lim[i].unit, BESS_K_STR);
		bess_rec_set(&r, 3, lim[i].source, BESS_K_STR);
		rc = bess_writer_write(w, &s, &r, err);
	}
	if (rc == 0)
		rc = bess_writer_finish(w, &s, err);
	bess_writer_free(w);
	bess_rec_free(&r);
	bess_schema_free(&s);
	return rc;
}

/* ---- the run ---- */

struct bess_hrun {
	struct bess_hrun_opts o;	/* as given */
	struct bess_writer *w;		/* the events or cycles out */
	struct bess_schema s;		/* their columns */
	struct bess_rec rec;		/* the one being written */
	struct bess_health *h;		/* the checks, or */
	struct bess_cycles *cy;		/* ... the cycle count */
};

static int
on_event(void *ctx, const struct bess_health_event *e, struct bess_err *err)
{
	struct bess_hrun *u = ctx;
	char a[BESS_TIME_BUFSZ], b[BESS_TIME_BUFSZ], v[32], l[32];

	bess_rec_set(&u->rec, 0, e->device, BESS_K_STR);
	bess_rec_set(&u->rec, 1, bess_time_format(e->start, a), BESS_K_STR);
	if (e->opening)		/* a live stream: the condition still holds */
		bess_rec_set(&u->rec, 2, "", BESS_K_NULL);
	else
		bess_rec_set(&u->rec, 2, bess_time_format(e->end, b), BESS_K_STR);
	bess_rec_set(&u->rec, 3, bess_hkind_name(e->kind), BESS_K_STR);
	bess_rec_set(&u->rec, 4, e->column, BESS_K_STR);
	bess_rec_set(&u->rec, 5, e->alarm ? "alarm" : "warning", BESS_K_STR);
	bess_rec_set(&u->rec, 6, bess_fmt_fig(e->value, v), BESS_K_NUM);
	bess_rec_set(&u->rec, 7, bess_fmt_fig(e->limit, l), BESS_K_NUM);
	bess_rec_set(&u->rec, 8, e->unit, BESS_K_STR);
	return bess_writer_write(u->w, &u->s, &u->rec, err);
}

static int
on_cycle(void *ctx, const struct bess_cycle_row *row, struct bess_err *err)
{
	struct bess_hrun *u = ctx;
	char a[BESS_TIME_BUFSZ], b[BESS_TIME_BUFSZ], ch[32], dis[32], fade[32], n[32];

	bess_rec_set(&u->rec, 0, row->device, BESS_K_STR);
	bess_rec_set(&u->rec, 1, row->cycle, BESS_K_AUTO);
	bess_rec_set(&u->rec, 2, bess_time_format(row->start, a), BESS_K_STR);
	bess_rec_set(&u->rec, 3, bess_time_format(row->end, b), BESS_K_STR);
	snprintf(n, sizeof(n), "%lld", row->records);
	bess_rec_set(&u->rec, 4, n, BESS_K_NUM);
	bess_rec_set(&u->rec, 5, bess_fmt_fig(row->charge_ah, ch), BESS_K_NUM);
	bess_rec_set(&u->rec, 6, bess_fmt_fig(row->discharge_ah, dis), BESS_K_NUM);
	if (isnan(row->fade_pct))
		bess_rec_set(&u->rec, 7, "", BESS_K_NULL);
	else
		bess_rec_set(&u->rec, 7, bess_fmt_fig(row->fade_pct, fade), BESS_K_NUM);
	return bess_writer_write(u->w, &u->s, &u->rec, err);
}

struct bess_hrun *
bess_hrun_new(FILE *out, const struct bess_hrun_opts *o)
{
	static const char *const ev_cols[] = {
		"device", "start", "end", "kind", "column", "severity", "value", "limit", "unit", NULL
	};
	static const char *const cy_cols[] = {
		"device", "cycle", "start", "end", "records", "charge_ah", "discharge_ah", "fade_pct", NULL
	};
	static const char *const ev_tags[] = { "device", "kind", "column", "severity", NULL };
	static const char *const cy_tags[] = { "device", NULL };
	const char *const *cols = o->cycles ? cy_cols : ev_cols;
	struct bess_writer_opts wo;
	struct bess_hrun *u;
	size_t i;

	if ((u = calloc(1, sizeof(*u))) == NULL)
		return NULL;
	u->o = *o;
	bess_schema_init(&u->s);
	bess_rec_init(&u->rec);
	for (i = 0; cols[i]; i++)
		bess_schema_add(&u->s, cols[i]);
	memset(&wo, 0, sizeof(wo));
	wo.fmt = o->fmt;
	wo.measurement = o->measurement ? o->measurement : "bess_health";
	wo.time_col = "start";
	wo.tags = o->cycles ? cy_tags : ev_tags;
	wo.flush_each = o->live;
	wo.no_header = o->no_header;
	if (bess_rec_resize(&u->rec, u->s.n) != 0 || (u->w = bess_writer_new(out, &wo)) == NULL ||
	    (o->cycles ? (u->cy = bess_cycles_new(o->cycle_col, on_cycle, u)) == NULL :
	    (u->h = bess_health_new(o->l, on_event, u)) == NULL)) {
		bess_hrun_free(u);
		return NULL;
	}
	if (u->h != NULL)
		bess_health_report_starts(u->h, o->live);	/* an operator needs to know now */
	return u;
}

int
bess_hrun_input(struct bess_hrun *u, FILE *fp, const char *name, struct bess_err *err)
{
	struct bess_reader_opts ro;
	struct bess_reader *r;
	struct bess_rec rec;
	size_t ncols = (size_t)-1;
	int rc;

	memset(&ro, 0, sizeof(ro));
	ro.fmt = u->o.infmt;
	ro.skip = -1;
	/* keys the checks do not read never grow the schema (a live stream of ever new keys) */
	if ((r = bess_reader_open_keys(fp, name, &ro, u->o.cycles ? NULL : bess_health_reads, err)) == NULL)
		return -1;
	memset(&rec, 0, sizeof(rec));
	while ((rc = bess_reader_next(r, &rec, err)) == 1) {
		const struct bess_schema *s = bess_reader_schema(r);

		if (s->n != ncols) {
			ncols = s->n;
			rc = u->cy ? bess_cycles_columns(u->cy, s, err) : bess_health_columns(u->h, s, err);
			if (rc != 0) {
				snprintf(err->file, sizeof(err->file), "%s", name);
				break;
			}
		}
		if ((u->cy ? bess_cycles_feed(u->cy, &rec, name, err) :
		    bess_health_feed(u->h, &rec, name, err)) != 0) {
			rc = -1;
			break;
		}
	}
	bess_reader_close(r);
	return rc < 0 ? -1 : 0;
}

int
bess_hrun_finish(struct bess_hrun *u, struct bess_err *err)
{
	if ((u->cy ? bess_cycles_finish(u->cy, err) : bess_health_finish(u->h, err)) != 0)
		return -1;
	return bess_writer_finish(u->w, &u->s, err);
}

int
bess_hrun_summary(const struct bess_hrun *u, char **buf, size_t *len)
{
	FILE *mem;
	size_t i;

	*buf = NULL;
	*len = 0;
	if (u->h == NULL || (mem = open_memstream(buf, len)) == NULL)
		return -1;
	for (i = 0; i < bess_health_ndevices(u->h); i++) {
		const struct bess_health_dev *d = bess_health_device(u->h, i);
		char a[BESS_TIME_BUFSZ], b[BESS_TIME_BUFSZ], x[32];
		long long total = 0;
		int k;

		fprintf(mem, "{\"device\":");
		bess_json_fputs(mem, d->device);
		fprintf(mem, ",\"records\":%lld,\"first_ts\":\"%s\",\"last_ts\":\"%s\"", d->records,
		    bess_time_format(d->first, a), bess_time_format(d->last, b));
		for (k = 0; k < BESS_HK_N; k++)
			total += d->events[k];
		fprintf(mem, ",\"events\":%lld", total);
		for (k = 0; k < BESS_HK_N; k++)
			fprintf(mem, ",\"%s_events\":%lld", bess_hkind_name((enum bess_hkind)k), d->events[k]);
#define FIG(key, v)	fprintf(mem, ",\"" key "\":%s", isnan(v) ? "null" : bess_fmt_fig(v, x))
		FIG("max_cell_v_spread_v", d->max_v_spread_v);
		FIG("max_temp_spread_c", d->max_temp_spread_c);
		FIG("min_soc_pct", d->min_soc_pct);
		FIG("max_soc_pct", d->max_soc_pct);
		FIG("max_cell_c", d->max_cell_c);
		FIG("max_igbt_c", d->max_pcs_c);
#undef FIG
		fprintf(mem, "}\n");
	}
	if (fclose(mem) != 0) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}

void
bess_hrun_free(struct bess_hrun *u)
{
	if (u == NULL)
		return;
	bess_writer_free(u->w);
	bess_health_free(u->h);
	bess_cycles_free(u->cy);
	bess_rec_free(&u->rec);
	bess_schema_free(&u->s);
	free(u);
}
