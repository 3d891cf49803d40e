/* bess-ingest: messy energy data in (CSV, NDJSON), one clean UTC-timestamped record stream out. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bess_ingest.h"
#include "bess_names.h"
#include "bess_opt.h"
#include "bess_qty.h"
#include "cli.h"

enum {
	O_FORMAT = CLI_O_OWN, O_TZ, O_UTC, O_BEGIN, O_END,
	O_TIMECOL, O_TIMEFMT, O_EPOCH, O_ELAPSED, O_LABEL, O_INTERVAL, O_GAP, O_FOLD,
	O_MAP, O_UNIT, O_TAG, O_FILETAG, O_KEEP, O_DROP, O_DEVICE, O_WHERE, O_MISSING, O_DECIMAL,
	O_CAPACITY, O_SKIPBAD, O_SORT, O_SORTMEM, O_DUP, O_JOBS, O_INFMT, O_DELIM, O_SKIP, O_NOHEADER,
	O_RAGGED, O_MEASUREMENT, O_LPTAGS, O_QUIET, O_SCHEMA, O_DEVICES, O_OFFSET, O_LIMIT
};

static const struct bess_optdef opts[] = {
	CLI_OPT_ROWS,
	{ "format", 'f', BESS_OPT_ARG, O_FORMAT },
	{ "tz", 0, BESS_OPT_ARG, O_TZ },
	{ "utc", 0, BESS_OPT_FLAG, O_UTC },
	{ "begin", 0, BESS_OPT_ARG, O_BEGIN },
	{ "end", 0, BESS_OPT_ARG, O_END },
	{ "time-col", 'T', BESS_OPT_ARG, O_TIMECOL },
	{ "time-col", 't', BESS_OPT_ARG | BESS_OPT_OLD, O_TIMECOL },	/* -t is --topic elsewhere */
	{ "time-format", 0, BESS_OPT_ARG, O_TIMEFMT },
	{ "epoch", 0, BESS_OPT_ARG, O_EPOCH },
	{ "elapsed", 0, BESS_OPT_ARG, O_ELAPSED },
	{ "label", 0, BESS_OPT_ARG, O_LABEL },
	{ "interval", 0, BESS_OPT_ARG, O_INTERVAL },
	{ "dst-gap", 0, BESS_OPT_ARG, O_GAP },
	{ "dst-fold", 0, BESS_OPT_ARG, O_FOLD },
	{ "map", 'm', BESS_OPT_ARG, O_MAP },
	{ "unit", 'U', BESS_OPT_ARG, O_UNIT },
	{ "unit", 'u', BESS_OPT_ARG | BESS_OPT_OLD, O_UNIT },	/* -u is --username elsewhere */
	{ "tag", 0, BESS_OPT_ARG, O_TAG },
	{ "file-tag", 0, BESS_OPT_ARG, O_FILETAG },
	{ "keep", 'k', BESS_OPT_ARG, O_KEEP },
	{ "drop", 0, BESS_OPT_ARG, O_DROP },
	{ "device", 0, BESS_OPT_ARG, O_DEVICE },
	{ "where", 0, BESS_OPT_ARG, O_WHERE },
	{ "missing", 0, BESS_OPT_ARG, O_MISSING },
	{ "decimal-comma", 0, BESS_OPT_FLAG, O_DECIMAL },
	{ "capacity", 0, BESS_OPT_ARG, O_CAPACITY },
	{ "skip-bad", 0, BESS_OPT_FLAG, O_SKIPBAD },
	{ "sort", 0, BESS_OPT_FLAG, O_SORT },
	{ "sort-memory", 0, BESS_OPT_ARG, O_SORTMEM },
	{ "dup", 0, BESS_OPT_ARG, O_DUP },
	{ "jobs", 'j', BESS_OPT_ARG, O_JOBS },
	{ "input-format", 'i', BESS_OPT_ARG, O_INFMT },
	{ "delimiter", 'd', BESS_OPT_ARG, O_DELIM },
	{ "skip", 0, BESS_OPT_ARG, O_SKIP },
	{ "no-header", 0, BESS_OPT_FLAG, O_NOHEADER },
	{ "ragged", 0, BESS_OPT_FLAG, O_RAGGED },
	{ "measurement", 0, BESS_OPT_ARG, O_MEASUREMENT },
	{ "lp-tags", 0, BESS_OPT_ARG, O_LPTAGS },
	{ "quiet", 'q', BESS_OPT_FLAG, O_QUIET },
	{ "schema", 0, BESS_OPT_ARG, O_SCHEMA },
	{ "devices", 0, BESS_OPT_FLAG, O_DEVICES },
	{ "offset", 0, BESS_OPT_ARG, O_OFFSET },
	{ "limit", 0, BESS_OPT_ARG, O_LIMIT },
	{ NULL, 0, 0, 0 }
};

struct conf {
	struct bess_ingest_opts ig;	/* what the library needs */
	const char *output;		/* -o FILE, NULL = stdout */
	enum bess_fmt fmt;		/* output format */
	char *tzname;			/* --tz */
	struct bess_tz *tz;
	char *begin, *end;		/* window texts, parsed after --tz is known */
	char *measurement;		/* line protocol measurement */
	char **lptags;			/* line protocol tag columns */
	size_t nlptags;
	int quiet;			/* no warnings */
};

static void
usage(void)
{
	printf("usage: bess-ingest [options] [file ...]\n"
	    "Read CSV or NDJSON energy data and write one clean, validated record stream\n"
	    "with UTC timestamps (column 'ts') and canonical column names and units.\n"
	    "\n"
	    "Output:\n"
	    "  -o, --output FILE      write FILE atomically (default stdout)\n"
	    "  -f, --format FMT       csv (default), ndjson or lp (InfluxDB line protocol)\n"
	    "      --measurement NAME line protocol measurement (default bess)\n"
	    "      --lp-tags COLS     line protocol tag columns (default site,device)\n"
	    "Time:\n"
	    "  -T, --time-col COL     time column, by name or 1-based number (default: ts,\n"
	    "                         time, timestamp, datetime, measured_on, MTU, ...);\n"
	    "                         DATE,TIME joins a date and a clock column; a time\n"
	    "                         'A - B' is the interval from A, '02:00 (CEST)' is marked\n"
	    "      --tz ZONE          naive times are local times in IANA ZONE\n"
	    "      --utc              naive times are UTC\n"
	    "      --time-format PAT  strptime-like pattern, e.g. '%%d/%%m/%%Y %%H:%%M:%%S'\n"
	    "                         (needed for dates with slashes)\n"
	    "      --epoch UNIT       the time column is a number of s, ms, us or ns since 1970\n"
	    "      --elapsed COL      time = first record's time + seconds elapsed in COL\n"
	    "      --label end        times label the end of --interval; shift them to the start\n"
	    "      --interval DUR     the interval each record covers (15m, 1h; default: the\n"
	    "                         time range's)\n"
	    "      --dst-gap POLICY   nonexistent local times: error, forward, backward, skip\n"
	    "      --dst-fold POLICY  ambiguous local times: error, earlier, later, infer, skip\n"
	    "      --begin TIME       keep records at or after TIME (RFC 3339)\n"
	    "      --end TIME         keep records before TIME; an input in time order is read\n"
	    "                         only up to it\n"
	    "Columns and units:\n"
	    "  -m, --map SRC=DST      rename column SRC to DST (repeatable)\n"
	    "  -U, --unit COL=UNIT    declare a column's unit: W kW MW, Wh kWh MWh, kWh/15m,\n"
	    "                         EUR/MWh /kWh ct/kWh, %%, V A Ah, C K F (repeatable)\n"
	    "      --capacity QTY     battery capacity, for SOC %% <-> kWh\n"
	    "  -k, --keep COLS        write only these columns (comma-separated, after renaming)\n"
	    "      --drop COLS        leave these columns out\n"
	    "      --tag KEY=VALUE    add a constant column, e.g. site=berlin (repeatable)\n"
	    "      --file-tag COL     add column COL holding each input file's base name\n"
	    "      --device IDS       keep records whose 'device' is one of IDS\n"
	    "      --where COL=VALUE  keep records whose COL is VALUE (repeatable: all must hold)\n"
	    "      --missing LIST     texts meaning 'no value' (default N/A,NA,NaN,\n"
	    "                         null,None,#N/A,n/e,-)\n"
	    "      --decimal-comma    numbers use a decimal comma (1,5)\n"
	    "      --schema telemetry BMS/PCS names (soc, voltage, cell_max_voltage, temp_igbt,\n"
	    "                         ...) to canonical names and units (bess(7), NAME MAPPINGS);\n"
	    "                         device id spellings (device_id, rack, ...) always map\n"
	    "Devices and pages:\n"
	    "      --devices          list each device (and site): first_ts, last_ts, records\n"
	    "      --offset N         leave out the first N records (after --device, --where, ...)\n"
	    "      --limit N          write at most N records, then stop reading\n"
	    "Input:\n"
	    "  -i, --input-format F   csv or ndjson (default: detected)\n"
	    "  -d, --delimiter C      CSV delimiter: ',' ';' tab '|' (default: detected)\n"
	    "      --skip N           lines before the CSV header (default: detected)\n"
	    "      --no-header        the CSV has no header; columns are col1, col2, ...\n"
	    "      --ragged           pad short CSV rows with missing values\n"
	    "Errors and order:\n"
	    "      --skip-bad         drop bad records, count them on stderr, exit 0\n"
	    "      --sort             sort by time in memory (otherwise order is checked)\n"
	    "      --sort-memory SIZE the most --sort holds before it stops with an error\n"
	    "                         (default: half the physical memory; e.g. 512M, 8G)\n"
	    "      --dup POLICY       duplicate times: error (default), first, last, mean, keep\n"
	    "  -j, --jobs N           threads reading a large CSV file in blocks (default: one\n"
	    "                         per processor; 1 = read it in one thread)\n"
	    "  -q, --quiet            no warnings\n"
	    "  -c, --config FILE      read options from FILE (keys are long option names)\n"
	    "      --help, --version\n"
	    "\n"
	    "Exit status: 0 success, 1 bad data or I/O error, 2 usage error.\n"
	    "See bess-ingest(1) and bess(7).\n");
}

static int
add_kv(struct bess_kv **list, size_t *n, const char *s, struct bess_err *err)
{
	struct bess_kv kv, *q;

	if (bess_kv_parse(s, &kv) != 0)
		return bess_err_set(err, NULL, 0, "'%s' is not KEY=VALUE", s);
	if ((q = realloc(*list, (*n + 1) * sizeof(**list))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	*list = q;
	(*list)[(*n)++] = kv;
	return 0;
}

static int
set(void *ctx, int id, const char *arg, const struct bess_optsrc *src, struct bess_err *err)
{
	struct conf *c = ctx;
	struct bess_qty q;
	long long us;
	char why[256];
	long n;
	int k;

	(void)src;
	switch (id) {
	case O_FORMAT:
		return bess_opt_fmt(arg, 1, &c->fmt, err);
	case O_TZ:
		c->ig.tp.naive_utc = 0;
		return bess_opt_str(&c->tzname, arg, err);
	case O_UTC:
		c->ig.tp.naive_utc = 1;
		free(c->tzname);
		c->tzname = NULL;
		return 0;
	case O_BEGIN:
		return bess_opt_str(&c->begin, arg, err);
	case O_END:
		return bess_opt_str(&c->end, arg, err);
	case O_TIMECOL:
		c->ig.time_col = arg;
		return 0;
	case O_TIMEFMT:
		c->ig.tp.pattern = arg;
		return 0;
	case O_EPOCH: {
		static const int unit[] = { 1, 1000, 1000000, 1000000000 };

		if (bess_opt_pick(arg, (const char *const[]){ "s", "ms", "us", "ns", NULL }, &k, err) != 0)
			return -1;
		c->ig.tp.epoch_unit = unit[k];
		return 0;
	}
	case O_ELAPSED:
		c->ig.elapsed_col = arg;
		return 0;
	case O_LABEL:
		if (bess_opt_pick(arg, (const char *const[]){ "start", "end", NULL }, &k, err) != 0)
			return -1;
		c->ig.label_shift_us = k ? -1 : 0;	/* end: resolved once --interval is known */
		return 0;
	case O_INTERVAL:
		if (bess_opt_dur(arg, &us, err) != 0)
			return -1;
		c->ig.interval_us = us;
		return 0;
	case O_GAP: {
		static const enum bess_gap_policy gap[] = {
			BESS_GAP_ERROR, BESS_GAP_FORWARD, BESS_GAP_BACKWARD, BESS_GAP_SKIP
		};

		if (bess_opt_pick(arg, (const char *const[]){ "error", "forward", "backward", "skip", NULL },
		    &k, err) != 0)
			return -1;
		c->ig.tp.gap = gap[k];
		return 0;
	}
	case O_FOLD: {
		static const enum bess_fold_policy fold[] = {
			BESS_FOLD_ERROR, BESS_FOLD_EARLIER, BESS_FOLD_LATER, BESS_FOLD_INFER, BESS_FOLD_SKIP
		};

		if (bess_opt_pick(arg, (const char *const[]){ "error", "earlier", "later", "infer", "skip",
		    NULL }, &k, err) != 0)
			return -1;
		c->ig.tp.fold = fold[k];
		return 0;
	}
	case O_MAP:
		return add_kv(&c->ig.map, &c->ig.nmap, arg, err);
	case O_UNIT:
		return add_kv(&c->ig.unit, &c->ig.nunit, arg, err);
	case O_TAG:
		return add_kv(&c->ig.tag, &c->ig.ntag, arg, err);
	case O_FILETAG:
		c->ig.file_tag = arg;
		return 0;
	case O_KEEP:
		return bess_opt_list_add(&c->ig.keep, &c->ig.nkeep, arg, err);
	case O_DROP:
		return bess_opt_list_add(&c->ig.drop, &c->ig.ndrop, arg, err);
	case O_DEVICE:
		return bess_opt_list_add(&c->ig.device, &c->ig.ndevice, arg, err);
	case O_WHERE:
		return add_kv(&c->ig.where, &c->ig.nwhere, arg, err);
	case O_MISSING:
		if (c->ig.missing == NULL && (c->ig.missing = calloc(1, sizeof(char *))) == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
		return bess_opt_list_add(&c->ig.missing, &c->ig.nmissing, arg, err);
	case O_DECIMAL:
		c->ig.decimal_comma = 1;
		return 0;
	case O_CAPACITY:
		if (bess_qty_parse(arg, BESS_DIM_ENERGY, &q, why, sizeof(why)) != 0)
			return bess_err_set(err, NULL, 0, "%s", why);
		if (q.value <= 0)
			return bess_err_set(err, NULL, 0, "capacity must be positive");
		c->ig.capacity_kwh = q.value;
		return 0;
	case O_SKIPBAD:
		c->ig.skip_bad = 1;
		return 0;
	case O_SORT:
		c->ig.sort = 1;
		return 0;
	case O_SORTMEM:
		return bess_opt_mem(arg, &c->ig.sort_max_bytes, err);
	case O_JOBS:
		if (bess_opt_int(arg, 1, 64, &n, err) != 0)
			return -1;
		c->ig.jobs = (int)n;
		return 0;
	case O_DUP: {
		static const enum bess_dup_policy dup[] = {
			BESS_DUP_ERROR, BESS_DUP_FIRST, BESS_DUP_LAST, BESS_DUP_MEAN, BESS_DUP_KEEP
		};

		if (bess_opt_pick(arg, (const char *const[]){ "error", "first", "last", "mean", "keep", NULL },
		    &k, err) != 0)
			return -1;
		c->ig.dup = dup[k];
		return 0;
	}
	case O_INFMT:
		return bess_opt_fmt(arg, 0, &c->ig.rd.fmt, err);
	case O_DELIM:
		if (!strcmp(arg, "tab") || !strcmp(arg, "\\t"))
			c->ig.rd.delim = '\t';
		else if (strlen(arg) == 1 && strchr(",;\t| ", arg[0]))
			c->ig.rd.delim = arg[0];
		else
			return bess_err_set(err, NULL, 0, "'%s' is not one of , ; tab |", arg);
		return 0;
	case O_SKIP:
		if (bess_opt_int(arg, 0, 100000, &n, err) != 0)
			return -1;
		c->ig.rd.skip = (int)n;
		return 0;
	case O_NOHEADER:
		c->ig.rd.no_header = 1;
		return 0;
	case O_RAGGED:
		c->ig.rd.allow_ragged = 1;
		return 0;
	case O_MEASUREMENT:
		return bess_opt_str(&c->measurement, arg, err);
	case O_LPTAGS:
		return bess_opt_list_add(&c->lptags, &c->nlptags, arg, err);
	case O_QUIET:
		c->quiet = 1;
		return 0;
	case O_SCHEMA: {
		unsigned m;

		if (bess_names_parse(arg, &m) != 0)
			return bess_err_set(err, NULL, 0, "'%s' is not a known schema (telemetry)", arg);
		c->ig.names |= m;
		return 0;
	}
	case O_DEVICES:
		c->ig.list_devices = 1;
		return 0;
	case O_OFFSET: {
		long long v;
		char *end;

		v = strtoll(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || v < 0)
			return bess_err_set(err, NULL, 0, "'%s' is not a whole number of records", arg);
		c->ig.offset = v;
		return 0;
	}
	case O_LIMIT: {
		long long v;
		char *end;

		v = strtoll(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || v < 1)
			return bess_err_set(err, NULL, 0, "'%s' is not a number of records from 1", arg);
		c->ig.limit = v;
		return 0;
	}
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

static void
free_kv(struct bess_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

static void
conf_free(struct conf *c)
{
	free(c->tzname);
	free(c->begin);
	free(c->end);
	free(c->measurement);
	bess_opt_list_free(c->lptags, c->nlptags);
	bess_opt_list_free(c->ig.keep, c->ig.nkeep);
	bess_opt_list_free(c->ig.drop, c->ig.ndrop);
	bess_opt_list_free(c->ig.device, c->ig.ndevice);
	bess_opt_list_free(c->ig.missing, c->ig.nmissing);
	free_kv(c->ig.map, c->ig.nmap);
	free_kv(c->ig.unit, c->ig.nunit);
	free_kv(c->ig.tag, c->ig.ntag);
	free_kv(c->ig.where, c->ig.nwhere);
	bess_tz_free(c->tz);
}

static void
warn(void *ctx, const struct bess_err *w)
{
	char buf[1024];

	if (((struct conf *)ctx)->quiet)
		return;
	cli_warnf("%s", bess_err_str(w, buf, sizeof(buf)));
}

/* One input opened, handed to the engine. */
static int
add(void *ig, size_t k, FILE *fp, const char *name, struct bess_err *err)
{
	(void)k;
	return bess_ingest_add(ig, fp, name, err);
}

/* For the progress line: bytes of the inputs read. */
static long long
consumed(const void *ig)
{
	return bess_ingest_consumed(ig);
}

int
main(int argc, char **argv)
{
	static const char *const default_lptags[] = { "site", "device", NULL };
	struct conf c;
	struct bess_err err;
	struct bess_ingest *ig = NULL;
	struct bess_writer *w = NULL;
	struct bess_writer_opts wo;
	struct cli_inputs in = { NULL, NULL, 0 };
	int first, status = 0;

	cli_init("bess-ingest");
	memset(&c, 0, sizeof(c));
	c.fmt = BESS_FMT_CSV;
	c.ig.rd.skip = -1;
	c.ig.tp.prev = INT64_MIN;
	c.ig.names = BESS_NAMES_IDS;
	c.ig.sort_max_bytes = bess_opt_half_memory();	/* --sort stops there unless told otherwise */
	if (cli_opt_load(opts, argc, argv, set, &c, usage, &c.output, &first, &err) != 0)
		cli_usage_err(&err);
	c.tz = cli_tz_load(c.tzname);
	c.ig.tp.tz = c.tz;
	if (c.ig.label_shift_us < 0) {
		if (c.ig.interval_us <= 0)
			cli_usage("--label end needs --interval (the length each record covers)");
		c.ig.label_shift_us = c.ig.interval_us;
	}
	if (c.ig.tp.epoch_unit && c.ig.tp.pattern)
		cli_usage("--epoch and --time-format exclude each other");
	if (c.begin) {
		c.ig.begin = cli_time_opt("begin", c.begin, c.tz, c.ig.tp.naive_utc);
		c.ig.have_begin = 1;
	}
	if (c.end) {
		c.ig.end = cli_time_opt("end", c.end, c.tz, c.ig.tp.naive_utc);
		c.ig.have_end = 1;
	}
	if (c.ig.have_begin && c.ig.have_end && c.ig.end <= c.ig.begin)
		cli_usage("--end must be after --begin");
	c.ig.warn = warn;
	c.ig.warn_ctx = &c;
	if ((ig = bess_ingest_new(&c.ig, &err)) == NULL)
		cli_usage("%s", err.msg);

	/* open every input first, so all headers are known before the output starts */
	memset(&wo, 0, sizeof(wo));
	wo.measurement = c.measurement;
	wo.tags = c.lptags ? (const char *const *)c.lptags : default_lptags;
	if (cli_inputs_open(&in, argc, argv, first, add, ig) != 0 ||
	    (w = cli_records_out(c.output, c.fmt, &in, &wo, 65536, consumed, ig, c.quiet)) == NULL)
		status = EXIT_DATA;
	else
		status = cli_records_end(bess_ingest_run(ig, w, &err), &err);
	if (status != 0)
		cli_out_abort();
	bess_writer_free(w);
	bess_ingest_free(ig);
	cli_inputs_close(&in);
	conf_free(&c);
	return cli_finish(status);
}
