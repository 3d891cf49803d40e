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
		int num = bess_rec_num(&rec, (int)i, &x), bk;

		if (rec.kind[i] == BESS_K_NULL)
			continue;
		for (bk = 0; bat_keys[bk] && strncmp(k, bat_keys[bk], strlen(bat_keys[bk])) != 0; bk++)
			;
		if (bat_keys[bk]) {	/* one battery's key */
			struct bess_state_battery *b = bess_state_battery(s, k + strlen(bat_keys[bk]));

			if (b == NULL) {
				bess_err_set(err, path, rec.line, "'%s': more than %d batteries, or the id is "
				    "longer than %d bytes", k, BESS_STATE_MAX_BATTERIES, BESS_STATE_ID_MAX - 1);
				goto done;
			}
			if (bk == 1) {
				if (state_time(path, rec.line, k, v, &b->soc_ts, err) != 0)
					goto done;
			} else if (bk == 3) {
				snprintf(b->status, sizeof(b->status), "%s", v);
			} else if (num != 0) {
				bess_err_set(err, path, rec.line, "'%s': '%s' is not a number", k, v);
				goto done;
			} else if (bk == 0) {
				b->soc_kwh = x;
			} else {
				b->command_kw = x;
			}
			continue;
		}
		if ((got = bess_state_dev_key(s, path, rec.line, k, v, num, x, err)) < 0)
			goto done;
		if (got > 0)
			continue;	/* a device's key (lib/statedev.c) */
		if (strncmp(k, BILLED_PREFIX, strlen(BILLED_PREFIX)) == 0)
			continue;	/* below, once "bills" is known */
		if ((got = bill_key(&s->bills, path, rec.line, k, v, num, x, err)) < 0)
			goto done;
		if (got > 0)
			continue;
		if (strcmp(k, "state_version") == 0) {
			if (num != 0 || !(x == 1 || x == 2 || x == 3)) {
				bess_err_set(err, path, rec.line, "'state_version': '%s' is not a version this "
				    "build reads (1 to %d): written by a newer bess?", v, BESS_STATE_VERSION);
				goto done;
			}
			s->version = (int)x;
		} else if (strcmp(k, "runs") == 0 && num == 0) {
			/* a count: cast only what fits (1e300 would be undefined behaviour) */
			if (!(x >= 0 && x <= 1e15) || x != floor(x)) {
				bess_err_set(err, path, rec.line, "'runs': '%s' is not a whole number from 0 "
				    "to 1000000000000000", v);
				goto done;
			}
			s->runs = (long)x;
		}
		else if (strcmp(k, "ts") == 0) {
			if (state_time(path, rec.line, k, v, &s->ts, err) != 0)
				goto done;
		} else if (strcmp(k, "soc_ts") == 0) {
			if (state_time(path, rec.line, k, v, &s->soc_ts, err) != 0)
				goto done;
		} else if (strcmp(k, "load_fc_ts") == 0 || strcmp(k, "load_fc_prev_ts") == 0) {
			if (state_time(path, rec.line, k, v, &s->fc_ts[k[8] == 'p'], err) != 0)
				goto done;
		} else if ((strcmp(k, "load_fc_kw") == 0 || strcmp(k, "load_fc_prev_kw") == 0) && num == 0)
			s->fc_kw[k[8] == 'p'] = x;
		else if (strcmp(k, "battery_kw") == 0 && num == 0)
			s->command_kw = x;
		else if (strcmp(k, "soc_kwh") == 0 && num == 0)
			s->soc_kwh = x;
		else if (strcmp(k, "status") == 0)
			snprintf(s->status, sizeof(s->status), "%s", v);
		else if (strcmp(k, "peak_bill") == 0)
			snprintf(s->peak_bill, sizeof(s->peak_bill), "%s", v);
		else if (strcmp(k, "dr_event") == 0)
			snprintf(s->dr_event, sizeof(s->dr_event), "%s", v);
		else if (strcmp(k, "dr_import_kwh") == 0 && num == 0)
			s->dr_import_kwh = x;
		else if (strncmp(k, PEAK_PREFIX, strlen(PEAK_PREFIX)) == 0 && num == 0 &&
		    s->npeak < BESS_STATE_MAX_PEAKS) {
			snprintf(s->peak_name[s->npeak], sizeof(s->peak_name[0]), "%s", k + strlen(PEAK_PREFIX));
			s->peak_kw[s->npeak++] = x;
		} else if (num < 0 && strcmp(k, "status") != 0 && strcmp(k, "peak_bill") != 0 && !bill_str_key(k)) {
			bess_err_set(err, path, rec.line, "'%s': '%s' is not a number", k, v);
			goto done;
		}
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

int
bess_state_write(const char *path, const struct bess_state *s, struct bess_err *err)
{
	struct bess_schema sc;
	struct bess_rec rec;
	struct bess_writer_opts wo;
	struct bess_writer *w = NULL;
	struct bess_kv dk;		/* the devices' keys */
	char *buf = NULL, txt[8][BESS_TIME_BUFSZ + 32], (*pk)[32] = NULL, fc[2][32];
	char (*bk)[4][BESS_STATE_ID_MAX + 16] = NULL, (*bv)[3][BESS_TIME_BUFSZ + 32] = NULL;
	size_t len = 0, i, f = 0;
	FILE *mf;
	int rc = -1;
	struct {		/* the texts of the bills so far's fields */
		char bills[BESS_STATE_MAX_BILLS * 17 + 1];
		char win[BESS_STATE_MAX_WIN * 32 + 1];
		char ts[BESS_TIME_BUFSZ];
		char num[6][32];
		char dr[32];
		char billed[BESS_STATE_MAX_BILLS][BESS_STATE_MAX_PEAKS][32];
	} *bt = NULL;

	bess_schema_init(&sc);
	bess_rec_init(&rec);
	bess_kv_init(&dk);
	if ((mf = open_memstream(&buf, &len)) == NULL) {
		bess_kv_free(&dk);
		return bess_err_set(err, path, 0, "out of memory");
	}
	if ((pk = calloc(s->npeak + 1, sizeof(*pk))) == NULL ||
	    (bk = calloc(s->nbat + 1, sizeof(*bk))) == NULL || (bv = calloc(s->nbat + 1, sizeof(*bv))) == NULL)
		goto oom;
#define FIELD(name, text, kind) do { \
		if (bess_schema_add(&sc, name) < 0 || bess_rec_resize(&rec, sc.n) != 0) \
			goto oom; \
		bess_rec_set(&rec, f++, text, kind); \
	} while (0)
	if (s->ndev > 0)	/* devices kept: version 3 */
		FIELD("state_version", "3", BESS_K_NUM);
	else if (s->nbat > 0)	/* one battery given the old way writes version 1, byte for byte */
		FIELD("state_version", "2", BESS_K_NUM);
	snprintf(txt[0], sizeof(txt[0]), "%ld", s->runs);
	FIELD("runs", txt[0], BESS_K_NUM);
	if (s->ts != 0)
		FIELD("ts", bess_time_format(s->ts, txt[1]), BESS_K_STR);
	else
		FIELD("ts", "", BESS_K_NULL);
	if (isnan(s->command_kw))
		FIELD("battery_kw", "", BESS_K_NULL);
	else {
		bess_fmt_num(s->command_kw, txt[2]);
		FIELD("battery_kw", txt[2], BESS_K_NUM);
	}
	FIELD("status", s->status, s->status[0] ? BESS_K_STR : BESS_K_NULL);
	if (isnan(s->soc_kwh)) {
		FIELD("soc_kwh", "", BESS_K_NULL);
		FIELD("soc_ts", "", BESS_K_NULL);
	} else {
		bess_fmt_num(s->soc_kwh, txt[3]);
		FIELD("soc_kwh", txt[3], BESS_K_NUM);
		FIELD("soc_ts", bess_time_format(s->soc_ts, txt[4]), BESS_K_STR);
	}
	FIELD("peak_bill", s->peak_bill, s->peak_bill[0] ? BESS_K_STR : BESS_K_NULL);
	for (i = 0; i < s->npeak; i++) {
		char key[80];

		snprintf(key, sizeof(key), PEAK_PREFIX "%s", s->peak_name[i]);
		bess_fmt_num(s->peak_kw[i], pk[i]);
		FIELD(key, pk[i], BESS_K_NUM);
	}
	for (i = 0; i < 2; i++)
		if (s->fc_ts[i] != 0) {
			FIELD(i ? "load_fc_prev_ts" : "load_fc_ts", bess_time_format(s->fc_ts[i], txt[5 + i]), BESS_K_STR);
			bess_fmt_num(s->fc_kw[i], fc[i]);
			FIELD(i ? "load_fc_prev_kw" : "load_fc_kw", fc[i], BESS_K_NUM);
		}
	if (s->bills.nbill > 0) {	/* the bills so far */
		const struct bess_state_bills *b = &s->bills;
		char *o;
		size_t j, nb = b->nbill < BESS_STATE_MAX_BILLS ? b->nbill : BESS_STATE_MAX_BILLS;

		if ((bt = calloc(1, sizeof(*bt))) == NULL)
			goto oom;
		for (i = 0, o = bt->bills; i < nb; i++)
			o += sprintf(o, "%s%s", i ? "," : "", b->label[i]);
		FIELD("bills", bt->bills, BESS_K_STR);
		snprintf(bt->num[0], sizeof(bt->num[0]), "%ld", b->base);
		FIELD("bill_base", bt->num[0], BESS_K_NUM);
		FIELD("bill_ts", b->ts ? bess_time_format(b->ts, bt->ts) : "", b->ts ? BESS_K_STR : BESS_K_NULL);
		bess_fmt_num(b->import_kwh, bt->num[1]);
		FIELD("bill_import_kwh", bt->num[1], BESS_K_NUM);
		bess_fmt_num(b->energy_cost, bt->num[2]);
		FIELD("bill_energy_cost", bt->num[2], BESS_K_NUM);
		bess_fmt_num(b->paid_export_kwh, bt->num[3]);
		FIELD("bill_paid_export_kwh", bt->num[3], BESS_K_NUM);
		bess_fmt_num(b->export_revenue, bt->num[4]);
		FIELD("bill_export_revenue", bt->num[4], BESS_K_NUM);
		bess_fmt_num(b->window_kw, bt->num[5]);
		FIELD("bill_window_kw", bt->num[5], BESS_K_NUM);
		for (i = 0, o = bt->win; i < b->nwin && i < BESS_STATE_MAX_WIN; i++)
			o += sprintf(o, "%s%ld:%d", i ? "," : "", b->win_bill[i], b->win_period[i]);
		FIELD("bill_window", bt->win, BESS_K_STR);
		for (i = 0; i < nb; i++)
			for (j = 0; j < b->nperiod && j < BESS_STATE_MAX_PEAKS; j++) {
				char key[128];

				if (isnan(b->billed_kw[i][j]))
					continue;
				snprintf(key, sizeof(key), BILLED_PREFIX "%s/%s", b->label[i], b->period[j]);
				bess_fmt_num(b->billed_kw[i][j], bt->billed[i][j]);
				FIELD(key, bt->billed[i][j], BESS_K_NUM);
			}
	}
	if (s->dr_event[0]) {
		if (bt == NULL && (bt = calloc(1, sizeof(*bt))) == NULL)
			goto oom;
		FIELD("dr_event", s->dr_event, BESS_K_STR);
		bess_fmt_num(s->dr_import_kwh, bt->dr);
		FIELD("dr_import_kwh", bt->dr, BESS_K_NUM);
	}
	for (i = 0; i < s->nbat; i++) {
		const struct bess_state_battery *b = &s->bat[i];
		int j;

		for (j = 0; j < 4; j++)
			snprintf(bk[i][j], sizeof(bk[i][j]), "%s%s", bat_keys[j], b->id);
		if (isnan(b->soc_kwh)) {
			FIELD(bk[i][0], "", BESS_K_NULL);
			FIELD(bk[i][1], "", BESS_K_NULL);
		} else {
			bess_fmt_num(b->soc_kwh, bv[i][0]);
			FIELD(bk[i][0], bv[i][0], BESS_K_NUM);
			FIELD(bk[i][1], bess_time_format(b->soc_ts, bv[i][1]), BESS_K_STR);
		}
		if (isnan(b->command_kw))
			FIELD(bk[i][2], "", BESS_K_NULL);
		else {
			bess_fmt_num(b->command_kw, bv[i][2]);
			FIELD(bk[i][2], bv[i][2], BESS_K_NUM);
		}
		FIELD(bk[i][3], b->status, b->status[0] ? BESS_K_STR : BESS_K_NULL);
	}
	bess_state_dev_kv(s, &dk);	/* the devices' keys (version 3) */
	if (dk.oom)
		goto oom;
	for (i = 0; i < dk.s.n; i++)
		FIELD(dk.s.name[i], dk.r.v[i], dk.r.kind[i]);
#undef FIELD
	memset(&wo, 0, sizeof(wo));
	wo.fmt = BESS_FMT_NDJSON;
	if ((w = bess_writer_new(mf, &wo)) == NULL)
		goto oom;
	if (bess_writer_write(w, &sc, &rec, err) != 0 || bess_writer_finish(w, &sc, err) != 0)
		goto done;
	bess_writer_free(w);
	w = NULL;
	fclose(mf);
	mf = NULL;
	rc = bess_write_atomic(path, buf, len, err);
	goto done;
oom:
	bess_err_set(err, path, 0, "out of memory");
done:
	bess_writer_free(w);
	if (mf)
		fclose(mf);
	free(buf);
	free(pk);
	free(bt);
	free(bk);
	free(bv);
	bess_kv_free(&dk);
	bess_rec_free(&rec);
	bess_schema_free(&sc);
	return rc;
}
