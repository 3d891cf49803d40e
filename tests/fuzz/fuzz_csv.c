/* fuzz_csv.c: libFuzzer target for the CSV reader (lib/rec.c) and the writers (lib/recout.c). */
#include "fuzz_rec.h"

/*
 * Build and run: make fuzz (tests/fuzz/run.sh), seeds in tests/fuzz/seeds/fuzz_csv/.
 * The input is read as CSV under several option sets. Every record must
 * match its schema (fuzz_rec.h), every record is written as CSV, NDJSON and
 * line protocol and what comes out is checked, and the CSV written must read
 * back to the same header and records.
 */

static const struct bess_reader_opts optsets[] = {
	{ BESS_FMT_CSV, 0, -1, 0, 0 },		/* detect delimiter and preamble */
	{ BESS_FMT_CSV, ',', 0, 0, 0 },		/* plain RFC 4180 */
	{ BESS_FMT_CSV, ';', -1, 0, 1 },	/* semicolon, ragged rows padded */
	{ BESS_FMT_CSV, '\t', 0, 1, 0 },	/* tab, no header */
	{ BESS_FMT_CSV, '|', 2, 0, 1 },		/* pipe, two preamble lines */
};

/* Read the CSV text in data with o into d (schema, then records); the number of records or -1. */
static long
read_csv(const uint8_t *data, size_t size, const struct bess_reader_opts *o, struct dump *d,
    int write)
{
	static const char *const tags[] = { "site", "device", "col2", NULL };
	struct writers ws;
	struct bess_err err;
	struct bess_reader *r;
	struct bess_rec rec;
	long n = 0, last = 0;
	int rc;
	FILE *fp = fmemopen((void *)data, size, "r");

	if (fp == NULL)
		abort();
	if ((r = bess_reader_open(fp, "fuzz", o, &err)) == NULL) {
		fclose(fp);
		return -1;
	}
	if (bess_reader_format(r) != BESS_FMT_CSV)
		FAIL("format %d with CSV forced", (int)bess_reader_format(r));
	dump_schema(d, bess_reader_schema(r));
	if (write)
		writers_open(&ws, tags);
	while ((rc = bess_reader_next(r, &rec, &err)) == 1) {
		const struct bess_schema *s = bess_reader_schema(r);

		check_rec(s, &rec, &last);
		dump_rec(d, &rec);
		if (write)
			writers_write(&ws, s, &rec);
		n++;
	}
	if (rc < 0 && (err.line < 0 || err.msg[0] == '\0'))
		FAIL("an error without a message");
	if (write)
		writers_close(&ws);
	bess_reader_close(r);
	fclose(fp);
	return rc < 0 ? -1 : n;
}

/* Read data, write it as CSV, read that back: the same names and records. */
static void
round_trip(const uint8_t *data, size_t size, const struct bess_reader_opts *o)
{
	static const struct bess_reader_opts plain = { BESS_FMT_CSV, ',', 0, 0, 0 };
	struct bess_writer_opts wo = { .fmt = BESS_FMT_CSV };
	struct dump a, b;
	struct bess_err err;
	struct bess_reader *r;
	struct bess_writer *w;
	struct bess_rec rec;
	char *out = NULL;
	size_t outlen = 0;
	FILE *fp, *mem;
	long n;
	int rc;

	if ((fp = fmemopen((void *)data, size, "r")) == NULL)
		abort();
	if ((r = bess_reader_open(fp, "fuzz", o, &err)) == NULL) {
		fclose(fp);
		return;
	}
	dump_open(&a);
	dump_schema(&a, bess_reader_schema(r));
	mem = open_memstream(&out, &outlen);
	w = bess_writer_new(mem, &wo);
	while ((rc = bess_reader_next(r, &rec, &err)) == 1) {
		dump_rec(&a, &rec);
		if (bess_writer_write(w, bess_reader_schema(r), &rec, &err) != 0)
			FAIL("CSV writer: %s", err.msg);
	}
	if (bess_writer_finish(w, bess_reader_schema(r), &err) != 0)
		FAIL("CSV writer finish: %s", err.msg);
	bess_writer_free(w);
	fclose(mem);
	bess_reader_close(r);
	fclose(fp);
	dump_close(&a);
	if (rc == 0 && outlen > 0) {
		dump_open(&b);
		n = read_csv((const uint8_t *)out, outlen, &plain, &b, 0);
		dump_close(&b);
		if (n < 0 || b.n != a.n || memcmp(a.p, b.p, a.n) != 0)
			FAIL("CSV written does not read back the same:\n--- read\n%.*s\n--- written\n%.*s\n"
			    "--- read back (%ld)\n%.*s", (int)a.n, a.p, (int)outlen, out, n, (int)b.n, b.p);
		free(b.p);
	}
	free(a.p);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i;

	if (size == 0)
		return 0;
	for (i = 0; i < sizeof(optsets) / sizeof(optsets[0]); i++) {
		struct dump d;

		dump_open(&d);
		(void)read_csv(data, size, &optsets[i], &d, 1);
		dump_close(&d);
		free(d.p);
	}
	round_trip(data, size, &optsets[0]);
	round_trip(data, size, &optsets[2]);
	return 0;
}
