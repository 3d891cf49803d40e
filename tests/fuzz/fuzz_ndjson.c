/* fuzz_ndjson.c: libFuzzer target for the NDJSON reader (lib/rec.c) and the writers (lib/recout.c). */
#include "fuzz_rec.h"

/*
 * Build and run: make fuzz (tests/fuzz/run.sh), seeds in tests/fuzz/seeds/fuzz_ndjson/.
 * The input is read as NDJSON (forced, and detected). Every record must
 * match the schema as it stands (fuzz_rec.h); every record is written as
 * CSV, NDJSON and line protocol and what comes out is checked; the NDJSON
 * written must read back to the same schema, texts and kinds.
 */

/* Read data with o into d; write each record with the three writers when write is set. */
static int
read_ndjson(const uint8_t *data, size_t size, enum bess_fmt fmt, struct dump *d, int write,
    char **nd, size_t *ndlen)
{
	static const char *const tags[] = { "site", "device", "id", NULL };
	struct bess_reader_opts o = { fmt, 0, -1, 0, 0 };
	struct bess_writer_opts ndo = { .fmt = BESS_FMT_NDJSON };
	struct writers ws;
	struct bess_writer *keep = NULL;
	FILE *all = NULL;
	struct bess_err err;
	struct bess_reader *r;
	struct bess_rec rec;
	long last = 0;
	int rc;
	FILE *fp = fmemopen((void *)data, size, "r");

	if (fp == NULL)
		abort();
	if ((r = bess_reader_open(fp, "fuzz", &o, &err)) == NULL) {
		fclose(fp);
		return -1;
	}
	if (fmt == BESS_FMT_NDJSON && bess_reader_format(r) != BESS_FMT_NDJSON)
		FAIL("format %d with NDJSON forced", (int)bess_reader_format(r));
	if (write)
		writers_open(&ws, tags);
	if (nd != NULL) {	/* all of it as NDJSON, for the round trip */
		if ((all = open_memstream(nd, ndlen)) == NULL)
			abort();
		keep = bess_writer_new(all, &ndo);
	}
	while ((rc = bess_reader_next(r, &rec, &err)) == 1) {
		const struct bess_schema *s = bess_reader_schema(r);

		check_rec(s, &rec, &last);
		dump_rec(d, &rec);
		if (write)
			writers_write(&ws, s, &rec);
		if (keep && bess_writer_write(keep, s, &rec, &err) != 0)
			FAIL("NDJSON writer: %s", err.msg);
	}
	dump_schema(d, bess_reader_schema(r));
	if (rc < 0 && err.msg[0] == '\0')
		FAIL("an error without a message");
	if (write)
		writers_close(&ws);
	if (keep) {
		bess_writer_free(keep);
		fclose(all);
	}
	bess_reader_close(r);
	fclose(fp);
	return rc < 0 ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dump a, b;
	char *nd = NULL;
	size_t ndlen = 0;
	int rc;

	if (size == 0)
		return 0;
	dump_open(&a);
	rc = read_ndjson(data, size, BESS_FMT_NDJSON, &a, 1, &nd, &ndlen);
	dump_close(&a);
	if (rc == 0 && ndlen > 0) {
		dump_open(&b);
		rc = read_ndjson((const uint8_t *)nd, ndlen, BESS_FMT_NDJSON, &b, 0, NULL, NULL);
		dump_close(&b);
		if (rc != 0 || a.n != b.n || memcmp(a.p, b.p, a.n) != 0)
			FAIL("NDJSON written does not read back the same:\n--- read\n%.*s\n--- written\n"
			    "%.*s\n--- read back\n%.*s", (int)a.n, a.p, (int)ndlen, nd, (int)b.n, b.p);
		free(b.p);
	}
	free(a.p);
	free(nd);
	dump_open(&a);
	(void)read_ndjson(data, size, BESS_FMT_AUTO, &a, 1, NULL, NULL);
	dump_close(&a);
	free(a.p);
	return 0;
}
