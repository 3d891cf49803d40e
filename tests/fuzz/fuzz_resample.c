/* fuzz_resample.c: libFuzzer target for bess-resample's engine (lib/resample.c) from a buffer. */
#include "fuzz_rec.h"

#include "bess_resample.h"
#include "bess_time.h"

/*
 * Build and run: make fuzz (tests/fuzz/run.sh), seeds in tests/fuzz/seeds/fuzz_resample/.
 * The first byte picks the options (step, aggregation, fill, max gap,
 * duplicates, coverage), the rest is a bess record stream. The grid is kept
 * to a window (a day at 15 minutes, or 2000-2030 by day) so that the output
 * is bounded whatever the times. The engine either fails with a message or
 * writes a stream that reads back: 'ts' first, times on the grid, strictly
 * increasing (or equal, one row per site/device), inside the window, every number
 * finite.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct bess_reader_opts plain = { BESS_FMT_CSV, ',', 0, 0, 0 };
	struct bess_resample_opts o;
	struct bess_writer_opts wo = { .fmt = BESS_FMT_CSV };
	struct bess_resample *rs;
	struct bess_writer *w;
	struct bess_reader *r;
	struct bess_rec rec;
	struct bess_tparse tp;
	struct bess_err err;
	bess_time_t t, prev = INT64_MIN;
	char *out = NULL, why[256];
	size_t outlen = 0, i;
	long last = 0;
	FILE *in, *mem, *back;
	unsigned sel;
	int rc, keyed;

	if (size < 2)
		return 0;
	sel = data[0];
	memset(&o, 0, sizeof(o));
	o.jobs = 1;
	o.have_begin = o.have_end = 1;
	if (sel & 1) {
		o.step_us = 86400LL * 1000000;	/* 2000-01-01 .. 2030-01-01 by day */
		o.begin = 946684800LL * 1000000;
		o.end = 1893456000LL * 1000000;
	} else {
		o.step_us = 900LL * 1000000;	/* 2023-01-01 by 15 minutes */
		o.begin = 1672531200LL * 1000000;
		o.end = o.begin + 86400LL * 1000000;
	}
	o.agg_all = (enum bess_agg)((sel >> 1) % 11);
	o.fill_all = (sel & 0x20) ? BESS_FILL_LINEAR : BESS_FILL_DEFAULT;
	o.max_gap_us = (sel & 0x40) ? BESS_RS_NO_GAP_LIMIT : 3600LL * 1000000;
	o.dup = (sel & 0x80) ? BESS_RS_DUP_LAST : BESS_RS_DUP_ERROR;
	o.coverage = (sel >> 4) & 1;
	if ((rs = bess_resample_new(&o, &err)) == NULL)
		return 0;	/* an aggregation number out of range: refused */
	if ((in = fmemopen((void *)(data + 1), size - 1, "r")) == NULL)
		abort();
	if ((mem = open_memstream(&out, &outlen)) == NULL || (w = bess_writer_new(mem, &wo)) == NULL)
		abort();
	rc = bess_resample_add(rs, in, "fuzz", "", &err);
	if (rc == 0)
		rc = bess_resample_check_cols(rs, &err);
	if (rc == 0)
		rc = bess_resample_run(rs, w, &err);
	if (rc != 0 && err.msg[0] == '\0')
		FAIL("an error without a message");
	if (rc == 0 && bess_writer_finish(w, NULL, &err) != 0)
		FAIL("writer: %s", err.msg);
	bess_writer_free(w);
	fclose(mem);
	if (rc == 0 && outlen > 0) {
		if ((back = fmemopen(out, outlen, "r")) == NULL)
			abort();
		if ((r = bess_reader_open(back, "out", &plain, &err)) == NULL)
			FAIL("the output does not open: %s", err.msg);
		if (bess_reader_schema(r)->n == 0 || strcmp(bess_reader_schema(r)->name[0], "ts") != 0)
			FAIL("the output's first column is not ts");
		keyed = bess_schema_find(bess_reader_schema(r), "site") >= 0 ||
		    bess_schema_find(bess_reader_schema(r), "device") >= 0;
		memset(&tp, 0, sizeof(tp));
		tp.prev = INT64_MIN;
		while ((rc = bess_reader_next(r, &rec, &err)) == 1) {
			check_rec(bess_reader_schema(r), &rec, &last);
			if (bess_time_parse(rec.v[0], rec.len[0], &tp, &t, why, sizeof(why)) != BESS_TP_OK)
				FAIL("output time '%s' (%s)", rec.v[0], why);
			if (t < prev || (t == prev && !keyed) || t < o.begin || t >= o.end || (t - o.begin) % o.step_us != 0)
				FAIL("output time '%s' is off the grid, out of the window or not after the last",
				    rec.v[0]);
			prev = t;
			for (i = 1; i < rec.n; i++) {
				double v;

				if (rec.kind[i] == BESS_K_NUM && bess_rec_num(&rec, (int)i, &v) != 0)
					FAIL("output field %zu: '%s' is no finite number", i, rec.v[i]);
			}
		}
		if (rc < 0)
			FAIL("the output does not read back: line %ld: %s", err.line, err.msg);
		bess_reader_close(r);
		fclose(back);
	}
	free(out);
	bess_resample_free(rs);
	fclose(in);
	return 0;
}
