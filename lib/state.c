/* state.c: flock-based run locks and the controller's state record (written by lib/atomic.c). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bess_qty.h"
#include "bess_rec.h"
#include "bess_state.h"
#include "bess_summary.h"

int
bess_lock_try(const char *path, int *fd, struct bess_err *err)
{
	size_t plen = strlen(path);
	char *lk = malloc(plen + 6);
	int f;

	*fd = -1;
	if (lk == NULL)
		return bess_err_set(err, path, 0, "out of memory");
	memcpy(lk, path, plen);
	memcpy(lk + plen, ".lock", 6);
	if ((f = open(lk, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		bess_err_set(err, lk, 0, "%s", strerror(errno));
		free(lk);
		return -1;
	}
	free(lk);
	if (flock(f, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;

		close(f);
		if (e == EWOULDBLOCK)
			return 1;
		return bess_err_set(err, path, 0, "cannot lock: %s", strerror(e));
	}
	*fd = f;
	return 0;
}

void
bess_lock_release(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}

void
bess_state_init(struct bess_state *s)
{
	memset(s, 0, sizeof(*s));
	s->version = 1;
	s->command_kw = NAN;
	s->soc_kwh = NAN;
}

static int state_time(const char *path, long line, const char *key, const char *v, bess_time_t *t,
    struct bess_err *err);

#define BILLED_PREFIX "billed_kw/"

/* Is k a key of the bills so far that holds a string? */
static int
bill_str_key(const char *k)
{
	return strcmp(k, "bills") == 0 || strcmp(k, "bill_window") == 0 || strcmp(k, "dr_event") == 0;
}

/* The bills so far's key k (value v, number x when num == 0): 1 taken, 0 not one of them, -1 bad (err). */
static int
bill_key(struct bess_state_bills *b, const char *path, long line, const char *k, const char *v,
    int num, double x, struct bess_err *err)
{
	if (strcmp(k, "bills") == 0) {
		const char *p = v;

		b->nbill = 0;
		while (*p) {
			size_t n = strcspn(p, ",");

			if (n == 0 || n >= sizeof(b->label[0]) || b->nbill == BESS_STATE_MAX_BILLS)
				return bess_err_set(err, path, line, "'bills': '%s' is not a list of at most %d "
				    "bill labels", v, BESS_STATE_MAX_BILLS);
			memcpy(b->label[b->nbill], p, n);
			b->label[b->nbill][n] = '\0';
			b->nbill++;
			p += n + (p[n] == ',');
		}
		return 1;
	}
	if (strcmp(k, "bill_window") == 0) {
		const char *p = v;

		b->nwin = 0;
		while (*p) {
			long bi;
			int pi, used;

			if (b->nwin == BESS_STATE_MAX_WIN || sscanf(p, "%ld:%d%n", &bi, &pi, &used) != 2 || bi < 0 ||
			    pi < -1 || pi >= BESS_STATE_MAX_PEAKS || (p[used] != ',' && p[used] != '\0'))
				return bess_err_set(err, path, line, "'bill_window': '%s' is not a list of "
				    "BILL:PERIOD steps", v);
			b->win_bill[b->nwin] = bi;
			b->win_period[b->nwin++] = pi;
			p += used + (p[used] == ',');
		}
		return 1;
	}
	if (strcmp(k, "bill_ts") == 0)
		return state_time(path, line, k, v, &b->ts, err) == 0 ? 1 : -1;
	if (num != 0)
		return 0;
	if (strcmp(k, "bill_base") == 0) {
		if (!(x >= 0 && x <= 1e9) || x != floor(x))
			return bess_err_set(err, path, line, "'bill_base': '%s' is not a whole number from 0 "
			    "to 1000000000", v);
		b->base = (long)x;
	} else if (strcmp(k, "bill_import_kwh") == 0) {
		b->import_kwh = x;
	} else if (strcmp(k, "bill_energy_cost") == 0) {
		b->energy_cost = x;
	} else if (strcmp(k, "bill_paid_export_kwh") == 0) {
		b->paid_export_kwh = x;
	} else if (strcmp(k, "bill_export_revenue") == 0) {
		b->export_revenue = x;
	} else if (strcmp(k, "bill_window_kw") == 0) {
		b->window_kw = x;
	} else {
		return 0;
	}
	return 1;
}

/* A billed_kw/LABEL/PERIOD key (after "bills" is known): 1 taken, 0 not one, -1 bad (err). */
static int
billed_key(struct bess_state_bills *b, const char *path, long line, const char *k, const char *v,
    int num, double x, struct bess_err *err)
{
	const char *lab, *per;
	size_t i, j, n;

	if (strncmp(k, BILLED_PREFIX, strlen(BILLED_PREFIX)) != 0)
		return 0;
	lab = k + strlen(BILLED_PREFIX);
	if ((per = strchr(lab, '/')) == NULL || num != 0)
		return bess_err_set(err, path, line, "'%s': '%s' is not a number of billed_kw/BILL/PERIOD", k, v);
	n = (size_t)(per++ - lab);
	for (i = 0; i < b->nbill && !(strlen(b->label[i]) == n && strncmp(b->label[i], lab, n) == 0); i++)
		;
	if (i == b->nbill)
		return bess_err_set(err, path, line, "'%s': the bill is not in 'bills'", k);
	for (j = 0; j < b->nperiod && strcmp(b->period[j], per) != 0; j++)
		;
	if (j == b->nperiod) {
		if (j == BESS_STATE_MAX_PEAKS || strlen(per) >= sizeof(b->period[0]))
			return bess_err_set(err, path, line, "'%s': too many demand periods", k);
		snprintf(b->period[j], sizeof(b->period[j]), "%s", per);
		for (n = 0; n < BESS_STATE_MAX_BILLS; n++)
			b->billed_kw[n][j] = NAN;
		b->nperiod++;
	}
	b->billed_kw[i][j] = x;
	return 1;
}

struct bess_state_battery *
bess_state_battery(struct bess_state *s, const char *id)
{
	struct bess_state_battery *b;
	size_t i;

	for (i = 0; i < s->nbat; i++)
		if (strcmp(s->bat[i].id, id) == 0)
			return &s->bat[i];
	if (s->nbat == BESS_STATE_MAX_BATTERIES || strlen(id) >= BESS_STATE_ID_MAX)
		return NULL;
	b = &s->bat[s->nbat++];
	memset(b, 0, sizeof(*b));
	snprintf(b->id, sizeof(b->id), "%s", id);
	b->soc_kwh = b->command_kw = NAN;
	return b;
}

#define PEAK_PREFIX "peak_kw/"

/* The per-battery keys of version 2, "KEY/ID". */
static const char *const bat_keys[] = { "soc_kwh/", "soc_ts/", "battery_kw/", "status/", NULL };

/* A time field, or an error naming the key. */
static int
state_time(const char *path, long line, const char *key, const char *v, bess_time_t *t,
    struct bess_err *err)
{
	char why[200];

	if (*v == '\0') {
		*t = 0;
		return 0;
	}
	if (bess_time_parse(v, strlen(v), NULL, t, why, sizeof(why)) != BESS_TP_OK)
		return bess_err_set(err, path, line, "'%s': %s", key, why);
	return 0;
}

/* A battery's key of version 2, "KEY/ID": 1 taken, 0 not one of them, -1 bad (err). */
static int
battery_key(struct bess_state *s, const char *path, long line, const char *k, const char *v,
    int num, double x, struct bess_err *err)
{
	struct bess_state_battery *b;
	int bk;

	for (bk = 0; bat_keys[bk] && strncmp(k, bat_keys[bk], strlen(bat_keys[bk])) != 0; bk++)
		;
	if (bat_keys[bk] == NULL)
		return 0;
	if ((b = bess_state_battery(s, k + strlen(bat_keys[bk]))) == NULL)
		return bess_err_set(err, path, line, "'%s': more than %d batteries, or the id is "
		    "longer than %d bytes", k, BESS_STATE_MAX_BATTERIES, BESS_STATE_ID_MAX - 1);
	if (bk == 1)
		return state_time(path, line, k, v, &b->soc_ts, err) == 0 ? 1 : -1;
	if (bk == 3)
		snprintf(b->status, sizeof(b->status), "%s", v);
	else if (num != 0)
		return bess_err_set(err, path, line, "'%s': '%s' is not a number", k, v);
	else if (bk == 0)
		b->soc_kwh = x;
	else
		b->command_kw = x;
	return 1;
}

/*
 * A key of the run, its command, its peaks, forecasts and event (value v,
 * number x when num == 0); an unknown key is skipped unless its value
 * should be a number and is not. 0, or -1 bad (err).
 */
static int
run_key(struct bess_state *s, const char *path, long line, const char *k, const char *v,
    int num, double x, struct bess_err *err)
{
	if (strcmp(k, "state_version") == 0) {
		if (num != 0 || !(x == 1 || x == 2 || x == 3))
			return bess_err_set(err, path, line, "'state_version': '%s' is not a version this "
			    "build reads (1 to %d): written by a newer bess?", v, BESS_STATE_VERSION);
		s->version = (int)x;
	} else if (strcmp(k, "runs") == 0 && num == 0) {
		/* a count: cast only what fits (1e300 would be undefined behaviour) */
		if (!(x >= 0 && x <= 1e15) || x != floor(x))
			return bess_err_set(err, path, line, "'runs': '%s' is not a whole number from 0 "
			    "to 1000000000000000", v);
		s->runs = (long)x;
	} else if (strcmp(k, "ts") == 0) {
		return state_time(path, line, k, v, &s->ts, err);
	} else if (strcmp(k, "soc_ts") == 0) {
		return state_time(path, line, k, v, &s->soc_ts, err);
	} else if (strcmp(k, "load_fc_ts") == 0 || strcmp(k, "load_fc_prev_ts") == 0) {
		return state_time(path, line, k, v, &s->fc_ts[k[8] == 'p'], err);
	} else if ((strcmp(k, "load_fc_kw") == 0 || strcmp(k, "load_fc_prev_kw") == 0) && num == 0) {
		s->fc_kw[k[8] == 'p'] = x;
	} else if (strcmp(k, "battery_kw") == 0 && num == 0) {
		s->command_kw = x;
	} else if (strcmp(k, "soc_kwh") == 0 && num == 0) {
		s->soc_kwh = x;
	} else if (strcmp(k, "status") == 0) {
		snprintf(s->status, sizeof(s->status), "%s", v);
	} else if (strcmp(k, "peak_bill") == 0) {
		snprintf(s->peak_bill, sizeof(s->peak_bill), "%s", v);
	} else if (strcmp(k, "dr_event") == 0) {
		snprintf(s->dr_event, sizeof(s->dr_event), "%s", v);
	} else if (strcmp(k, "dr_import_kwh") == 0 && num == 0) {
		s->dr_import_kwh = x;
	} else if (strncmp(k, PEAK_PREFIX, strlen(PEAK_PREFIX)) == 0 && num == 0 &&
	    s->npeak < BESS_STATE_MAX_PEAKS) {
		snprintf(s->peak_name[s->npeak], sizeof(s->peak_name[0]), "%s", k + strlen(PEAK_PREFIX));
		s->peak_kw[s->npeak++] = x;
	} else if (num < 0 && strcmp(k, "status") != 0 && strcmp(k, "peak_bill") != 0 && !bill_str_key(k)) {
		return bess_err_set(err, path, line, "'%s': '%s' is not a number", k, v);
	}
	return 0;
}

/*
 * A null field k: a number state_num wrote as null (NAN) is read back as
 * NAN, so a peak or a bill figure not known stays so; any other null is
 * left at its fresh value.
 */
static void
null_key(struct bess_state *s, const char *k)
{
	static const char *const nan_keys[] = { "load_fc_kw", "load_fc_prev_kw", "dr_import_kwh",
	    "bill_import_kwh", "bill_energy_cost", "bill_paid_export_kwh", "bill_export_revenue",
	    "bill_window_kw", NULL };
	size_t i;

	for (i = 0; nan_keys[i] && strcmp(k, nan_keys[i]) != 0; i++)
		;
	if (nan_keys[i] == NULL && strncmp(k, PEAK_PREFIX, strlen(PEAK_PREFIX)) != 0)
		return;
	if (bill_key(&s->bills, NULL, 0, k, "null", 0, NAN, NULL) == 0)
		(void)run_key(s, NULL, 0, k, "null", 0, NAN, NULL);
}

int
bess_state_read(const char *path, struct bess_state *s, struct bess_err *err)
{
	FILE *fp = fopen(path, "r");
	struct bess_reader_opts ro;
	struct bess_reader *r;
	struct bess_rec rec;
	const struct bess_schema *sc;
	size_t i;
	int rc = -1, got;

	bess_state_init(s);
	if (fp == NULL) {
		if (errno == ENOENT)
			return 0;
		return bess_err_set(err, path, 0, "%s", strerror(errno));
	}
	memset(&ro, 0, sizeof(ro));
	ro.fmt = BESS_FMT_NDJSON;
	bess_rec_init(&rec);
	if ((r = bess_reader_open(fp, path, &ro, err)) == NULL) {
		fclose(fp);
		return -1;
	}
	if ((got = bess_reader_next(r, &rec, err)) < 0)
		goto done;
	if (got == 0) {		/* an empty file: fresh */
		rc = 0;
		goto done;
	}
	sc = bess_reader_schema(r);
	for (i = 0; i < rec.n && i < sc->n; i++) {
		const char *k = sc->name[i], *v = rec.v[i];
		double x;
		int num = bess_rec_num(&rec, (int)i, &x);

		if (rec.kind[i] == BESS_K_NULL) {
			null_key(s, k);
			continue;
		}
		if ((got = battery_key(s, path, rec.line, k, v, num, x, err)) < 0)
			goto done;
		if (got > 0)
			continue;
		if ((got = bess_state_dev_key(s, path, rec.line, k, v, num, x, err)) < 0)
			goto done;
		if (got > 0)
			continue;	/* a device's key (lib/statedev.c) */
		if (strncmp(k, BILLED_PREFIX, strlen(BILLED_PREFIX)) == 0)
			continue;	/* below, once "bills" is known */
		if ((got = bill_key(&s->bills, path, rec.line, k, v, num, x, err)) < 0)
			goto done;
		if (got == 0 && run_key(s, path, rec.line, k, v, num, x, err) != 0)
			goto done;
	}
	for (i = 0; i < rec.n && i < sc->n; i++) {
		double x;
		int num = bess_rec_num(&rec, (int)i, &x);

		if (rec.kind[i] != BESS_K_NULL &&
		    billed_key(&s->bills, path, rec.line, sc->name[i], rec.v[i], num, x, err) < 0)
			goto done;
	}
	rc = 0;
done:
	bess_reader_close(r);
	/* rec points into the reader: nothing to free */
	fclose(fp);
	return rc;
}

/*
 * A number field written as it is (bess_fmt_num: read back exactly); NAN
 * is null (JSON has no NaN), read back as NAN (null_key).
 */
static void
state_num(struct bess_kv *k, const char *name, double x)
{
	char buf[32];

	if (isnan(x)) {
		bess_kv_add(k, name, NULL, BESS_K_NULL);
		return;
	}
	bess_fmt_num(x, buf);
	bess_kv_add(k, name, buf, BESS_K_NUM);
}

/* A time field (UTC, Z); 0 is null when zero_null. */
static void
state_ts(struct bess_kv *k, const char *name, bess_time_t t, int zero_null)
{
	char buf[BESS_TIME_BUFSZ];

	bess_kv_add(k, name, zero_null && t == 0 ? NULL : bess_time_format(t, buf), BESS_K_STR);
}

/* A string field; "" is null. */
static void
state_str(struct bess_kv *k, const char *name, const char *v)
{
	bess_kv_add(k, name, v[0] ? v : NULL, BESS_K_STR);
}

/* The run and its command: runs, ts, battery_kw, status, and one battery given the old way's soc_kwh and soc_ts. */
static void
write_run(struct bess_kv *k, const struct bess_state *s)
{
	bess_kv_int(k, "runs", s->runs);
	state_ts(k, "ts", s->ts, 1);
	state_num(k, "battery_kw", s->command_kw);
	state_str(k, "status", s->status);
	state_num(k, "soc_kwh", s->soc_kwh);
	if (isnan(s->soc_kwh))
		bess_kv_add(k, "soc_ts", NULL, BESS_K_NULL);
	else
		state_ts(k, "soc_ts", s->soc_ts, 0);
}

/* The peaks reached so far: peak_bill, and peak_kw/PERIOD of each demand period. */
static void
write_peaks(struct bess_kv *k, const struct bess_state *s)
{
	size_t i;

	state_str(k, "peak_bill", s->peak_bill);
	for (i = 0; i < s->npeak; i++) {
		char key[80];

		snprintf(key, sizeof(key), PEAK_PREFIX "%s", s->peak_name[i]);
		state_num(k, key, s->peak_kw[i]);
	}
}

/* The nowcast's kept forecasts: load_fc_ts and load_fc_kw, load_fc_prev_ts and load_fc_prev_kw. */
static void
write_forecasts(struct bess_kv *k, const struct bess_state *s)
{
	size_t i;

	for (i = 0; i < 2; i++)
		if (s->fc_ts[i] != 0) {
			state_ts(k, i ? "load_fc_prev_ts" : "load_fc_ts", s->fc_ts[i], 0);
			state_num(k, i ? "load_fc_prev_kw" : "load_fc_kw", s->fc_kw[i]);
		}
}

/* The bills so far (nothing when there are none): bills, bill_*, billed_kw/BILL/PERIOD. */
static void
write_bills(struct bess_kv *k, const struct bess_state_bills *b)
{
	char list[BESS_STATE_MAX_BILLS * 17 + BESS_STATE_MAX_WIN * 32 + 1], *o;
	size_t i, j, nb = b->nbill < BESS_STATE_MAX_BILLS ? b->nbill : BESS_STATE_MAX_BILLS;

	if (b->nbill == 0)
		return;
	for (i = 0, o = list; i < nb; i++)
		o += sprintf(o, "%s%s", i ? "," : "", b->label[i]);
	bess_kv_add(k, "bills", list, BESS_K_STR);
	bess_kv_int(k, "bill_base", b->base);
	state_ts(k, "bill_ts", b->ts, 1);
	state_num(k, "bill_import_kwh", b->import_kwh);
	state_num(k, "bill_energy_cost", b->energy_cost);
	state_num(k, "bill_paid_export_kwh", b->paid_export_kwh);
	state_num(k, "bill_export_revenue", b->export_revenue);
	state_num(k, "bill_window_kw", b->window_kw);
	for (i = 0, o = list, *o = '\0'; i < b->nwin && i < BESS_STATE_MAX_WIN; i++)
		o += sprintf(o, "%s%ld:%d", i ? "," : "", b->win_bill[i], b->win_period[i]);
	bess_kv_add(k, "bill_window", list, BESS_K_STR);
	for (i = 0; i < nb; i++)
		for (j = 0; j < b->nperiod && j < BESS_STATE_MAX_PEAKS; j++) {
			char key[128];

			if (isnan(b->billed_kw[i][j]))
				continue;
			snprintf(key, sizeof(key), BILLED_PREFIX "%s/%s", b->label[i], b->period[j]);
			state_num(k, key, b->billed_kw[i][j]);
		}
}

/* The demand-response event under way (nothing when none): dr_event, dr_import_kwh. */
static void
write_event(struct bess_kv *k, const struct bess_state *s)
{
	if (s->dr_event[0] == '\0')
		return;
	bess_kv_add(k, "dr_event", s->dr_event, BESS_K_STR);
	state_num(k, "dr_import_kwh", s->dr_import_kwh);
}

/* Each battery of version 2: soc_kwh/ID, soc_ts/ID, battery_kw/ID, status/ID. */
static void
write_batteries(struct bess_kv *k, const struct bess_state *s)
{
	size_t i;

	for (i = 0; i < s->nbat; i++) {
		const struct bess_state_battery *b = &s->bat[i];
		char key[4][BESS_STATE_ID_MAX + 16];
		int j;

		for (j = 0; j < 4; j++)
			snprintf(key[j], sizeof(key[j]), "%s%s", bat_keys[j], b->id);
		state_num(k, key[0], b->soc_kwh);
		if (isnan(b->soc_kwh))
			bess_kv_add(k, key[1], NULL, BESS_K_NULL);
		else
			state_ts(k, key[1], b->soc_ts, 0);
		state_num(k, key[2], b->command_kw);
		state_str(k, key[3], b->status);
	}
}

int
bess_state_write(const char *path, const struct bess_state *s, struct bess_err *err)
{
	struct bess_kv k;
	char *buf;
	size_t len;
	int rc;

	bess_kv_init(&k);
	if (s->ndev > 0)	/* devices kept: version 3 */
		bess_kv_add(&k, "state_version", "3", BESS_K_NUM);
	else if (s->nbat > 0)	/* one battery given the old way writes version 1, byte for byte */
		bess_kv_add(&k, "state_version", "2", BESS_K_NUM);
	write_run(&k, s);
	write_peaks(&k, s);
	write_forecasts(&k, s);
	write_bills(&k, &s->bills);
	write_event(&k, s);
	write_batteries(&k, s);
	bess_state_dev_kv(s, &k);	/* the devices' keys (version 3, lib/statedev.c) */
	buf = bess_kv_line(&k, &len);	/* the one record as one NDJSON line */
	bess_kv_free(&k);
	if (buf == NULL)
		return bess_err_set(err, path, 0, "out of memory");
	rc = bess_write_atomic(path, buf, len, err);
	free(buf);
	return rc;
}
