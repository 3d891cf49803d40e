/* test_csvsplit.c: the CSV reader's split of plain lines (and its hand-over to libcsv), fields worked out by hand. */
#include <stdio.h>
#include <string.h>

#include "bess_rec.h"
#include "tap.h"

/* Read text as CSV with delimiter d; every record as "line:[f1][f2]..." joined by spaces. */
static const char *
fields(const char *text, char d)
{
	static char out[2048];
	struct bess_reader_opts ro;
	struct bess_reader *r;
	struct bess_rec rec;
	struct bess_err err;
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	size_t i, n = 0;
	int rc;

	memset(&ro, 0, sizeof(ro));
	ro.fmt = BESS_FMT_CSV;
	ro.delim = d;
	ro.skip = 0;
	out[0] = '\0';
	if (fp == NULL || (r = bess_reader_open(fp, "t", &ro, &err)) == NULL) {
		if (fp)
			fclose(fp);
		return "open failed";
	}
	while ((rc = bess_reader_next(r, &rec, &err)) == 1) {
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%ld:", n ? " " : "", rec.line);
		for (i = 0; i < rec.n; i++)
			n += (size_t)snprintf(out + n, sizeof(out) - n, "[%s]", rec.v[i]);
	}
	if (rc < 0)
		snprintf(out + n, sizeof(out) - n, " error %ld: %s", err.line, err.msg);
	bess_reader_close(r);
	fclose(fp);
	return out;
}

int
main(void)
{
	/* spaces and tabs around fields are trimmed, inner ones kept; empty fields stay */
	is_str(fields("a,b,c\n x , y ,z\n\t1\t,2 2,\n", ','),
	    "2:[x][y][z] 3:[1][2 2][]", "commas: edges trimmed, inner space kept, empty last field");
	/* a blank or space-only line is no record; CRLF; no newline at the end */
	is_str(fields("a,b\n1,2\r\n\n   \n3,4", ','), "2:[1][2] 5:[3][4]",
	    "CRLF, blank and space-only lines skipped, last line without newline");
	/* quoted fields go to libcsv, plain lines around them do not */
	is_str(fields("a,b\n1,\"x,\"\"y\"\"\"\n\"multi\nline\",2\n5,6\n", ','),
	    "2:[1][x,\"y\"] 3:[multi\nline][2] 5:[5][6]",
	    "quoted fields with a delimiter, quotes and a newline, then plain lines");
	/* tab as delimiter: a tab ends a field, spaces are still trimmed */
	is_str(fields("a\tb\n x \t y\n\t7\n", '\t'), "2:[x][y] 3:[][7]",
	    "tabs: fields split at tabs, spaces trimmed, empty first field");
	/* long fields (longer than a word) and many of them */
	is_str(fields("a;b;c\nabcdefghijklmnop;q;0123456789012345678\n", ';'),
	    "2:[abcdefghijklmnop][q][0123456789012345678]", "fields of 1 to 19 bytes");
	/* too many fields is an error naming the line */
	is_str(fields("a,b\n1,2\n1,2,3\n", ','), "2:[1][2] error 3: 3 fields, but the header has 2",
	    "a long row is an error at its line");
	return done();
}
