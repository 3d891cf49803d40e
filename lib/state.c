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
	s->command_kw = NAN;
	s->soc_kwh = NAN;
}

#define PEAK_PREFIX "peak_kw/"

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
		int num = bess_rec_num(&rec, (int)i, &x);

		if (rec.kind[i] == BESS_K_NULL)
			continue;
		if (strcmp(k, "runs") == 0 && num == 0) {
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
		else if (strncmp(k, PEAK_PREFIX, strlen(PEAK_PREFIX)) == 0 && num == 0 &&
		    s->npeak < BESS_STATE_MAX_PEAKS) {
			snprintf(s->peak_name[s->npeak], sizeof(s->peak_name[0]), "%s", k + strlen(PEAK_PREFIX));
			s->peak_kw[s->npeak++] = x;
		} else if (num < 0 && strcmp(k, "status") != 0 && strcmp(k, "peak_bill") != 0) {
			bess_err_set(err, path, rec.line, "'%s': '%s' is not a number", k, v);
			goto done;
		}
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
	char *buf = NULL, txt[8][BESS_TIME_BUFSZ + 32], (*pk)[32] = NULL, fc[2][32];
	size_t len = 0, i, f = 0;
	FILE *mf;
	int rc = -1;

	bess_schema_init(&sc);
	bess_rec_init(&rec);
	if ((mf = open_memstream(&buf, &len)) == NULL)
		return bess_err_set(err, path, 0, "out of memory");
	if ((pk = calloc(s->npeak + 1, sizeof(*pk))) == NULL)
		goto oom;
#define FIELD(name, text, kind) do { \
		if (bess_schema_add(&sc, name) < 0 || bess_rec_resize(&rec, sc.n) != 0) \
			goto oom; \
		bess_rec_set(&rec, f++, text, kind); \
	} while (0)
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
	bess_rec_free(&rec);
	bess_schema_free(&sc);
	return rc;
}
