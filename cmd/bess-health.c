/* bess-health: health checks over BMS/PCS telemetry (events out), or capacity per cycle of cycler data. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_cycles.h"
#include "bess_health.h"
#include "bess_opt.h"
#include "bess_qty.h"
#include "bess_rec.h"
#include "cli.h"

enum {
	O_FORMAT = CLI_O_OWN, O_INFMT, O_SUMMARY, O_LIMITS, O_CYCLES, O_CYCLECOL, O_MEASUREMENT,
	O_VSPREAD, O_TSPREAD, O_VMAX, O_VMIN, O_TMAX, O_TMIN, O_SOCJUMP, O_SOCDRIFT, O_CAPACITY,
	O_STUCK, O_GAP, O_PHASE, O_PHASEMIN, O_PCSTEMP
};

static const struct bess_optdef opts[] = {
	{ "help", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_HELP },
	{ "version", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_VERSION },
	{ "config", 'c', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_CONFIG },
	{ "output", 'o', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_OUTPUT },
	{ "format", 'f', BESS_OPT_ARG, O_FORMAT },
	{ "input-format", 'i', BESS_OPT_ARG, O_INFMT },
	{ "summary", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_SUMMARY },
	{ "limits", 0, BESS_OPT_FLAG | BESS_OPT_CLI, O_LIMITS },
	{ "cycles", 0, BESS_OPT_FLAG, O_CYCLES },
	{ "cycle-col", 0, BESS_OPT_ARG, O_CYCLECOL },
	{ "measurement", 0, BESS_OPT_ARG, O_MEASUREMENT },
	{ "cell-v-spread", 0, BESS_OPT_ARG, O_VSPREAD },
	{ "temp-spread", 0, BESS_OPT_ARG, O_TSPREAD },
	{ "cell-v-max", 0, BESS_OPT_ARG, O_VMAX },
	{ "cell-v-min", 0, BESS_OPT_ARG, O_VMIN },
	{ "temp-max", 0, BESS_OPT_ARG, O_TMAX },
	{ "temp-min", 0, BESS_OPT_ARG, O_TMIN },
	{ "soc-jump", 0, BESS_OPT_ARG, O_SOCJUMP },
	{ "soc-drift", 0, BESS_OPT_ARG, O_SOCDRIFT },
	{ "capacity", 0, BESS_OPT_ARG, O_CAPACITY },
	{ "stuck", 0, BESS_OPT_ARG, O_STUCK },
	{ "gap", 0, BESS_OPT_ARG, O_GAP },
	{ "phase-imbalance", 0, BESS_OPT_ARG, O_PHASE },
	{ "phase-min", 0, BESS_OPT_ARG, O_PHASEMIN },
	{ "pcs-temp-max", 0, BESS_OPT_ARG, O_PCSTEMP },
	{ NULL, 0, 0, 0 }
};

struct conf {
	struct bess_health_limits l;	/* the limits in force */
	const char *output;		/* -o FILE, NULL = stdout */
	const char *summary;		/* --summary FILE */
	enum bess_fmt fmt;		/* output format */
	enum bess_fmt infmt;		/* input format, AUTO = detect */
	int show_limits;		/* --limits */
	int cycles;			/* --cycles */
	const char *cycle_col;		/* --cycle-col */
	char *measurement;		/* line protocol measurement */
	/* run state */
	struct bess_writer *w;
	struct bess_schema s;		/* output columns */
	struct bess_rec rec;
	long long events;
};

/* What values a limit takes: above 0, any (temperatures, a low cut-off), 0 and above, a duration. */
enum lim_range { L_POS, L_ANY, L_NONNEG, L_DUR };

#define F(x) offsetof(struct bess_health_limits, x)
/*
 * Each limit, one row: its option, unit, the dimensions it accepts, the field of struct
 * bess_health_limits it sets (a double, or the microseconds of an L_DUR), its range, and
 * where its default (bess_health_defaults) comes from.
 */
static const struct {
	int id;
	const char *name, *unit;
	unsigned dims;
	size_t field;
	enum lim_range range;
	const char *source;
} lim[] = {
	{ O_VSPREAD, "cell-v-spread", "V", BESS_DIM_VOLTAGE, F(cell_v_spread_v), L_POS,
	    "bess's choice (50 mV between the highest and lowest cell); set your BMS's imbalance alarm" },
	{ O_TSPREAD, "temp-spread", "C", BESS_DIM_TEMP, F(temp_spread_c), L_POS,
	    "the 5 degC cell-to-cell difference battery thermal designs aim to stay within" },
	{ O_VMAX, "cell-v-max", "V", BESS_DIM_VOLTAGE, F(cell_v_max_v), L_POS,
	    "the 3.65 V charge cut-off of LFP cell datasheets" },
	{ O_VMIN, "cell-v-min", "V", BESS_DIM_VOLTAGE, F(cell_v_min_v), L_ANY,
	    "the 2.5 V discharge cut-off of LFP cell datasheets" },
	{ O_TMAX, "temp-max", "C", BESS_DIM_TEMP, F(temp_max_c), L_ANY,
	    "the 55 degC upper charging temperature of LFP cell datasheets" },
	{ O_TMIN, "temp-min", "C", BESS_DIM_TEMP, F(temp_min_c), L_ANY,
	    "the -20 degC lower discharging temperature of LFP cell datasheets" },
	{ O_SOCJUMP, "soc-jump", "%", BESS_DIM_PERCENT, F(soc_jump_pct), L_POS,
	    "bess's choice (5 %-points between two samples not explained by the current)" },
	{ O_SOCDRIFT, "soc-drift", "%", BESS_DIM_PERCENT, F(soc_drift_pct), L_POS,
	    "bess's choice (5 %-points from the coulomb count; needs --capacity)" },
	{ O_CAPACITY, "capacity", "Ah", BESS_DIM_CHARGE, F(capacity_ah), L_POS,
	    "none: give the pack's rated Ah to count coulombs" },
	{ O_STUCK, "stuck", "s", BESS_DIM_DURATION, F(stuck_us), L_DUR,
	    "bess's choice (30 minutes unchanged)" },
	{ O_GAP, "gap", "s", BESS_DIM_DURATION, F(gap_us), L_DUR,
	    "10 x the device's usual spacing (the median of its first 15)" },
	{ O_PHASE, "phase-imbalance", "%", BESS_DIM_PERCENT, F(phase_imbalance_pct), L_POS,
	    "bess's choice (10 % of the mean, (max - min) / mean of the phase currents)" },
	{ O_PHASEMIN, "phase-min", "A", BESS_DIM_CURRENT, F(phase_min_a), L_NONNEG,
	    "bess's choice (below 10 A mean the phases are not compared)" },
	{ O_PCSTEMP, "pcs-temp-max", "C", BESS_DIM_TEMP, F(pcs_temp_max_c), L_ANY,
	    "bess's choice (85 degC, well below the 150 degC IGBT junction limit of module datasheets)" },
};
#undef F
#define NLIM (sizeof(lim) / sizeof(lim[0]))
#define LIM_D(l, i) ((double *)((char *)(l) + lim[i].field))
#define LIM_US(l, i) ((long long *)((char *)(l) + lim[i].field))

static void
usage(void)
{
	printf("usage: bess-health [options] [file ...]\n"
	    "Check BMS and PCS telemetry (canonical columns, from bess-ingest) and write one\n"
	    "event per problem: device, start, end, kind, column, severity, value, limit, unit.\n"
	    "Streams in constant memory; on a pipe or terminal a condition is written when it\n"
	    "is confirmed (end empty) and again when it closes.\n"
	    "\n"
	    "Limits (defaults and their sources: bess-health --limits):\n"
	    "      --cell-v-spread V  highest minus lowest cell voltage (cell_max_v, cell_min_v)\n"
	    "      --temp-spread C    hottest minus coldest cell (cell_max_c, cell_min_c)\n"
	    "      --cell-v-max V, --cell-v-min V    cell voltage limits\n"
	    "      --temp-max C, --temp-min C        cell temperature limits\n"
	    "      --soc-jump PCT     SOC change between two samples not explained by current_a\n"
	    "      --soc-drift PCT    SOC away from the coulomb count of current_a\n"
	    "      --capacity AH      the pack's capacity, for the coulomb count (e.g. 280Ah)\n"
	    "      --stuck DUR        a reading unchanged this long is stuck (30m)\n"
	    "      --gap DUR          no record this long is a gap (default: 10 x usual spacing)\n"
	    "      --phase-imbalance PCT  (max - min) / mean of ac_l1_a, ac_l2_a, ac_l3_a\n"
	    "      --phase-min A      phases below this mean current are not compared\n"
	    "      --pcs-temp-max C   PCS temperature (igbt_c)\n"
	    "      --limits           write the limits in force with their sources and exit\n"
	    "Cycler data:\n"
	    "      --cycles           instead: capacity per cycle (charge_ah, discharge_ah,\n"
	    "                         fade_pct against the first cycle) from current_a\n"
	    "      --cycle-col COL    the cycle column; default: a cycle starts where charging\n"
	    "                         starts after a discharge\n"
	    "Output:\n"
	    "  -o, --output FILE      write FILE atomically (default stdout)\n"
	    "  -f, --format FMT       csv (default), ndjson or lp (InfluxDB line protocol)\n"
	    "      --measurement NAME line protocol measurement (default bess_health)\n"
	    "      --summary FILE     one NDJSON record per device: records, times, events\n"
	    "                         per kind, extremes\n"
	    "  -i, --input-format F   csv or ndjson (default: detected)\n"
	    "  -c, --config FILE      read options from FILE (section [bess-health])\n"
	    "      --help, --version\n"
	    "\n"
	    "Exit status: 0 success (with or without events), 1 bad data or I/O error,\n"
	    "2 usage error. See bess-health(1).\n");
}

static int
set(void *ctx, int id, const char *arg, const struct bess_optsrc *src, struct bess_err *err)
{
	struct conf *c = ctx;
	struct bess_qty q;
	char why[256];
	long long us;
	size_t i;

	(void)src;
	if (cli_common_opt(id, arg, usage, &c->output))
		return 0;
	switch (id) {
	case O_FORMAT:
		return cli_fmt_opt(arg, 1, &c->fmt, err);
	case O_INFMT:
		return cli_fmt_opt(arg, 0, &c->infmt, err);
	case O_SUMMARY:
		c->summary = arg;
		return 0;
	case O_LIMITS:
		c->show_limits = 1;
		return 0;
	case O_CYCLES:
		c->cycles = 1;
		return 0;
	case O_CYCLECOL:
		c->cycle_col = arg;
		return 0;
	case O_MEASUREMENT:
		return cli_str_opt(&c->measurement, arg, err);
	}
	for (i = 0; i < NLIM; i++)
		if (lim[i].id == id) {
			if (lim[i].range == L_DUR) {
				if (cli_dur_opt(arg, &us, err) != 0)
					return -1;
				*LIM_US(&c->l, i) = us;
				return 0;
			}
			if (bess_qty_parse(arg, lim[i].dims | BESS_DIM_NONE, &q, why, sizeof(why)) != 0)
				return bess_err_set(err, NULL, 0, "%s", why);
			if ((lim[i].range == L_POS && !(q.value > 0)) ||
			    (lim[i].range == L_NONNEG && !(q.value >= 0)))
				return bess_err_set(err, NULL, 0, "'%s' must be above 0", arg);
			*LIM_D(&c->l, i) = q.value;
			return 0;
		}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

/* The limit's value in force, as text. */
static const char *
lim_text(const struct conf *c, size_t i, char *buf)
{
	if (lim[i].range == L_DUR)	/* a gap of 0: learned from the data */
		return *LIM_US(&c->l, i) > 0 || lim[i].id == O_STUCK ?
		    cli_num6((double)*LIM_US(&c->l, i) / 1e6, buf) : "";
	if (lim[i].id == O_CAPACITY && c->l.capacity_ah <= 0)
		return "";
	return cli_num6(*LIM_D(&c->l, i), buf);
}

static int
write_limits(struct conf *c, FILE *out)
{
	struct bess_writer_opts wo;
	struct bess_schema s;
	struct bess_rec r;
	struct bess_err err;
	char buf[32];
	size_t i;
	int rc = 0;

	memset(&wo, 0, sizeof(wo));
	wo.fmt = c->fmt == BESS_FMT_LP ? BESS_FMT_CSV : c->fmt;
	if ((c->w = bess_writer_new(out, &wo)) == NULL)
		return -1;
	bess_schema_init(&s);
	bess_rec_init(&r);
	bess_schema_add(&s, "limit");
	bess_schema_add(&s, "value");
	bess_schema_add(&s, "unit");
	bess_schema_add(&s, "source");
	if (bess_rec_resize(&r, 4) != 0)
		rc = -1;
	for (i = 0; i < NLIM && rc == 0; i++) {
		const char *v = lim_text(c, i, buf);

		bess_rec_set(&r, 0, lim[i].name, BESS_K_STR);
		bess_rec_set(&r, 1, v, *v ? BESS_K_NUM : BESS_K_NULL);
		bess_rec_set(&r, 2, lim[i].unit, BESS_K_STR);
		bess_rec_set(&r, 3, lim[i].source, BESS_K_STR);
		rc = bess_writer_write(c->w, &s, &r, &err);
	}
	if (rc == 0)
		rc = bess_writer_finish(c->w, &s, &err);
	bess_rec_free(&r);
	bess_schema_free(&s);
	return rc;
}

static int
on_event(void *ctx, const struct bess_health_event *e, struct bess_err *err)
{
	struct conf *c = ctx;
	char a[BESS_TIME_BUFSZ], b[BESS_TIME_BUFSZ], v[32], l[32];

	bess_rec_set(&c->rec, 0, e->device, BESS_K_STR);
	bess_rec_set(&c->rec, 1, bess_time_format(e->start, a), BESS_K_STR);
	if (e->opening)		/* a live stream: the condition still holds */
		bess_rec_set(&c->rec, 2, "", BESS_K_NULL);
	else
		bess_rec_set(&c->rec, 2, bess_time_format(e->end, b), BESS_K_STR);
	bess_rec_set(&c->rec, 3, bess_hkind_name(e->kind), BESS_K_STR);
	bess_rec_set(&c->rec, 4, e->column, BESS_K_STR);
	bess_rec_set(&c->rec, 5, e->alarm ? "alarm" : "warning", BESS_K_STR);
	bess_rec_set(&c->rec, 6, cli_num6(e->value, v), BESS_K_NUM);
	bess_rec_set(&c->rec, 7, cli_num6(e->limit, l), BESS_K_NUM);
	bess_rec_set(&c->rec, 8, e->unit, BESS_K_STR);
	c->events++;
	return bess_writer_write(c->w, &c->s, &c->rec, err);
}

static int
on_cycle(void *ctx, const struct bess_cycle_row *row, struct bess_err *err)
{
	struct conf *c = ctx;
	char a[BESS_TIME_BUFSZ], b[BESS_TIME_BUFSZ], ch[32], dis[32], fade[32], n[32];

	bess_rec_set(&c->rec, 0, row->device, BESS_K_STR);
	bess_rec_set(&c->rec, 1, row->cycle, BESS_K_AUTO);
	bess_rec_set(&c->rec, 2, bess_time_format(row->start, a), BESS_K_STR);
	bess_rec_set(&c->rec, 3, bess_time_format(row->end, b), BESS_K_STR);
	snprintf(n, sizeof(n), "%lld", row->records);
	bess_rec_set(&c->rec, 4, n, BESS_K_NUM);
	bess_rec_set(&c->rec, 5, cli_num6(row->charge_ah, ch), BESS_K_NUM);
	bess_rec_set(&c->rec, 6, cli_num6(row->discharge_ah, dis), BESS_K_NUM);
	if (isnan(row->fade_pct))
		bess_rec_set(&c->rec, 7, "", BESS_K_NULL);
	else
		bess_rec_set(&c->rec, 7, cli_num6(row->fade_pct, fade), BESS_K_NUM);
	return bess_writer_write(c->w, &c->s, &c->rec, err);
}

/* --summary: one NDJSON record per device. */
static int
write_summary(const struct conf *c, const struct bess_health *h)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *mem = open_memstream(&buf, &len);
	int rc = 0;

	if (mem == NULL) {
		cli_errorf("out of memory");
		return -1;
	}
	for (i = 0; i < bess_health_ndevices(h); i++) {
		const struct bess_health_dev *d = bess_health_device(h, i);
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
#define FIG(key, v)	fprintf(mem, ",\"" key "\":%s", isnan(v) ? "null" : cli_num6(v, x))
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
		free(buf);
		cli_errorf("out of memory");
		return -1;
	}
	rc = cli_side_write(c->summary, buf, len);
	free(buf);
	return rc;
}

int
main(int argc, char **argv)
{
	static const char *const ev_cols[] = {
		"device", "start", "end", "kind", "column", "severity", "value", "limit", "unit", NULL
	};
	static const char *const cy_cols[] = {
		"device", "cycle", "start", "end", "records", "charge_ah", "discharge_ah", "fade_pct", NULL
	};
	static const char *const ev_tags[] = { "device", "kind", "column", "severity", NULL };
	static const char *const cy_tags[] = { "device", NULL };
	struct conf c;
	struct bess_err err;
	struct bess_health *h = NULL;
	struct bess_cycles *cy = NULL;
	struct bess_writer_opts wo;
	struct bess_reader_opts ro;
	FILE *out, **fps = NULL;
	const char **names = NULL;
	int first, i, status = 0, live = 0;
	static char dash[] = "-";

	cli_init("bess-health");
	memset(&c, 0, sizeof(c));
	bess_health_defaults(&c.l);
	c.fmt = BESS_FMT_CSV;
	if (bess_opt_load(opts, "bess-health", argc, argv, set, &c, &first, &err) != 0)
		cli_usage("%s", err.msg);
	if ((out = cli_out_open(c.output)) == NULL)
		return cli_finish(EXIT_DATA);
	if (c.show_limits) {
		if (write_limits(&c, out) != 0 || cli_out_commit() != 0)
			status = EXIT_DATA;
		goto done;
	}
	if (c.cycles && c.summary)
		cli_usage("--summary goes with the health checks, not --cycles");
	bess_schema_init(&c.s);
	for (i = 0; (c.cycles ? cy_cols : ev_cols)[i]; i++)
		bess_schema_add(&c.s, (c.cycles ? cy_cols : ev_cols)[i]);
	bess_rec_init(&c.rec);
	if (bess_rec_resize(&c.rec, c.s.n) != 0) {
		cli_errorf("out of memory");
		status = EXIT_DATA;
		goto done;
	}
	if (first == argc)
		argv[--first] = dash;
	/* every input opened first: a pipe among them makes each event go out as soon as known */
	if ((fps = calloc((size_t)(argc - first), sizeof(*fps))) == NULL ||
	    (names = calloc((size_t)(argc - first), sizeof(*names))) == NULL) {
		cli_errorf("out of memory");
		status = EXIT_DATA;
		goto done;
	}
	for (i = first; i < argc; i++) {
		if ((fps[i - first] = cli_open_in(argv[i], &names[i - first])) == NULL) {
			status = EXIT_DATA;
			goto done;
		}
		live |= cli_is_live(fps[i - first]);
	}
	memset(&wo, 0, sizeof(wo));
	wo.fmt = c.fmt;
	wo.measurement = c.measurement ? c.measurement : "bess_health";
	wo.time_col = "start";
	wo.tags = c.cycles ? cy_tags : ev_tags;
	wo.flush_each = live;
	wo.no_header = c.fmt == BESS_FMT_CSV && cli_out_appends(out);
	if ((c.w = bess_writer_new(out, &wo)) == NULL) {
		cli_errorf("out of memory");
		status = EXIT_DATA;
		goto done;
	}
	if (c.cycles ? (cy = bess_cycles_new(c.cycle_col, on_cycle, &c)) == NULL :
	    (h = bess_health_new(&c.l, on_event, &c)) == NULL) {
		cli_errorf("out of memory");
		status = EXIT_DATA;
		goto done;
	}
	if (h != NULL)
		bess_health_report_starts(h, live);	/* an operator needs to know now */
	memset(&ro, 0, sizeof(ro));
	ro.fmt = c.infmt;
	ro.skip = -1;
	for (i = first; i < argc && status == 0; i++) {
		const char *name = names[i - first];
		struct bess_reader *r;
		struct bess_rec rec;
		size_t ncols = (size_t)-1;
		int rc;

		/* keys the checks do not read never grow the schema (a live stream of ever new keys) */
		if ((r = bess_reader_open_keys(fps[i - first], name, &ro, c.cycles ? NULL :
		    bess_health_reads, &err)) == NULL) {
			cli_error(&err);
			status = EXIT_DATA;
			break;
		}
		memset(&rec, 0, sizeof(rec));
		while ((rc = bess_reader_next(r, &rec, &err)) == 1) {
			const struct bess_schema *s = bess_reader_schema(r);

			if (s->n != ncols) {
				ncols = s->n;
				rc = c.cycles ? bess_cycles_columns(cy, s, &err) : bess_health_columns(h, s, &err);
				if (rc != 0) {
					snprintf(err.file, sizeof(err.file), "%s", name);
					break;
				}
			}
			if ((c.cycles ? bess_cycles_feed(cy, &rec, name, &err) :
			    bess_health_feed(h, &rec, name, &err)) != 0) {
				rc = -1;
				break;
			}
		}
		if (rc < 0) {
			cli_error(&err);
			status = EXIT_DATA;
		}
		bess_reader_close(r);
	}
	if (status == 0 && (c.cycles ? bess_cycles_finish(cy, &err) : bess_health_finish(h, &err)) != 0) {
		cli_error(&err);
		status = EXIT_DATA;
	}
	if (status == 0 && bess_writer_finish(c.w, &c.s, &err) != 0) {
		cli_error(&err);
		status = EXIT_DATA;
	}
	if (status == 0 && c.summary && write_summary(&c, h) != 0)
		status = EXIT_DATA;
	if (status == 0 && cli_out_commit() != 0)
		status = EXIT_DATA;
done:
	if (status != 0)
		cli_out_abort();
	bess_writer_free(c.w);
	bess_health_free(h);
	bess_cycles_free(cy);
	bess_rec_free(&c.rec);
	bess_schema_free(&c.s);
	free(c.measurement);
	for (i = 0; fps && i < argc - first; i++)
		if (fps[i])
			cli_close_in(fps[i]);
	free(fps);
	free(names);
	return cli_finish(status);
}
