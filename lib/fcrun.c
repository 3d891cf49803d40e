/* fcrun.c: bess-forecast's run — quantities chosen from the stream, the step found, records pushed to a forecaster each, the forecast or the backtest written. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_civil.h"
#include "bess_fcrun.h"
#include "bess_summary.h"
#include "bess_tz.h"

int
bess_fcrun_methods_parse(const char *arg, struct bess_fcr_opts *fo, struct bess_err *err)
{
	const char *p = arg;

	fo->nmethod = 0;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		enum bess_fc_method m;
		char names[256];

		bess_fc_method_list(1, names, sizeof(names));
		if (bess_fc_method_parse(p, len, &m) != 0 || !bess_fc_methods[m].from_history)
			return bess_err_set(err, NULL, 0, "'%.*s' is not %s", (int)len, p, names);
		if (fo->nmethod == BESS_FCR_MAXM)
			return bess_err_set(err, NULL, 0, "too many methods");
		fo->method[fo->nmethod++] = m;
		p = e ? e + 1 : p + len;
	}
	if (fo->nmethod == 0)
		return bess_err_set(err, NULL, 0, "no method");
	return 0;
}

void
bess_fcrun_methods_default(struct bess_fcr_opts *fo, int backtest)
{
	size_t m;

	if (!backtest) {
		fo->method[fo->nmethod++] = BESS_FC_RIDGE;
		return;
	}
	for (m = 0; m < BESS_FC_NMETHODS; m++)
		if (bess_fc_methods[m].from_history)
			fo->method[fo->nmethod++] = bess_fc_methods[m].m;
}

int
bess_fcrun_at_parse(const char *arg, int *minute, struct bess_err *err)
{
	int h, m, len = 0;

	if (strcmp(arg, "step") == 0) {
		*minute = -1;
		return 0;
	}
	if (sscanf(arg, "%2d:%2d%n", &h, &m, &len) != 2 || arg[len] != '\0' || h < 0 || h > 23 ||
	    m < 0 || m > 59)
		return bess_err_set(err, NULL, 0, "'%s' is not a local time of day (16:00) or 'step'", arg);
	*minute = h * 60 + m;
	return 0;
}

int
bess_fcrun_minute_of_day(const struct bess_tz *tz, bess_time_t t)
{
	struct bess_civil cv;

	if (tz)
		bess_time_to_civil(tz, t, &cv);
	else
		bess_time_to_civil_utc(t, &cv);
	return cv.hour * 60 + cv.min;
}

int
bess_fcrun_reach_ok(long long horizon_us, long long lead_us)
{
	return horizon_us <= BESS_FCR_MAX_DAYS * BESS_US_PER_DAY - lead_us;
}

/* One forecast quantity: its column, its runner. */
struct qty {
	const char *col;		/* input column ("load_kw"), or the derived load (in run.in) */
	const char *out;		/* output stem ("load") (in run.in) */
	struct bess_fcr *r;
	struct fcctx {
		struct bess_fcrun *u;
		const char *col;
	} cb;				/* --forecasts callback context */
};

struct bess_fcrun {
	struct bess_fcrun_opts o;	/* options */
	struct qty q[BESS_FCIN_MAX];
	size_t nq;
	int decided;			/* quantities chosen */
	struct bess_fcin in;		/* which columns, and each record's values */
	bess_time_t t0, last;		/* first and latest record */
	double v0[BESS_FCIN_MAX];	/* the first record's values (before the step is known) */
	long line0;
	const char *name0;
	size_t nrec;
	long long step_us;		/* the grid's step */
	int stop;			/* past the issue time */
};

struct bess_fcrun *
bess_fcrun_new(const struct bess_fcrun_opts *o)
{
	struct bess_fcrun *u = calloc(1, sizeof(*u));

	if (u == NULL)
		return NULL;
	u->o = *o;
	u->in.meter = o->meter;
	u->in.cols = o->cols;
	u->in.ncols = o->ncols;
	return u;
}

void
bess_fcrun_free(struct bess_fcrun *u)
{
	size_t k;

	if (u == NULL)
		return;
	for (k = 0; k < u->nq; k++)
		bess_fcr_free(u->q[k].r);
	bess_fcin_free(&u->in);
	free(u);
}

/* --forecasts: one scored target. */
static void
scored(void *ctx, bess_time_t issued, bess_time_t ts, double actual, const double *fc, size_t nm)
{
	struct fcctx *x = ctx;
	FILE *fp = x->u->o.forecasts;
	char a[BESS_TIME_BUFSZ], b[BESS_TIME_BUFSZ], n[32];
	size_t m;

	fprintf(fp, "%s,%s,%s,%s", bess_time_format(ts, a), bess_time_format(issued, b), x->col,
	    bess_fmt_fig(actual, n));
	for (m = 0; m < nm; m++)
		fprintf(fp, ",%.17g", fc[m]);
	fputc('\n', fp);
}

/* Start the runners once the step is known. */
static int
start(struct bess_fcrun *u, long long step_us, struct bess_err *err)
{
	struct bess_fcr_opts o = u->o.fo;
	struct bess_err e;
	size_t k;

	if (u->o.horizon_us % step_us != 0 || u->o.lead_us % step_us != 0)
		return bess_err_set(err, NULL, 0, "--horizon and --lead must be whole steps (%lld s)",
		    step_us / BESS_US_PER_S);
	if (step_us <= 0)
		return bess_err_set(err, u->name0, u->line0, "times must increase");
	u->step_us = step_us;
	o.step_us = step_us;
	o.tz = u->o.tz;
	o.horizon = (size_t)(u->o.horizon_us / step_us);
	o.lead = (size_t)(u->o.lead_us / step_us);
	for (k = 0; k < u->nq; k++) {
		/* bess(7): load and solar are >= 0 */
		o.nonneg = strcmp(u->q[k].col, "load_kw") == 0 || strcmp(u->q[k].col, "solar_kw") == 0;
		if (u->o.forecasts) {
			u->q[k].cb.u = u;
			u->q[k].cb.col = u->q[k].col;
			o.scored = scored;
			o.scored_ctx = &u->q[k].cb;
		}
		if ((u->q[k].r = bess_fcr_new(&o, &e)) == NULL)
			return bess_err_set(err, NULL, 0, "%s", e.msg);
	}
	if (u->o.forecasts) {
		enum bess_fc_method ms[BESS_FCR_MAXM];
		size_t m, nm = bess_fcr_methods(u->q[0].r, ms);

		fprintf(u->o.forecasts, "ts,issue_ts,column,actual");
		for (m = 0; m < nm; m++)
			fprintf(u->o.forecasts, ",%s", bess_fc_method_name(ms[m]));
		fputc('\n', u->o.forecasts);
	}
	return 0;
}

static int
push_all(struct bess_fcrun *u, bess_time_t t, const double *v, const char *name, long line,
    struct bess_err *err)
{
	struct bess_err e;
	size_t k;

	for (k = 0; k < u->nq; k++)
		if (bess_fcr_push(u->q[k].r, t, v[k], &e) != 0)
			return bess_err_set(err, name, line, "%s", e.msg);
	return 0;
}

int
bess_fcrun_read(struct bess_fcrun *u, struct bess_reader *rd, const char *name, struct bess_err *err)
{
	struct bess_rec rec;
	const struct bess_schema *s;
	double v[BESS_FCIN_MAX];
	bess_time_t t;
	int rc = 0, its;
	size_t k;
	char why[256];

	while (!u->stop && (rc = bess_reader_next(rd, &rec, err)) > 0) {
		s = bess_reader_schema(rd);
		if (!u->decided) {
			char note[512];

			if (bess_fcin_decide(&u->in, s, name, note, sizeof(note), err) != 0)
				return -1;
			if (*note && u->o.warn)
				u->o.warn(u->o.ctx, note);
			for (k = 0; k < u->in.nq; k++) {
				u->q[k].col = u->in.col[k];
				u->q[k].out = u->in.out[k];
			}
			u->nq = u->in.nq;
			u->decided = 1;
		}
		bess_fcin_lookup(&u->in, s);
		its = bess_schema_find(s, "ts");
		if (its < 0 || (size_t)its >= rec.n || rec.len[its] == 0)
			return bess_err_set(err, name, rec.line, "missing time in column 'ts'");
		if (bess_time_parse(rec.v[its], rec.len[its], NULL, &t, why, sizeof(why)) != BESS_TP_OK)
			return bess_err_set(err, name, rec.line, "column 'ts': %s", why);
		if (u->o.have_issue && t >= u->o.issue) {
			u->stop = 1;
			break;
		}
		if (u->nrec > 0 && t <= u->last)
			return bess_err_set(err, name, rec.line, "times must increase (one series in time order)");
		for (k = 0; k < u->nq; k++)
			if (bess_fcin_value(&u->in, k, &rec, s, name, &v[k], err) != 0)
				return -1;
		if (u->nrec == 0) {
			u->t0 = t;
			memcpy(u->v0, v, u->nq * sizeof(double));
			u->line0 = rec.line;
			u->name0 = name;
			if (u->o.step_us > 0 &&
			    (start(u, u->o.step_us, err) != 0 || push_all(u, t, v, name, rec.line, err) != 0))
				return -1;
		} else {
			if (u->nrec == 1 && u->o.step_us == 0 &&
			    (start(u, t - u->t0, err) != 0 ||
			    push_all(u, u->t0, u->v0, u->name0, u->line0, err) != 0))
				return -1;
			if (push_all(u, t, v, name, rec.line, err) != 0)
				return -1;
		}
		u->last = t;
		u->nrec++;
	}
	return !u->stop && rc < 0 ? -1 : 0;
}

int
bess_fcrun_ready(const struct bess_fcrun *u, struct bess_err *err)
{
	if (u->nrec == 0)
		return bess_err_set(err, NULL, 0, "no records before the issue time");
	if (u->nrec == 1 && u->o.step_us == 0)
		return bess_err_set(err, NULL, 0, "one record: give --step");
	return 0;
}

bess_time_t
bess_fcrun_issue_at(const struct bess_fcrun *u)
{
	/* default: the step after the last record */
	return u->o.have_issue ? u->o.issue : u->last + u->step_us;
}

void
bess_fcrun_report(const struct bess_fcrun *u, FILE *fp, int table)
{
	size_t k;

	for (k = 0; k < u->nq; k++) {
		if (table) {
			if (k > 0)
				fprintf(fp, "\n");
			bess_fcr_report_table(fp, u->q[k].r, u->q[k].col);
		} else
			bess_fcr_report_json(fp, u->q[k].r, u->q[k].col);
	}
}

int
bess_fcrun_write(struct bess_fcrun *u, FILE *fp, enum bess_fmt fmt, int plain, bess_time_t at,
    struct bess_err *err)
{
	const struct bess_fc_issue *is[BESS_FCIN_MAX];
	struct bess_schema s;
	struct bess_rec rec;
	struct bess_writer_opts wo;
	struct bess_writer *w;
	struct bess_err e;
	char tbuf[BESS_TIME_BUFSZ], ibuf[BESS_TIME_BUFSZ], name[1200];
	char (*nb)[32];
	size_t k, j, f, per = plain ? 1 : 4, nf = 2 + per * u->nq;
	int rc = -1;
	static const char *const suf[] = { "_fc", "_fc_p10", "_fc_p50", "_fc_p90" };

	bess_err_clear(err);
	for (k = 0; k < u->nq; k++)
		if ((is[k] = bess_fcr_issue(u->q[k].r, at, &e)) == NULL)
			return bess_err_set(err, NULL, 0, "--issue: %s", e.msg);
	bess_schema_init(&s);
	bess_rec_init(&rec);
	memset(&wo, 0, sizeof(wo));
	wo.fmt = fmt;
	if ((nb = malloc(nf * sizeof(*nb))) == NULL || (w = bess_writer_new(fp, &wo)) == NULL) {
		free(nb);
		return bess_err_set(err, NULL, 0, "out of memory");
	}
	bess_schema_add(&s, "ts");
	bess_schema_add(&s, "issue_ts");
	for (k = 0; k < u->nq; k++)
		for (f = 0; f < per; f++) {
			if (plain)
				snprintf(name, sizeof(name), "%s", u->q[k].col);
			else
				snprintf(name, sizeof(name), "%s%s", u->q[k].out, suf[f]);
			if (bess_schema_add(&s, name) < 0)
				goto done;
		}
	if (bess_rec_resize(&rec, nf) != 0)
		goto done;
	bess_time_format(at, ibuf);
	for (j = 0; j < is[0]->n; j++) {
		bess_rec_set(&rec, 0, bess_time_format(is[0]->ts[j], tbuf), BESS_K_STR);
		bess_rec_set(&rec, 1, ibuf, BESS_K_STR);
		for (k = 0; k < u->nq; k++) {
			const double *col[4] = { is[k]->fc[0], is[k]->q[0][0], is[k]->q[0][1], is[k]->q[0][2] };

			for (f = 0; f < per; f++) {
				size_t fi = 2 + per * k + f;
				double v = col[plain ? (size_t)(plain - 1) : f][j];

				if (isnan(v) || isnan(col[0][j]))
					bess_rec_set(&rec, fi, "", BESS_K_NULL);
				else
					bess_rec_set(&rec, fi, bess_fmt_fig(v, nb[fi]), BESS_K_NUM);
			}
		}
		if (bess_writer_write(w, &s, &rec, err) != 0)
			goto done;
	}
	if (bess_writer_finish(w, &s, err) != 0)
		goto done;
	for (k = 0; k < u->nq; k++)
		if (is[k]->empty[0] > 0 && u->o.warn) {
			char msg[300];

			snprintf(msg, sizeof(msg), "%s: %zu of %zu forecasts empty (inputs missing)", u->q[k].col,
			    is[k]->empty[0], is[k]->n);
			u->o.warn(u->o.ctx, msg);
		}
	rc = 0;
done:
	if (rc != 0 && err->msg[0] == '\0')
		bess_err_set(err, NULL, 0, "out of memory");
	bess_writer_free(w);
	bess_rec_free(&rec);
	bess_schema_free(&s);
	free(nb);
	return rc;
}
