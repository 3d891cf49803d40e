/* fuzz_time.c: libFuzzer target for bess_time_parse, the pattern reader and the TZif reader. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bess_time.h"

/*
 * Build and run: make fuzz (tests/fuzz/run.sh), seeds in tests/fuzz/seeds/fuzz_time/.
 * Input: a timestamp, parsed under several option sets; "PAT\n" + text uses
 * PAT as the pattern; "TZif..." is loaded as a zone file and queried.
 */

static struct bess_tz *berlin, *sydney;

/* The zones are loaded once and only read afterwards. */
static void
setup(void)
{
	struct bess_err err;

	if (berlin != NULL)
		return;
	berlin = bess_tz_load("Europe/Berlin", &err);
	sydney = bess_tz_load("Australia/Sydney", &err);
	if (berlin == NULL || sydney == NULL) {
		fprintf(stderr, "fuzz_time: %s\n", err.msg);
		abort();
	}
}

/* A parse result must be in range, describe itself, and survive format -> parse. */
static void
check(const char *s, size_t len, const struct bess_tparse *o)
{
	static const struct bess_tparse plain = { .prev = INT64_MIN };
	char why[128], buf[BESS_TIME_BUFSZ];
	bess_time_t t = 0, r = 0;
	size_t i, n;
	int rc;

	memset(why, 'x', sizeof(why));
	rc = bess_time_parse(s, len, o, &t, why, sizeof(why));
	if (rc == BESS_TP_ERR) {
		n = strnlen(why, sizeof(why));
		if (n == 0 || n == sizeof(why))
			abort();	/* empty or unterminated message */
		for (i = 0; i < n; i++)
			if ((unsigned char)why[i] < 0x20 || why[i] == 0x7f)
				abort();	/* input bytes must not reach a terminal raw */
		return;
	}
	if (rc == BESS_TP_SKIP) {
		if (o->tz == NULL)
			abort();	/* only a zone can skip */
		return;
	}
	if (rc != BESS_TP_OK)
		abort();
	/* 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999Z */
	if (t < -62167219200LL * BESS_US_PER_S || t >= 253402300800LL * BESS_US_PER_S)
		abort();
	bess_time_format(t, buf);
	if (bess_time_parse(buf, strlen(buf), &plain, &r, why, sizeof(why)) != BESS_TP_OK || r != t) {
		fprintf(stderr, "'%.*s' -> %lld -> '%s' -> %lld (%s)\n", (int)len, s,
		    (long long)t, buf, (long long)r, why);
		abort();
	}
	/* Local time in Berlin, where the offset has whole minutes (after 1893). */
	if (t >= -2208988800LL * BESS_US_PER_S && t < 253402214400LL * BESS_US_PER_S) {
		bess_time_format_local(berlin, t, buf);
		if (bess_time_parse(buf, strlen(buf), &plain, &r, why, sizeof(why)) != BESS_TP_OK ||
		    r != t) {
			fprintf(stderr, "local '%s' -> %lld != %lld\n", buf, (long long)r, (long long)t);
			abort();
		}
	}
}

/* As a possible range "A - B": a range must end after it starts, both in years 0000..9999. */
static void
check_range(const char *s, size_t len, const struct bess_tparse *o)
{
	char why[128];
	bess_time_t a = 0, b = 0;
	int rc = bess_time_parse_range(s, len, o, &a, &b, why, sizeof(why));

	if (rc == BESS_TP_ERR) {
		size_t n = strnlen(why, sizeof(why)), i;

		if (n == 0 || n == sizeof(why))
			abort();
		for (i = 0; i < n; i++)
			if ((unsigned char)why[i] < 0x20 || why[i] == 0x7f)
				abort();
		return;
	}
	if (rc != BESS_TP_OK)
		return;
	if (b != INT64_MIN && (b <= a || b >= 253402300800LL * BESS_US_PER_S))
		abort();
	if (a < -62167219200LL * BESS_US_PER_S || a >= 253402300800LL * BESS_US_PER_S)
		abort();
}

/* Load data as a TZif file and query it; nothing may crash or leak. */
static void
fuzz_tzif(const uint8_t *data, size_t size)
{
	static const int64_t probe[] = { INT64_MIN, -1, 0, 1, 1700000000LL * BESS_US_PER_S,
	    4102444800LL * BESS_US_PER_S, INT64_MAX / 2, INT64_MAX };
	char path[64];
	struct bess_err err;
	struct bess_tz *tz;
	struct bess_civil c;
	bess_time_t t[2];
	size_t i;
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/fuzz_time_%ld.tzif", (long)getpid());
	if ((f = fopen(path, "wb")) == NULL)
		return;
	fwrite(data, 1, size, f);
	fclose(f);
	tz = bess_tz_load(path, &err);
	unlink(path);
	if (tz == NULL)
		return;
	for (i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
		int off = bess_tz_offset(tz, probe[i], NULL);

		if (off <= -26 * 3600 || off >= 26 * 3600)
			abort();
		if (probe[i] > INT64_MIN / 2 && probe[i] < INT64_MAX / 2) {
			bess_time_to_civil(tz, probe[i], &c);
			(void)bess_tz_local_to_utc(tz, probe[i], t);
			if (strlen(bess_tz_abbr(tz, probe[i])) >= BESS_ABBR_MAX)
				abort();
		}
	}
	bess_tz_free(tz);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const pats[] = { "%m/%d/%Y %H:%M:%S", "%d.%m.%Y %H:%M",
	    "%Y%m%d%H%M", "%b %d %Y %I:%M:%S %p %z", "%F %T.%f", "%Y-%j %s" };
	static const int units[] = { 1, 1000, 1000000, 1000000000 };
	const char *s = (const char *)data;
	struct bess_tparse o;
	char pat[64];
	const uint8_t *nl;
	size_t i;
	int g, f;

	setup();
	if (size >= 4 && memcmp(data, "TZif", 4) == 0) {
		fuzz_tzif(data, size);
		return 0;
	}

	memset(&o, 0, sizeof(o));
	o.prev = INT64_MIN;
	o.naive_utc = 1;
	check(s, size, &o);			/* ISO 8601 / RFC 3339, naive = UTC */
	o.naive_utc = 0;
	check(s, size, &o);			/* offsets required */

	o.tz = berlin;
	for (g = BESS_GAP_ERROR; g <= BESS_GAP_SKIP; g++) {
		for (f = BESS_FOLD_ERROR; f <= BESS_FOLD_SKIP; f++) {
			o.gap = (enum bess_gap_policy)g;
			o.fold = (enum bess_fold_policy)f;
			o.prev = f == BESS_FOLD_INFER && g == BESS_GAP_FORWARD ? 0 : INT64_MIN;
			check(s, size, &o);
		}
	}
	o.tz = sydney;
	o.gap = BESS_GAP_FORWARD;
	o.fold = BESS_FOLD_LATER;
	check(s, size, &o);

	/* ENTSO-E style ranges with zone markers, default rules and a slashed pattern */
	o.tz = berlin;
	o.gap = BESS_GAP_ERROR;
	o.fold = BESS_FOLD_ERROR;
	check_range(s, size, &o);
	o.pattern = "%d/%m/%Y %H:%M:%S";
	o.fold = BESS_FOLD_INFER;
	o.prev = 0;
	check_range(s, size, &o);
	o.pattern = NULL;
	o.prev = INT64_MIN;

	for (i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		o.pattern = pats[i];
		o.tz = i % 2 ? berlin : NULL;
		o.naive_utc = 1;
		check(s, size, &o);
	}
	o.pattern = NULL;
	o.tz = NULL;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		o.epoch_unit = units[i];
		check(s, size, &o);
	}
	o.epoch_unit = 0;

	/* "PATTERN\ntext": fuzz the pattern reader itself. */
	if ((nl = memchr(data, '\n', size)) != NULL && (size_t)(nl - data) < sizeof(pat)) {
		memcpy(pat, data, (size_t)(nl - data));
		pat[nl - data] = '\0';
		if (strlen(pat) == (size_t)(nl - data)) {
			o.pattern = pat;
			o.naive_utc = 1;
			o.tz = berlin;
			o.gap = BESS_GAP_BACKWARD;
			o.fold = BESS_FOLD_EARLIER;
			check((const char *)nl + 1, size - (size_t)(nl - data) - 1, &o);
		}
	}
	return 0;
}
