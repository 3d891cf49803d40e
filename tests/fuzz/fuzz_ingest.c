/* fuzz_ingest.c: libFuzzer target for the whole bess-ingest pipeline (lib/ingest.c over lib/rec.c) from a buffer. */
#include "fuzz_rec.h"

#include "bess_ingest.h"
#include "bess_time.h"

/*
 * Build and run: make fuzz (tests/fuzz/run.sh), seeds in tests/fuzz/seeds/fuzz_ingest/.
 * The first byte picks the options (time reading, sorting, duplicates,
 * units, decimal comma), the rest is the input file. Whatever the input,
 * the pipeline either fails with a message or writes a stream that bess
 * reads back: CSV with 'ts' first, every ts RFC 3339 in UTC ('Z') between
 * years 0000 and 9999, never going back in time, and every
 * number finite.
 */

static void
check_output(const char *out, size_t len)
{
	static const struct bess_reader_opts plain = { BESS_FMT_CSV, ',', 0, 0, 0 };
	struct bess_tparse tp;
	struct bess_err err;
	struct bess_reader *r;
	struct bess_rec rec;
	bess_time_t t, prev = INT64_MIN;
	long last = 0;
	char why[256];
	size_t i;
	int rc;
	FILE *fp = fmemopen((void *)out, len, "r");

	if (fp == NULL)
		abort();
	if ((r = bess_reader_open(fp, "out", &plain, &err)) == NULL)
		FAIL("the output does not open: %s", err.msg);
	if (bess_reader_schema(r)->n == 0 || strcmp(bess_reader_schema(r)->name[0], "ts") != 0)
		FAIL("the output's first column is not ts");
	memset(&tp, 0, sizeof(tp));
	tp.prev = INT64_MIN;
	while ((rc = bess_reader_next(r, &rec, &err)) == 1) {
		check_rec(bess_reader_schema(r), &rec, &last);
		if (rec.len[0] < 20 || rec.v[0][rec.len[0] - 1] != 'Z' ||
		    bess_time_parse(rec.v[0], rec.len[0], &tp, &t, why, sizeof(why)) != BESS_TP_OK)
			FAIL("output time '%s' on line %ld (%s)", rec.v[0], rec.line, why);
		if (t < prev)
			FAIL("output time '%s' on line %ld goes back", rec.v[0], rec.line);
		prev = t;
		for (i = 1; i < rec.n; i++) {
			double v;

			if (rec.kind[i] == BESS_K_NUM && bess_rec_num(&rec, (int)i, &v) != 0)
				FAIL("output field %zu on line %ld: '%s' is no finite number", i, rec.line,
				    rec.v[i]);
		}
	}
	if (rc < 0)
		FAIL("the output does not read back: line %ld: %s", err.line, err.msg);
	bess_reader_close(r);
	fclose(fp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bess_kv units[] = { { "load", "MW" }, { "soc", "%" }, { "price", "EUR/MWh" } };
	static struct bess_kv maps[] = { { "load", "load_kw" }, { "soc", "soc_kwh" } };
	struct bess_ingest_opts o;
	struct bess_writer_opts wo = { .fmt = BESS_FMT_CSV };
	struct bess_ingest *ig;
	struct bess_writer *w;
	struct bess_err err;
	char *out = NULL;
	size_t outlen = 0;
	FILE *in, *mem;
	unsigned sel;
	int rc;

	if (size < 1)
		return 0;
	sel = data[0];
	memset(&o, 0, sizeof(o));
	o.rd.fmt = BESS_FMT_AUTO;
	o.rd.skip = -1;
	o.tp.naive_utc = 1;
	o.tp.prev = INT64_MIN;
	if (sel & 1)
		o.tp.epoch_unit = sel & 2 ? 1000 : 1;
	o.sort = (sel >> 2) & 1;
	o.dup = (enum bess_dup_policy)((sel >> 3) % 5);
	if (sel & 0x40) {
		o.map = maps;
		o.nmap = 2;
		o.unit = units;
		o.nunit = 3;
		o.capacity_kwh = 100;
	}
	o.decimal_comma = (sel >> 7) & 1;
	o.skip_bad = (sel >> 5) & 1;
	if (sel & 0x20)
		o.label_shift_us = 3600000000LL;
	if ((in = fmemopen((void *)(data + 1), size - 1 ? size - 1 : 1, "r")) == NULL)
		abort();
	if (size == 1)	/* fmemopen needs a byte: read none of it */
		fseek(in, 0, SEEK_END);
	if ((ig = bess_ingest_new(&o, &err)) == NULL)
		FAIL("options refused: %s", err.msg);
	if ((mem = open_memstream(&out, &outlen)) == NULL || (w = bess_writer_new(mem, &wo)) == NULL)
		abort();
	rc = bess_ingest_add(ig, in, "fuzz", &err);
	if (rc == 0)
		rc = bess_ingest_run(ig, w, &err);
	if (rc != 0 && err.msg[0] == '\0')
		FAIL("an error without a message");
	bess_writer_free(w);
	fclose(mem);
	if (rc == 0 && outlen > 0)
		check_output(out, outlen);
	free(out);
	bess_ingest_free(ig);
	fclose(in);
	return 0;
}
