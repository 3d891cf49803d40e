/* test_rec.c: unit tests for the record reader (lib/rec.c) and writers (lib/recout.c), printing TAP. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bess_rec.h"
#include "tap.h"

/*
 * Where the expectations come from (never from this code's output):
 *   [4180]  RFC 4180 (CSV): fields separated by the delimiter, a quoted field
 *           may hold delimiters, line breaks and "" for one quote; line breaks
 *           inside quotes belong to the field.
 *   [8259]  RFC 8259 (JSON): string escapes, number grammar, objects.
 *   [lp]    InfluxDB line protocol reference (1.x and 2.x "special
 *           characters"): measurement escapes comma and space; tag keys, tag
 *           values and field keys escape comma, equals sign and space; string
 *           field values escape double quote and backslash; backslash needs no
 *           escape elsewhere; newlines are not allowed in values; tags sorted
 *           by key (Go bytes.Compare); timestamps in nanoseconds.
 *           tests/integration/lib-lineprotocol.sh checks the same against a
 *           real influxd.
 *   [doc]   the promises in lib/bess_rec.h and man/bess.7.
 *   [gen]   a generator written here: the logical field values it produced.
 *   [hand]  worked out by hand in the comment next to it.
 */

/* ---------- helpers ---------- */

/* A growable string. */
struct str {
	char *p;
	size_t n, cap;
};

static void
sadd(struct str *s, const char *p, size_t n)
{
	if (s->n + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 256;

		while (cap < s->n + n + 1)
			cap *= 2;
		if ((s->p = realloc(s->p, cap)) == NULL) {
			printf("Bail out! out of memory\n");
			exit(1);
		}
		s->cap = cap;
	}
	memcpy(s->p + s->n, p, n);
	s->n += n;
	s->p[s->n] = '\0';
}

static void
sputs(struct str *s, const char *p)
{
	sadd(s, p, strlen(p));
}

static void
sputc(struct str *s, char c)
{
	sadd(s, &c, 1);
}

/* Append field text with '\n', '\r', '|', '\\' and NUL made visible. */
static void
sadd_vis(struct str *s, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (p[i]) {
		case '\n': sputs(s, "\\n"); break;
		case '\r': sputs(s, "\\r"); break;
		case '|': sputs(s, "\\|"); break;
		case '\\': sputs(s, "\\\\"); break;
		case '\0': sputs(s, "\\0"); break;
		default: sputc(s, p[i]);
		}
	}
}

/* A stream over len bytes of text (fmemopen needs at least one byte). */
static FILE *
open_mem(const char *text, size_t len)
{
	FILE *fp = len ? fmemopen((void *)text, len, "r") : fopen("/dev/null", "r");

	if (fp == NULL) {
		printf("Bail out! cannot open a memory stream\n");
		exit(1);
	}
	return fp;
}

/*
 * Read everything and describe it in one string:
 *   "H:name|name\n" then per record "L<line>:field|field\n",
 * and "E:<file:line: msg>\n" on an error (open or read). A record whose n
 * differs from the schema's is marked "!n". Missing fields (kind NULL) show
 * as "~" when show_null is set.
 */
static char *
dump_fp(FILE *fp, const struct bess_reader_opts *o, int show_null)
{
	struct str s = { 0 };
	struct bess_err err;
	struct bess_reader *r;
	struct bess_rec rec;
	char buf[1024], num[32];
	size_t i;
	int rc;

	sputs(&s, "");
	if ((r = bess_reader_open(fp, "t.csv", o, &err)) == NULL) {
		sputs(&s, "E:");
		sputs(&s, bess_err_str(&err, buf, sizeof(buf)));
		sputs(&s, "\n");
		fclose(fp);
		return s.p;
	}
	for (;;) {
		const struct bess_schema *sc;

		rc = bess_reader_next(r, &rec, &err);
		sc = bess_reader_schema(r);
		if (rc <= 0)
			break;
		if (s.n == 0) {
			sputs(&s, "H:");
			for (i = 0; i < sc->n; i++) {
				if (i)
					sputc(&s, '|');
				sadd_vis(&s, sc->name[i], strlen(sc->name[i]));
			}
			sputs(&s, "\n");
		}
		snprintf(num, sizeof(num), "L%ld:", rec.line);
		sputs(&s, num);
		if (rec.n != sc->n)
			sputs(&s, "!n");
		for (i = 0; i < rec.n; i++) {
			if (i)
				sputc(&s, '|');
			if (show_null && rec.kind[i] == BESS_K_NULL)
				sputc(&s, '~');
			else
				sadd_vis(&s, rec.v[i], rec.len[i]);
			if (strlen(rec.v[i]) != rec.len[i] && memchr(rec.v[i], 0, rec.len[i]) == NULL)
				sputs(&s, "!len");
		}
		sputs(&s, "\n");
	}
	if (s.n == 0) {
		const struct bess_schema *sc = bess_reader_schema(r);

		sputs(&s, "H:");
		for (i = 0; i < sc->n; i++) {
			if (i)
				sputc(&s, '|');
			sadd_vis(&s, sc->name[i], strlen(sc->name[i]));
		}
		sputs(&s, "\n");
	}
	if (rc < 0) {
		sputs(&s, "E:");
		sputs(&s, bess_err_str(&err, buf, sizeof(buf)));
		sputs(&s, "\n");
	}
	bess_reader_close(r);
	fclose(fp);
	return s.p;
}

static char *
dump_opts(const char *text, size_t len, const struct bess_reader_opts *o, int show_null)
{
	return dump_fp(open_mem(text, len), o, show_null);
}

/*
 * The same through a pipe that a child process fills in chunks of 1 to
 * maxchunk bytes, so the reader's read(2) path sees lines cut anywhere.
 */
static char *
dump_pipe(const char *text, size_t len, const struct bess_reader_opts *o, unsigned maxchunk,
    unsigned seed)
{
	int fd[2];
	pid_t pid;
	FILE *fp;
	char *got;

	if (pipe(fd) != 0 || (pid = fork()) < 0) {
		printf("Bail out! pipe or fork failed\n");
		exit(1);
	}
	if (pid == 0) {
		size_t off = 0;

		close(fd[0]);
		while (off < len) {
			size_t k;
			ssize_t w;

			seed = seed * 1103515245u + 12345u;
			k = 1 + (seed >> 16) % maxchunk;
			if (k > len - off)
				k = len - off;
			if ((w = write(fd[1], text + off, k)) <= 0)
				_exit(1);
			off += (size_t)w;
		}
		_exit(0);
	}
	close(fd[1]);
	if ((fp = fdopen(fd[0], "r")) == NULL) {
		printf("Bail out! fdopen failed\n");
		exit(1);
	}
	got = dump_fp(fp, o, 0);
	waitpid(pid, NULL, 0);
	return got;
}

/* Detect everything (as bess-ingest does: a NULL options pointer). */
static char *
dump(const char *text)
{
	return dump_opts(text, strlen(text), NULL, 0);
}

#define is_dump(text, want, ...) do { \
	char *got_ = dump(text); \
	is_str(got_, want, __VA_ARGS__); \
	free(got_); \
} while (0)

#define is_dump_opts(text, o, want, ...) do { \
	char *got_ = dump_opts(text, strlen(text), o, 0); \
	is_str(got_, want, __VA_ARGS__); \
	free(got_); \
} while (0)

/* Open text with options and return the reader (caller closes both). */
static struct bess_reader *
open_text(const char *text, const struct bess_reader_opts *o, FILE **fp)
{
	struct bess_err err;
	struct bess_reader *r;

	*fp = open_mem(text, strlen(text));
	if ((r = bess_reader_open(*fp, "t.csv", o, &err)) == NULL)
		diag("open failed: %s", err.msg);
	return r;
}

/* ---------- CSV reading ---------- */

static void
test_csv_basic(void)
{
	/* [4180] two records; fast path (no quotes) */
	is_dump("ts,a,b\n1,x,y\n2,,z\n",
	    "H:ts|a|b\nL2:1|x|y\nL3:2||z\n", "plain LF file");
	/* [doc] CRLF gives the same records */
	is_dump("ts,a,b\r\n1,x,y\r\n2,,z\r\n",
	    "H:ts|a|b\nL2:1|x|y\nL3:2||z\n", "CRLF file");
	/* [doc] a UTF-8 BOM is not part of the first name */
	is_dump("\xef\xbb\xbfts,a,b\r\n1,x,y\r\n",
	    "H:ts|a|b\nL2:1|x|y\n", "BOM + CRLF");
	is_dump("\xef\xbb\xbf" "\"ts\",a\n1,2\n",
	    "H:ts|a\nL2:1|2\n", "BOM before a quoted first name");
	/* last line without a newline, fast path and libcsv path */
	is_dump("ts,a\n1,x", "H:ts|a\nL2:1|x\n", "last line without newline (unquoted)");
	is_dump("ts,a\n1,\"x\"", "H:ts|a\nL2:1|x\n", "last line without newline (quoted)");
	is_dump("ts,a\r\n1,x", "H:ts|a\nL2:1|x\n", "CRLF file, last line without newline");
	/* blank lines are skipped but counted: the record keeps its physical line */
	is_dump("ts,a\n\n1,x\n   \n\n2,y\n",
	    "H:ts|a\nL3:1|x\nL6:2|y\n", "blank lines inside");
	is_dump("ts,a\n1,x\n\n\n\n", "H:ts|a\nL2:1|x\n", "trailing blank lines");
	is_dump("ts,a\r\n1,x\r\n\r\n\r\n", "H:ts|a\nL2:1|x\n", "trailing blank CRLF lines");
	is_dump("\n\nts,a\n1,x\n", "H:ts|a\nL4:1|x\n", "leading blank lines");
	/* [4180] quoted fields: "" is one quote, delimiters and line breaks inside */
	is_dump("ts,a\n1,\"x,\"\"y\"\"\"\n",
	    "H:ts|a\nL2:1|x,\"y\"\n", "quoted delimiter and doubled quotes");
	/* [4180] the record's line is the line it starts on */
	is_dump("ts,note\n1,\"a\nb\"\n2,c\n",
	    "H:ts|note\nL2:1|a\\nb\nL4:2|c\n", "quoted field spanning two lines");
	is_dump("ts,note\n1,\"a\n\n\nb\"\n2,c\n",
	    "H:ts|note\nL2:1|a\\n\\n\\nb\nL6:2|c\n", "quoted field holding blank lines");
	/* [4180] a line break inside quotes is kept as it is, CRLF included */
	is_dump("ts,note\r\n1,\"a\r\nb\"\r\n2,c\r\n",
	    "H:ts|note\nL2:1|a\\r\\nb\nL4:2|c\n", "quoted CRLF inside a CRLF file");
	/* spaces: unquoted fields are trimmed (like libcsv), quoted ones kept */
	is_dump("ts,a,b\n 1 , x y ,\" z \"\n", "H:ts|a|b\nL2:1|x y| z \n",
	    "edge spaces trimmed unless quoted");
	is_dump("ts,a\n1,\t x\t\n", "H:ts|a\nL2:1|x\n", "edge tabs trimmed (comma file)");
	is_dump("ts,a\n1,\"\"\n", "H:ts|a\nL2:1|\n", "quoted empty field");
	/* an empty input has no columns and no records; a header alone has no records */
	is_dump("", "H:\n", "empty input");
	is_dump("ts,a\n", "H:ts|a\n", "header only");
	/* a single column file: the only delimiter-free shape */
	is_dump("ts\n1\n2\n", "H:ts\nL2:1\nL3:2\n", "one column");
	/* [4180] "" on a line of its own is one empty field, not a blank line */
	{
		struct bess_reader_opts o = { BESS_FMT_CSV, ',', 0, 0, 0 };

		is_dump_opts("a\n\"\"\nx\n", &o, "H:a\nL2:\nL3:x\n",
		    "one column: \"\" is a record with an empty field");
	}
}

static void
test_csv_kinds(void)
{
	FILE *fp;
	struct bess_reader *r = open_text("ts,a,b\n1,,x\n", NULL, &fp);
	struct bess_rec rec;
	struct bess_err err;

	if (r == NULL || bess_reader_next(r, &rec, &err) != 1) {
		ok(0, "kinds: read");
	} else {
		/* [doc] CSV text is AUTO, an empty field is NULL */
		ok(rec.kind[0] == BESS_K_AUTO && rec.kind[1] == BESS_K_NULL &&
		    rec.kind[2] == BESS_K_AUTO, "CSV kinds: AUTO, NULL for empty, AUTO");
		is_int(rec.len[1], 0, "empty field has length 0");
		is_str(rec.v[1], "", "empty field text is \"\"");
		is_int(bess_reader_next(r, &rec, &err), 0, "end of input gives 0");
		is_int(bess_reader_next(r, &rec, &err), 0, "and again 0");
	}
	bess_reader_close(r);
	fclose(fp);
}

static void
test_csv_errors(void)
{
	/* ragged rows: [doc] error names the line and both counts */
	is_dump("a,b,c\n1,2,3\n1,2\n",
	    "H:a|b|c\nL2:1|2|3\nE:t.csv:3: 2 fields, but the header has 3\n", "short row");
	is_dump("a,b,c\n1,2,3\n1,2,3,4\n",
	    "H:a|b|c\nL2:1|2|3\nE:t.csv:3: 4 fields, but the header has 3\n", "long row");
	is_dump("a,b,c\n1\n", "H:a|b|c\nE:t.csv:2: 1 field, but the header has 3\n",
	    "one field: singular");
	is_dump("a,b,c\n1,2,3,,\n", "H:a|b|c\nL2:1|2|3\n", "extra empty fields are dropped");
	is_dump("a,b,c\n1,2,3,\"\"\n", "H:a|b|c\nL2:1|2|3\n", "extra quoted empty field dropped");
	is_dump("a,b\n1,2\n\"1\nx\",2,3\n", "H:a|b\nL2:1|2\nE:t.csv:3: 3 fields, but the header has 2\n",
	    "ragged multi-line row: the line it starts on");
	{
		struct bess_reader_opts o = { BESS_FMT_CSV, 0, -1, 0, 1 };

		/* [doc] allow_ragged pads short rows with missing fields, long ones still fail */
		is_dump_opts("a,b,c\n1,2,3\n1,2\n1,2,3,4\n", &o,
		    "H:a|b|c\nL2:1|2|3\nL3:1|2|\nE:t.csv:4: 4 fields, but the header has 3\n",
		    "allow_ragged");
	}
	/* invalid UTF-8: [doc] an error naming the line */
	{
		static const char *bad[] = {
			"\xff", "\xc0\xaf" /* overlong '/' */, "\xe0\x80\xaf" /* overlong */,
			"\xed\xa0\x80" /* surrogate D800 */, "\xf4\x90\x80\x80" /* > U+10FFFF */,
			"\xe2\x82" /* cut short before the newline */, "\x80" /* lone continuation */,
			"\xf5\x80\x80\x80", "a\xc3" /* cut at the end of the line */,
		};
		size_t i;
		char text[64], want[256];

		for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
			snprintf(text, sizeof(text), "a,b\n1,2\n3,%s\n", bad[i]);
			snprintf(want, sizeof(want), "H:a|b\nL2:1|2\nE:t.csv:3: not valid UTF-8 "
			    "(convert the file first, e.g. iconv -f latin1 -t utf-8)\n");
			is_dump(text, want, "invalid UTF-8 case %zu", i);
			snprintf(text, sizeof(text), "a,b\n1,2\n3,\"x%s\"\n", bad[i]);
			is_dump(text, want, "invalid UTF-8 case %zu, quoted", i);
		}
		/* [hand] the extremes of each valid length: U+0080, U+07FF, U+0800, U+FFFF, U+10000, U+10FFFF */
		is_dump("a,b\n1,\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\n",
		    "H:a|b\nL2:1|\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\n",
		    "valid multibyte at each length's limits");
		is_dump("Zeit;Leistung [kW];Temp [\xc2\xb0" "C]\n1;\xe2\x82\xac;\xf0\x9f\x94\x8b\n",
		    "H:Zeit|Leistung [kW]|Temp [\xc2\xb0" "C]\nL2:1|\xe2\x82\xac|\xf0\x9f\x94\x8b\n",
		    "non-ASCII names and values");
		is_dump("a,b\n1,\xe2\x82\n", "H:a|b\nE:t.csv:2: not valid UTF-8 "
		    "(convert the file first, e.g. iconv -f latin1 -t utf-8)\n",
		    "invalid UTF-8 in the first data row (held line)");
	}
	/* [doc] field texts are NUL-terminated strings: a NUL byte in the text is an error */
	{
		char *got = dump_opts("a,b\n1,x\0y\n2,z\n", 14, NULL, 0);

		is_str(got, "H:a|b\nE:t.csv:2: NUL byte (is this a text file?)\n", "NUL byte in a field");
		free(got);
		got = dump_opts("a,\0\n1,2\n", 8, NULL, 0);
		is_str(got, "E:t.csv:1: NUL byte (is this a text file?)\n", "NUL byte in the header: open fails");
		free(got);
		got = dump_opts("a,b\n1,\"x\n\0\"\n", 12, NULL, 0);
		is_str(got, "H:a|b\nE:t.csv:3: NUL byte (is this a text file?)\n",
		    "NUL byte inside a quoted field");
		free(got);
	}
	/* [4180] a quote that never closes: an error at the line the field starts */
	is_dump("a,b\n1,2\n3,\"x\n4,5\n",
	    "H:a|b\nL2:1|2\nE:t.csv:3: unterminated quoted field\n", "unterminated quote");
	is_dump("a,b\n1,\"x", "H:a|b\nE:t.csv:2: unterminated quoted field\n",
	    "unterminated quote on the last line");
}

static void
test_csv_header_names(void)
{
	struct bess_reader_opts nh = { BESS_FMT_AUTO, 0, -1, 1, 0 };

	/* [doc] empty names become colN (N = 1-based position), repeats get _2, _3 */
	is_dump("a,,a,a,col2\n1,2,3,4,5\n",
	    "H:a|col2|a_2|a_3|col2_2\nL2:1|2|3|4|5\n", "empty and repeated header names");
	is_dump(",\n1,2\n", "H:col1|col2\nL2:1|2\n", "all names empty");
	is_dump(" a , \" b \" \n1,2\n", "H:a|b\nL2:1|2\n", "header names trimmed, even quoted");
	/* [doc] no_header: names col1.., the first line is data on line 1 */
	is_dump_opts("1,2,3\n4,5,6\n", &nh, "H:col1|col2|col3\nL1:1|2|3\nL2:4|5|6\n",
	    "no_header");
	is_dump_opts("\"a\nb\",2\n4,5\n", &nh, "H:col1|col2\nL1:a\\nb|2\nL3:4|5\n",
	    "no_header with a quoted multi-line first row");
	is_dump_opts("1,2\n", &nh, "H:col1|col2\nL1:1|2\n", "no_header, one row");
}

static void
test_csv_detect(void)
{
	FILE *fp;
	struct bess_reader *r;
	struct {
		const char *text;
		char delim;
		int skipped;
		const char *what;
	} c[] = {
		{ "ts,a,b\n1,2,3\n4,5,6\n", ',', 0, "comma" },
		{ "ts;a;b\n1;2;3\n4;5;6\n", ';', 0, "semicolon" },
		{ "ts\ta\tb\n1\t2\t3\n4\t5\t6\n", '\t', 0, "tab" },
		{ "ts|a|b\n1|2|3\n4|5|6\n", '|', 0, "pipe" },
		/* [hand] ';' splits all three lines in 3; ',' only the two data lines (in 3 too) */
		{ "ts;price;load\n2025-01-01 00:00;1,5;2,25\n2025-01-01 01:00;1,75;3,5\n", ';', 0,
		  "semicolon with decimal commas" },
		/* [hand] only one data row: ';' still explains 2 lines, ',' 1 */
		{ "ts;price\n2025-01-01;0,5\n", ';', 0, "semicolon, one row with a decimal comma" },
		{ "ts,\"a;b\"\n1,2\n", ',', 0, "a quoted ';' does not count" },
		/* preambles */
		{ "Exported by MeterTool v2\nSite: Berlin\nts,load_kw\n2025-01-16T10:00:00,3\n"
		  "2025-01-16T11:00:00,4\n", ',', 2, "two free-text preamble lines" },
		/* [hand] the preamble has as many commas as the header, but is not data-like and comes first */
		{ "Exported by MeterTool, version 2\nts,load_kw\n2025-01-16T10:00:00,3\n"
		  "2025-01-16T11:00:00,4\n", ',', 1, "preamble line with the header's width" },
		/* Maccor-like: one line of test description with a few tabs */
		{ "Today's Date 10/10/2019  Date of Test:\t10/10/2019\t Filename:\tC:\\x.010\n"
		  "Rec#\tCyc#\tStep\tTest (Sec)\tAmps\tVolts\n"
		  "1\t0\t1\t0.1\t0.0\t3.5\n2\t0\t1\t0.2\t0.0\t3.5\n3\t0\t1\t0.3\t0.0\t3.5\n",
		  '\t', 1, "Maccor-like preamble" },
		{ "ts,a\n2025-01-01,1\n", ',', 0, "no preamble" },
		{ "\n\nts,a\n1,2\n", ',', 2, "blank lines before the header" },
		/* [hand] rows "t,3," have 3 fields, the last empty: they fit the 2-wide header */
		{ "ts,load_kw\n2025-01-16T10:00:00,3,\n2025-01-16T11:00:00,4,\n2025-01-16T12:00:00,5,\n",
		  ',', 0, "rows with a trailing delimiter" },
		/* [4180] a row is counted whole, not line by line */
		{ "ts,note,load_kw\n1,\"a\nb\",3\n2,\"c\nd\",4\n3,\"e\nf\",5\n", ',', 0,
		  "every row holds a two-line quoted field" },
		{ "1,\"a\nb\",3\n2,\"c\nd\",4\n", ',', 0, "no header, multi-line rows" },
		/* a quote inside an unquoted field is a plain character (libcsv, not strict) */
		{ "ts,item,n\n1,5\" screen,2\n2,x,3\n3,y,4\n", ',', 0, "a quote inside an unquoted field" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(*c); i++) {
		if ((r = open_text(c[i].text, NULL, &fp)) == NULL) {
			ok(0, "detect: %s", c[i].what);
			fclose(fp);
			continue;
		}
		ok(bess_reader_delim(r) == c[i].delim && bess_reader_skipped(r) == c[i].skipped &&
		    bess_reader_format(r) == BESS_FMT_CSV,
		    "detect: %s: delimiter '%s', %d line(s) skipped", c[i].what,
		    c[i].delim == '\t' ? "\\t" : (char[]){ c[i].delim, 0 }, c[i].skipped);
		if (bess_reader_delim(r) != c[i].delim || bess_reader_skipped(r) != c[i].skipped)
			diag("got delimiter 0x%02x, skipped %d", bess_reader_delim(r),
			    bess_reader_skipped(r));
		bess_reader_close(r);
		fclose(fp);
	}
	is_dump("ts,load_kw\n2025-01-16T10:00:00,3,\n2025-01-16T11:00:00,4,\n",
	    "H:ts|load_kw\nL2:2025-01-16T10:00:00|3\nL3:2025-01-16T11:00:00|4\n",
	    "rows with a trailing delimiter");
	is_dump("ts,item,n\n1,5\" screen,2\n2,x,3\n", "H:ts|item|n\nL2:1|5\" screen|2\nL3:2|x|3\n",
	    "a quote inside an unquoted field");
	is_dump("Exported by MeterTool, version 2\nts,load_kw\n2025-01-16T10:00:00,3\n",
	    "H:ts|load_kw\nL3:2025-01-16T10:00:00|3\n", "records after a preamble keep their lines");
	is_dump("ts;price\n2025-01-01 00:00;1,5\n2025-01-01 01:00;-0,25\n",
	    "H:ts|price\nL2:2025-01-01 00:00|1,5\nL3:2025-01-01 01:00|-0,25\n",
	    "decimal commas stay in the field text");
	{
		struct bess_reader_opts o = { BESS_FMT_CSV, ';', 2, 0, 0 };

		is_dump_opts("junk,junk\nmore\nts;a\n1;2\n", &o, "H:ts|a\nL4:1|2\n",
		    "explicit delimiter and skip");
	}
	{
		struct bess_reader_opts o = { BESS_FMT_CSV, 0, 0, 0, 0 };

		is_dump_opts("Exported by X\nts,a\n1,2\n", &o,
		    "H:Exported by X\nE:t.csv:2: 2 fields, but the header has 1\n",
		    "skip = 0 really takes the first line as the header");
	}
	/* the real Maccor extract: 1 line of preamble, 400 tab-separated rows */
	{
		struct bess_err err;
		struct bess_rec rec;
		FILE *f = fopen("data/maccor-dst-test-extract.010", "r");
		long n = 0, last = 0;
		int rc;

		if (f == NULL) {
			ok(1, "# SKIP data/maccor-dst-test-extract.010 not found");
			return;
		}
		r = bess_reader_open(f, "maccor", NULL, &err);
		if (r == NULL) {
			ok(0, "maccor extract opens: %s", err.msg);
			fclose(f);
			return;
		}
		while ((rc = bess_reader_next(r, &rec, &err)) == 1) {
			n++;
			last = rec.line;
		}
		/* [hand] data/README: 402 lines = preamble, header, 400 rows */
		ok(rc == 0 && n == 400 && last == 402 && bess_reader_delim(r) == '\t' &&
		    bess_reader_skipped(r) == 1 &&
		    strcmp(bess_reader_schema(r)->name[0], "Rec#") == 0,
		    "maccor extract: tab, 1 skipped, 400 records, last on line 402");
		if (rc != 0)
			diag("%s at %ld", err.msg, err.line);
		bess_reader_close(r);
		fclose(f);
	}
}

/* Lines longer than the 64 KiB read buffer, and rows across its boundary. */
static void
test_csv_buffer(void)
{
	enum { BIG = 300 * 1024, BUF = 65536 };
	struct str s = { 0 }, want = { 0 };
	char *big = malloc(BIG + 1), *got;
	int off, q, crlf;

	memset(big, 'x', BIG);
	big[BIG] = '\0';
	big[1000] = 'y';
	big[BIG - 1] = 'z';
	/* [hand] one 300 KiB field: unquoted, quoted, and quoted holding a line break */
	sputs(&s, "ts,a\n1,");
	sputs(&s, big);
	sputs(&s, "\n2,\"");
	sputs(&s, big);
	sputs(&s, "\"\n3,\"");
	sputs(&s, big);
	sputs(&s, "\n");
	sputs(&s, big);
	sputs(&s, "\"\n4,end\n");
	sputs(&want, "H:ts|a\nL2:1|");
	sputs(&want, big);
	sputs(&want, "\nL3:2|");
	sputs(&want, big);
	sputs(&want, "\nL4:3|");
	sputs(&want, big);
	sputs(&want, "\\n");
	sputs(&want, big);
	sputs(&want, "\nL6:4|end\n");
	got = dump_opts(s.p, s.n, NULL, 0);
	ok(strcmp(got, want.p) == 0, "300 KiB fields: unquoted, quoted, quoted over two lines");
	free(got);
	got = dump_pipe(s.p, s.n, NULL, 70000, 1);
	ok(strcmp(got, want.p) == 0, "the same through a pipe, in pieces of up to 70000 bytes");
	free(got);
	/* the same with CRLF line ends and no final newline */
	s.n = 0;
	want.n = 0;
	sputs(&s, "ts,a\r\n1,");
	sputs(&s, big);
	sputs(&s, "\r\n2,");
	sputs(&s, big);
	sputs(&want, "H:ts|a\nL2:1|");
	sputs(&want, big);
	sputs(&want, "\nL3:2|");
	sputs(&want, big);
	sputs(&want, "\n");
	got = dump_opts(s.p, s.n, NULL, 0);
	ok(strcmp(got, want.p) == 0, "300 KiB fields, CRLF, last line without newline");
	free(got);
	/* the same as a header name (a name is cut to 1024 bytes) */
	s.n = 0;
	sputs(&s, "ts,");
	sputs(&s, big);
	sputs(&s, "\n1,2\n");
	got = dump_opts(s.p, s.n, NULL, 0);
	ok(strncmp(got, "H:ts|xxx", 8) == 0 && strstr(got, "\nL2:1|2\n") != NULL &&
	    strchr(got, '\n') - got == 5 + 1024, "300 KiB header name, cut to 1024 bytes");
	free(got);
	/* [doc] the cut falls between characters and leaves no blank at the end */
	{
		static const char *const tail[] = { "\xc3\xa4", "\xe2\x82\xac", "\xf0\x9f\x94\x8b", "  x" };
		int k, j;

		for (k = 0; k < 4; k++)
			for (j = 0; j < 3; j++) {
				struct str w = { 0 };

				/* 1022 + j bytes of 'n', then the character: the 1024-byte mark falls inside or after it */
				s.n = 0;
				sputs(&s, "ts,");
				sadd(&s, big, 1022 + (size_t)j);
				sputs(&s, tail[k]);
				sputs(&s, "yy\n1,2\n");
				/* [hand] keep the character only if it ends by byte 1024; drop blanks before the cut */
				sputs(&w, "H:ts|");
				sadd(&w, big, 1022 + (size_t)j);
				if (k == 3)
					w.n = 5 + 1022 + (size_t)j;	/* "  x" never fits whole: blanks at the cut go */
				else if (1022 + j + strlen(tail[k]) <= 1024)
					sputs(&w, tail[k]);
				if (k != 3 && 1022 + j + strlen(tail[k]) < 1024)
					sadd(&w, "yy", 1024 - (1022 + (size_t)j + strlen(tail[k])));
				w.p[w.n] = '\0';
				sputs(&w, "\nL2:1|2\n");
				got = dump_opts(s.p, s.n, NULL, 0);
				is_str(got, w.p, "name cut at 1024 bytes: %zu bytes then a %zu-byte tail",
				    (size_t)1022 + j, strlen(tail[k]));
				free(got);
				free(w.p);
			}
	}

	/*
	 * A row "22,y y" (or quoted with a line break) that starts at every
	 * offset from 12 bytes before the buffer end to 2 after it, so the end
	 * falls inside a field, on a delimiter, on the CR, on the LF, and
	 * between rows. [hand] the first row pads the file to the offset.
	 */
	for (q = 0; q < 2; q++)
		for (crlf = 0; crlf < 2; crlf++)
			for (off = -12; off <= 2; off++) {
				const char *nl = crlf ? "\r\n" : "\n";
				size_t head = strlen("ts,a") + strlen(nl) + strlen("1,") + strlen(nl);
				size_t pad = (size_t)(BUF + off) - head;

				s.n = 0;
				want.n = 0;
				sputs(&s, "ts,a");
				sputs(&s, nl);
				sputs(&s, "1,");
				sadd(&s, big, pad);
				sputs(&s, nl);
				sputs(&s, q ? "\"2\"\"2\",\"y\ny\"" : "22,y y");
				sputs(&s, nl);
				sputs(&s, "3,z");
				sputs(&s, nl);
				sputs(&want, "H:ts|a\nL2:1|");
				sadd(&want, big, pad);
				sputs(&want, q ? "\nL3:2\"2|y\\ny\nL5:3|z\n" : "\nL3:22|y y\nL4:3|z\n");
				got = dump_opts(s.p, s.n, NULL, 0);
				ok(strcmp(got, want.p) == 0,
				    "row at buffer end %+d (%s, %s)", off, q ? "quoted" : "unquoted",
				    crlf ? "CRLF" : "LF");
				free(got);
			}
	free(s.p);
	free(want.p);
	free(big);
}

/* ---------- random rows: fast path vs libcsv ---------- */

static uint64_t lcg_state = 42;

/* Knuth's MMIX LCG; the high bits are the good ones. */
static unsigned
lcg(unsigned n)
{
	lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((lcg_state >> 33) % n);
}

/* A random field value of one of several shapes. */
static void
gen_field(struct str *f, char delim)
{
	static const char *const words[] = {
		"a", "kW", "12.5", "-3", "2025-01-16T10:00:00Z", "x y", "\xc3\xa4", "\xe2\x82\xac",
		"\xf0\x9f\x94\x8b", "N/A", "0", "1e5", "rack 1",
	};
	unsigned shape = lcg(12), k, n;
	char d[2] = { delim, 0 };

	f->n = 0;
	sputs(f, "");
	switch (shape) {
	case 0:
		return;				/* empty */
	case 1: case 2: case 3:			/* one or more words */
		n = 1 + lcg(3);
		for (k = 0; k < n; k++) {
			if (k)
				sputc(f, ' ');
			sputs(f, words[lcg(sizeof(words) / sizeof(*words))]);
		}
		return;
	case 4:					/* holds the delimiter */
		sputs(f, words[lcg(13)]);
		sputs(f, d);
		sputs(f, words[lcg(13)]);
		return;
	case 5:					/* holds quotes */
		sputs(f, lcg(2) ? "\"" : "say \"hi\"");
		return;
	case 6:					/* a line break inside */
		sputs(f, words[lcg(13)]);
		sputs(f, lcg(3) ? "\n" : "\n\n");
		sputs(f, words[lcg(13)]);
		return;
	case 7:					/* edge spaces */
		sputs(f, lcg(2) ? " " : "  ");
		sputs(f, words[lcg(13)]);
		if (lcg(2))
			sputc(f, ' ');
		return;
	case 8:					/* only spaces */
		sputs(f, " ");
		return;
	case 9:					/* an edge tab (a plain character when tab is the delimiter) */
		sputs(f, lcg(2) ? "\t" : "");
		sputs(f, words[lcg(13)]);
		sputs(f, "\t");
		return;
	case 10:				/* a bare CR inside */
		sputs(f, "a\rb");
		return;
	default:				/* a delimiter-like character that is not the delimiter */
		sputs(f, delim == ',' ? "1;5" : "1,5");
		return;
	}
}

/* Does a field need quotes to survive a CSV reader that trims spaces and tabs? [4180] + trimming */
static int
needs_quotes(const char *s, size_t n, char delim, int ncols)
{
	size_t i;

	if (n == 0)
		return ncols == 1;	/* a lone empty field would be a blank line */
	if (s[0] == ' ' || s[n - 1] == ' ' || (delim != '\t' && (s[0] == '\t' || s[n - 1] == '\t')))
		return 1;
	for (i = 0; i < n; i++)
		if (s[i] == delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			return 1;
	return 0;
}

static void
put_field(struct str *out, const char *s, size_t n, int quote)
{
	size_t i;

	if (!quote) {
		sadd(out, s, n);
		return;
	}
	sputc(out, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			sputc(out, '"');
		sputc(out, s[i]);
	}
	sputc(out, '"');
}

/* Count '\n' in s[0..n). */
static long
count_nl(const char *s, size_t n)
{
	long k = 0;
	size_t i;

	for (i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

/*
 * Files of random rows written twice (quotes only where needed, so most
 * lines take the zero-copy path; and every field quoted, so every line goes
 * through libcsv) and read back: both must give the generated values, with
 * each record on the line the generator put it. Also written by the CSV
 * writer and read back.
 */
static void
test_csv_random(void)
{
	static const char delims[] = { ',', ';', '\t', '|' };
	struct str fld = { 0 }, minimal = { 0 }, quoted = { 0 }, want = { 0 }, vals = { 0 };
	int file, nfiles = 300, bad_min = 0, bad_q = 0, bad_w = 0, bad_pipe = 0;

	for (file = 0; file < nfiles; file++) {
		char delim = delims[lcg(4)];
		int ncols = 1 + (int)lcg(6), nrows = 1 + (int)lcg(25), crlf = lcg(2), bom = lcg(4) == 0;
		const char *nl = crlf ? "\r\n" : "\n";
		struct bess_reader_opts o = { BESS_FMT_CSV, delim, 0, 0, 0 };
		long line_min, line_q;
		int row, c;
		char num[32], *got;
		size_t base;

		minimal.n = quoted.n = want.n = 0;
		sputs(&minimal, bom ? "\xef\xbb\xbf" : "");
		sputs(&quoted, bom ? "\xef\xbb\xbf" : "");
		sputs(&want, "H:");
		for (c = 0; c < ncols; c++) {
			snprintf(num, sizeof(num), "c%d", c + 1);
			if (c) {
				sputc(&minimal, delim);
				sputc(&quoted, delim);
				sputc(&want, '|');
			}
			sputs(&minimal, num);
			put_field(&quoted, num, strlen(num), 1);
			sputs(&want, num);
		}
		sputs(&minimal, nl);
		sputs(&quoted, nl);
		sputs(&want, "\n");
		line_min = line_q = 2;
		for (row = 0; row < nrows; row++) {
			if (lcg(8) == 0) {	/* a blank line between rows */
				sputs(&minimal, nl);
				sputs(&quoted, nl);
				line_min++;
				line_q++;
			}
			/* the same line number in both files: a record starts after the same newlines */
			snprintf(num, sizeof(num), "L%ld:", line_min);
			sputs(&want, num);
			for (c = 0; c < ncols; c++) {
				gen_field(&fld, delim);
				if (c) {
					sputc(&minimal, delim);
					sputc(&quoted, delim);
					sputc(&want, '|');
				}
				put_field(&minimal, fld.p, fld.n, needs_quotes(fld.p, fld.n, delim, ncols));
				put_field(&quoted, fld.p, fld.n, 1);
				sadd_vis(&want, fld.p, fld.n);
				line_min += count_nl(fld.p, fld.n);
				line_q += count_nl(fld.p, fld.n);
			}
			sputs(&minimal, nl);
			sputs(&quoted, nl);
			sputs(&want, "\n");
			line_min++;
			line_q++;
		}
		got = dump_opts(minimal.p, minimal.n, &o, 0);
		if (strcmp(got, want.p) != 0 && bad_min++ < 3)
			diag("file %d (minimal quoting):\n%s\ngot:\n%s\nwant:\n%s", file, minimal.p,
			    got, want.p);
		free(got);
		got = dump_opts(quoted.p, quoted.n, &o, 0);
		if (strcmp(got, want.p) != 0 && bad_q++ < 3)
			diag("file %d (all quoted):\n%s\ngot:\n%s\nwant:\n%s", file, quoted.p, got,
			    want.p);
		free(got);
		if (file % 3 == 0) {	/* a third of them through a pipe, in small pieces */
			got = dump_pipe(file % 2 ? minimal.p : quoted.p, file % 2 ? minimal.n : quoted.n,
			    &o, 1 + (unsigned)file % 40, (unsigned)file);
			if (strcmp(got, want.p) != 0 && bad_pipe++ < 3)
				diag("file %d through a pipe:\ngot:\n%s\nwant:\n%s", file, got, want.p);
			free(got);
		}

		/* through the writer: read the quoted file, write CSV, read that back */
		{
			FILE *in = open_mem(quoted.p, quoted.n);
			char *wbuf = NULL;
			size_t wlen = 0;
			FILE *out = open_memstream(&wbuf, &wlen);
			struct bess_writer_opts wo = { .fmt = BESS_FMT_CSV };
			struct bess_writer *w = bess_writer_new(out, &wo);
			struct bess_err err;
			struct bess_reader *r = bess_reader_open(in, "t.csv", &o, &err);
			struct bess_rec rec;
			struct bess_reader_opts o2 = { BESS_FMT_CSV, ',', 0, 0, 0 };
			int rc = r ? 0 : -1;

			while (rc == 0 && (rc = bess_reader_next(r, &rec, &err)) == 1)
				rc = bess_writer_write(w, bess_reader_schema(r), &rec, &err);
			if (rc == 0 && r)
				rc = bess_writer_finish(w, bess_reader_schema(r), &err);
			bess_writer_free(w);
			bess_reader_close(r);
			fclose(in);
			fclose(out);
			/* the writer puts records on consecutive lines: strip line numbers from both */
			vals.n = 0;
			base = 0;
			got = rc == 0 ? dump_opts(wbuf, wlen, &o2, 0) : strdup("write failed");
			{
				const char *p;

				for (p = want.p; *p; p++) {
					if (*p == 'L' && (p == want.p || p[-1] == '\n')) {
						while (*p != ':')
							p++;
						continue;
					}
					sputc(&vals, *p);
				}
				base = vals.n;
			}
			{
				struct str g2 = { 0 };
				const char *p;

				sputs(&g2, "");
				for (p = got; *p; p++) {
					if (*p == 'L' && (p == got || p[-1] == '\n')) {
						while (*p && *p != ':')
							p++;
						if (!*p)
							break;
						continue;
					}
					sputc(&g2, *p);
				}
				if ((g2.n != base || strcmp(g2.p, vals.p) != 0) && bad_w++ < 3)
					diag("file %d through the CSV writer:\n%s\ngot:\n%s\nwant:\n%s",
					    file, wbuf, g2.p, vals.p);
				free(g2.p);
			}
			free(got);
			free(wbuf);
		}
	}
	/* [gen] */
	is_int(bad_min, 0, "%d random files with quotes only where needed read as generated", nfiles);
	is_int(bad_q, 0, "%d random files with every field quoted read as generated", nfiles);
	is_int(bad_w, 0, "%d random files survive the CSV writer", nfiles);
	is_int(bad_pipe, 0, "%d of them read the same through a pipe filled in small pieces",
	    (nfiles + 2) / 3);
	free(fld.p);
	free(minimal.p);
	free(quoted.p);
	free(want.p);
	free(vals.p);
}

/* ---------- NDJSON reading ---------- */

static void
test_ndjson(void)
{
	/* [doc] the first object's keys in order make the schema; missing keys are NULL */
	is_dump("{\"ts\":\"2025-01-16T10:00:00Z\",\"b\":1,\"a\":2}\n{\"a\":3,\"ts\":\"t2\"}\n",
	    "H:ts|b|a\nL1:2025-01-16T10:00:00Z|1|2\nL2:t2||3\n", "key order of the first object");
	/* [doc] a key first seen later adds a column; a record's n is the schema's n then */
	{
		char *got = dump_opts("{\"a\":1}\n{\"a\":2,\"b\":3}\n{\"c\":4}\n", 30 /* bytes */, NULL, 1);

		is_str(got, "H:a\nL1:1\nL2:2|3\nL3:~|~|4\n", "new keys grow the schema");
		free(got);
	}
	/* [8259] values: null, true, false, nested, escapes, integers, reals */
	{
		const char *text =
		    "{\"n\":null,\"t\":true,\"f\":false,\"o\":{\"x\":[1, 2 ,{}]},\"s\":\"a\\\"b\\\\c\\n\\u00e4\\ud83d\\udd0b\\/\","
		    "\"i\":-9007199254740993,\"big\":9223372036854775807,\"r\":1.50,\"e\":1E2,\"es\":\"\"}\n";
		char *got = dump_opts(text, strlen(text), NULL, 1);

		/*
		 * [8259] \" \\ \n \u00e4 (U+00E4 = C3 A4) \ud83d\udd0b (U+1F50B = F0 9F 94 8B) \/ ;
		 * integers kept digit for digit (2^53 + 1 and 2^63 - 1); reals as the
		 * shortest text that reads back: 1.50 -> 1.5, 1E2 -> 100; "" is a string, not null.
		 */
		is_str(got, "H:n|t|f|o|s|i|big|r|e|es\n"
		    "L1:~|true|false|{\"x\":[1,2,{}]}|a\"b\\\\c\\n\xc3\xa4\xf0\x9f\x94\x8b/|"
		    "-9007199254740993|9223372036854775807|1.5|100|\n", "NDJSON value texts");
		free(got);
	}
	{
		FILE *fp;
		struct bess_reader *r = open_text("{\"n\":null,\"t\":true,\"o\":[],\"s\":\"1\",\"i\":1,\"r\":0.5,\"es\":\"\"}\n",
		    NULL, &fp);
		struct bess_rec rec;
		struct bess_err err;
		double v;

		if (r && bess_reader_next(r, &rec, &err) == 1 && rec.n == 7) {
			ok(rec.kind[0] == BESS_K_NULL && rec.kind[1] == BESS_K_BOOL &&
			    rec.kind[2] == BESS_K_JSON && rec.kind[3] == BESS_K_STR &&
			    rec.kind[4] == BESS_K_NUM && rec.kind[5] == BESS_K_NUM &&
			    rec.kind[6] == BESS_K_STR, "NDJSON kinds: NULL BOOL JSON STR NUM NUM STR");
			ok(bess_reader_format(r) == BESS_FMT_NDJSON, "format detected as NDJSON");
			/* [doc] bess_rec_num: a string holding a number counts; bool and JSON do not */
			ok(bess_rec_num(&rec, 3, &v) == 0 && v == 1, "rec_num of \"1\" is 1");
			ok(bess_rec_num(&rec, 5, &v) == 0 && v == 0.5, "rec_num of 0.5");
			is_int(bess_rec_num(&rec, 0, &v), 1, "rec_num of null: missing");
			is_int(bess_rec_num(&rec, 1, &v), -1, "rec_num of true: not a number");
			is_int(bess_rec_num(&rec, 2, &v), -1, "rec_num of []: not a number");
			is_int(bess_rec_num(&rec, 7, &v), 1, "rec_num past the end: missing");
			is_int(bess_rec_num(&rec, -1, &v), 1, "rec_num of -1: missing");
		} else
			ok(0, "NDJSON kinds: read");
		bess_reader_close(r);
		fclose(fp);
	}
	/* blank lines are skipped and counted; leading spaces before '{' are fine */
	is_dump("\n  {\"a\":1}\n\n \t\n{\"a\":2}\r\n\n", "H:a\nL2:1\nL5:2\n", "NDJSON blank lines");
	is_dump("\xef\xbb\xbf{\"a\":1}\n", "H:a\nL1:1\n", "NDJSON after a BOM");
	/* errors: [doc] file:line */
	{
		char *got = dump("{\"a\":1}\n{\"a\":1,\"a\":2}\n");

		ok(strncmp(got, "H:a\nL1:1\nE:t.csv:2: invalid JSON at column ", 40) == 0 &&
		    strstr(got, "duplicate") != NULL, "duplicate keys rejected (line 2)");
		if (strstr(got, "duplicate") == NULL)
			diag("%s", got);
		free(got);
	}
	is_dump("{\"a\":1}\n[1,2]\n", "H:a\nL1:1\nE:t.csv:2: expected a JSON object per line\n",
	    "an array line");
	{
		/*
		 * [8259] sets no range: 2^63 does not fit jansson's integers, so that
		 * line's integers are read as doubles: 2^63 exactly, shortest text
		 * that reads back "9.223372036854776e+18" (16 digits; 15 give
		 * ...478e+18, another double); 2^64 + 1 rounds to 2^64 =
		 * 18446744073709551616, "1.8446744073709552e+19" (17 digits).
		 */
		char *got = dump("{\"a\":1}\n{\"a\":9223372036854775808,\"b\":7}\n{\"a\":18446744073709551617}\n");

		is_str(got, "H:a\nL1:1\nL2:9.223372036854776e+18|7\nL3:1.8446744073709552e+19|\n",
		    "an integer beyond 64 bits is read as a double");
		free(got);
		got = dump("{\"a\":1}\n{\"a\":1e400}\n");
		ok(strncmp(got, "H:a\nL1:1\nE:t.csv:2: invalid JSON at column ", 40) == 0,
		    "a real beyond the double range is an error");
		free(got);
	}
	{
		char *got = dump("{\"a\":1}\n\"x\"\n");

		ok(strncmp(got, "H:a\nL1:1\nE:t.csv:2: invalid JSON at column ", 40) == 0,
		    "a string line (jansson wants an object or array)");
		free(got);
	}
	{
		char *got = dump("{\"a\":1}\n{\"a\":\n");

		ok(strncmp(got, "H:a\nL1:1\nE:t.csv:2: invalid JSON at column", 39) == 0,
		    "truncated object");
		free(got);
		got = dump("{\"a\":1}{\"a\":2}\n");
		ok(strstr(got, "E:t.csv:1: invalid JSON at column") != NULL, "two objects on a line");
		free(got);
		got = dump("{\"a\":\"x\\u0000y\"}\n");
		ok(strstr(got, "E:t.csv:1:") != NULL, "NUL in a string is an error");
		free(got);
		got = dump("{\"a\":\"\xff\"}\n");
		ok(strstr(got, "E:t.csv:1:") != NULL, "invalid UTF-8 in a string is an error");
		free(got);
	}
	/* a forced format */
	{
		struct bess_reader_opts o = { BESS_FMT_NDJSON, 0, -1, 0, 0 };

		char *got = dump_opts("ts,a\n", 5, &o, 0);

		ok(strncmp(got, "H:\nE:t.csv:1: invalid JSON at column ", 37) == 0,
		    "forced NDJSON on CSV text");
		free(got);
	}
	/* many records past the 64 held lines, schema growing at record 100 */
	{
		struct str s = { 0 }, want = { 0 };
		char line[64];
		int i;
		char *got;

		sputs(&want, "H:a\n");
		for (i = 1; i <= 150; i++) {
			snprintf(line, sizeof(line), i < 100 ? "{\"a\":%d}\n" : "{\"b\":%d,\"a\":0}\n", i);
			sputs(&s, line);
			snprintf(line, sizeof(line), i < 100 ? "L%d:%d\n" : "L%d:0|%d\n", i, i);
			sputs(&want, line);
		}
		got = dump(s.p);
		is_str(got, want.p, "150 NDJSON lines, a key added at line 100");
		free(got);
		free(s.p);
		free(want.p);
	}
}

/* ---------- writers ---------- */

/* Write records (fields separated by '|' in rows[], "~" = missing) with schema names; return the output. */
static char *
write_recs(const struct bess_writer_opts *wo, const char *const *names, const char *const *rows,
    const unsigned char *kinds, char *errbuf, size_t errlen)
{
	struct bess_schema s;
	struct bess_rec rec;
	struct bess_err err;
	struct bess_writer *w;
	char *buf = NULL, *copy[16];
	size_t len = 0, i, k;
	FILE *fp = open_memstream(&buf, &len);
	int rc = 0, nrow = 0;

	errbuf[0] = '\0';
	bess_schema_init(&s);
	for (i = 0; names[i]; i++)
		bess_schema_add(&s, names[i]);
	bess_rec_init(&rec);
	w = bess_writer_new(fp, wo);
	for (k = 0; rows[k] && rc == 0; k++) {
		char *p;

		copy[k] = strdup(rows[k]);
		bess_rec_resize(&rec, 0);
		for (i = 0, p = copy[k]; p; i++) {
			char *bar = strchr(p, '|');

			if (bar)
				*bar = '\0';
			if (strcmp(p, "~") == 0)
				bess_rec_set(&rec, i, NULL, BESS_K_NULL);
			else
				bess_rec_set(&rec, i, p, kinds ? (enum bess_kind)kinds[i] : BESS_K_AUTO);
			p = bar ? bar + 1 : NULL;
		}
		rec.line = k + 1;
		rc = bess_writer_write(w, &s, &rec, &err);
		nrow++;
	}
	if (rc == 0)
		rc = bess_writer_finish(w, &s, &err);
	if (rc != 0)
		bess_err_str(&err, errbuf, errlen);
	bess_writer_free(w);
	fclose(fp);
	for (k = 0; k < (size_t)nrow; k++)
		free(copy[k]);
	bess_rec_free(&rec);
	bess_schema_free(&s);
	return buf;
}

static void
test_write_csv(void)
{
	struct bess_writer_opts wo = { .fmt = BESS_FMT_CSV };
	char e[600], *out;

	/* [4180] quote a field with a comma, a quote (doubled), a line break, or an edge space/tab */
	{
		const char *names[] = { "ts", "a b", "c,d", NULL };
		const char *rows[] = { "1|plain|x,y", "2|say \"hi\"|line\nbreak", "3| edge|edge ",
		    "4|\tx|x\t", "5|cr\rx|~", "6|a;b|\xc3\xa4", NULL };

		out = write_recs(&wo, names, rows, NULL, e, sizeof(e));
		is_str(out, "ts,a b,\"c,d\"\n1,plain,\"x,y\"\n2,\"say \"\"hi\"\"\",\"line\nbreak\"\n"
		    "3,\" edge\",\"edge \"\n4,\"\tx\",\"x\t\"\n5,\"cr\rx\",\n6,a;b,\xc3\xa4\n",
		    "CSV writer quoting");
		free(out);
	}
	/* a name starting with U+FEFF (after a preamble) must not turn into a byte order mark */
	{
		struct bess_reader_opts o = { BESS_FMT_CSV, ',', 1, 0, 0 };
		FILE *in = open_mem("junk\n\xef\xbb\xbf" "a,b\n1,2\n", 15);
		char *buf = NULL, *got;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		struct bess_writer *w = bess_writer_new(fp, &wo);
		struct bess_err err;
		struct bess_reader *r = bess_reader_open(in, "t", &o, &err);
		struct bess_rec rec;

		while (bess_reader_next(r, &rec, &err) == 1)
			bess_writer_write(w, bess_reader_schema(r), &rec, &err);
		bess_writer_finish(w, bess_reader_schema(r), &err);
		bess_writer_free(w);
		bess_reader_close(r);
		fclose(in);
		fclose(fp);
		is_str(buf, "\"\xef\xbb\xbf" "a\",b\n1,2\n", "a leading U+FEFF is quoted");
		got = dump_opts(buf, len, NULL, 0);
		is_str(got, "H:\xef\xbb\xbf" "a|b\nL2:1|2\n", "and reads back as part of the name");
		free(got);
		free(buf);
	}
	/* [4180] with one column an empty field alone would be a blank line: it is written "" */
	{
		const char *names[] = { "a", NULL };
		const char *rows[] = { "1", "~", "2", NULL };

		out = write_recs(&wo, names, rows, NULL, e, sizeof(e));
		is_str(out, "a\n1\n\"\"\n2\n", "one column: a missing value is written \"\"");
		free(out);
	}
	/* [doc] no records: the header still comes out at finish */
	{
		const char *names[] = { "ts", "x", NULL };
		const char *rows[] = { NULL };

		out = write_recs(&wo, names, rows, NULL, e, sizeof(e));
		is_str(out, "ts,x\n", "no records: header at finish");
		free(out);
	}
	/* [doc] a column appearing after the header is an error naming it */
	{
		struct bess_schema s;
		struct bess_rec rec;
		struct bess_err err;
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		struct bess_writer *w = bess_writer_new(fp, &wo);
		int rc1, rc2, rc3;

		bess_schema_init(&s);
		bess_schema_add(&s, "ts");
		bess_rec_init(&rec);
		bess_rec_set(&rec, 0, "1", BESS_K_AUTO);
		rc1 = bess_writer_write(w, &s, &rec, &err);
		bess_schema_add(&s, "late");
		bess_rec_set(&rec, 0, "2", BESS_K_AUTO);
		bess_rec_set(&rec, 1, NULL, BESS_K_NULL);
		rc2 = bess_writer_write(w, &s, &rec, &err);	/* missing: fine */
		bess_rec_set(&rec, 1, "x", BESS_K_AUTO);
		rec.line = 7;
		rc3 = bess_writer_write(w, &s, &rec, &err);
		ok(rc1 == 0 && rc2 == 0 && rc3 == -1 && err.line == 7 &&
		    strstr(err.msg, "column 'late' appeared after the CSV header") == err.msg,
		    "CSV: a column after the header is an error");
		bess_writer_finish(w, &s, &err);
		bess_writer_free(w);
		fclose(fp);
		is_str(buf, "ts\n1\n2\n", "CSV: what came before the error");
		free(buf);
		bess_rec_free(&rec);
		bess_schema_free(&s);
	}
}

static void
test_write_ndjson(void)
{
	struct bess_writer_opts wo = { .fmt = BESS_FMT_NDJSON };
	char e[600], *out;

	{
		/* [8259] quotation mark, reverse solidus and control characters must be escaped; the rest may stay */
		const char *names[] = { "s", "q\"k", NULL };
		const char *rows[] = { "a\"b\\c|x", "\x01\x1f\x7f|\n\r\t\b\f", "\xc3\xa4\xe2\x82\xac\xf0\x9f\x94\x8b|/", NULL };

		out = write_recs(&wo, names, rows, NULL, e, sizeof(e));
		is_str(out, "{\"s\":\"a\\\"b\\\\c\",\"q\\\"k\":\"x\"}\n"
		    "{\"s\":\"\\u0001\\u001f\x7f\",\"q\\\"k\":\"\\n\\r\\t\\u0008\\u000c\"}\n"
		    "{\"s\":\"\xc3\xa4\xe2\x82\xac\xf0\x9f\x94\x8b\",\"q\\\"k\":\"/\"}\n",
		    "NDJSON string escaping");
		free(out);
	}
	{
		/* [doc] AUTO text: a JSON number as a number, anything else a string; missing = null */
		const char *names[] = { "a", "b", "c", "d", "e", "f", "g", NULL };
		const char *rows[] = { "1|-0.5|1e5|+5|007|.5|~", "5.|1,5|nan|inf|0x10|-|1E-2",
		    "1e400|-1e999|1e-999|~|~|~|~", NULL };

		out = write_recs(&wo, names, rows, NULL, e, sizeof(e));
		is_str(out, "{\"a\":1,\"b\":-0.5,\"c\":1e5,\"d\":\"+5\",\"e\":\"007\",\"f\":\".5\",\"g\":null}\n"
		    "{\"a\":\"5.\",\"b\":\"1,5\",\"c\":\"nan\",\"d\":\"inf\",\"e\":\"0x10\",\"f\":\"-\",\"g\":1E-2}\n"
		    /* [hand] 1e400 is no double: text; 1e-999 is 0 (underflow), a number */
		    "{\"a\":\"1e400\",\"b\":\"-1e999\",\"c\":1e-999,\"d\":null,\"e\":null,\"f\":null,\"g\":null}\n",
		    "NDJSON AUTO fields");
		free(out);
	}
	{
		/* [doc] kinds: NUM and BOOL and JSON raw, STR always quoted */
		const char *names[] = { "n", "b", "j", "s", NULL };
		const char *rows[] = { "12|true|{\"x\":[1]}|12", NULL };
		const unsigned char kinds[] = { BESS_K_NUM, BESS_K_BOOL, BESS_K_JSON, BESS_K_STR };

		out = write_recs(&wo, names, rows, kinds, e, sizeof(e));
		is_str(out, "{\"n\":12,\"b\":true,\"j\":{\"x\":[1]},\"s\":\"12\"}\n", "NDJSON kinds");
		free(out);
	}
	/* round trip: NDJSON in, NDJSON out, values and types as in the input [8259] */
	{
		const char *text =
		    "{\"ts\":\"2025-01-16T10:00:00Z\",\"n\":null,\"t\":true,\"o\":{\"x\":[1,2]},"
		    "\"s\":\"q\\\"\\\\\\n\\u0001\xc3\xa4\",\"i\":-9007199254740993,"
		    "\"u\":9223372036854775807,\"r\":0.1,\"e\":-2.5e-300,\"num\":\"12\"}\n"
		    "{\"late\":1}\n";
		FILE *in = open_mem(text, strlen(text));
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		struct bess_writer *w = bess_writer_new(fp, &wo);
		struct bess_err err;
		struct bess_reader *r = bess_reader_open(in, "t", NULL, &err);
		struct bess_rec rec;
		int rc;

		while ((rc = bess_reader_next(r, &rec, &err)) == 1)
			bess_writer_write(w, bess_reader_schema(r), &rec, &err);
		bess_writer_finish(w, NULL, &err);
		bess_writer_free(w);
		bess_reader_close(r);
		fclose(in);
		fclose(fp);
		/* [hand] the same values; 0.1 and -2.5e-300 print as the shortest text that reads back */
		is_str(buf, "{\"ts\":\"2025-01-16T10:00:00Z\",\"n\":null,\"t\":true,\"o\":{\"x\":[1,2]},"
		    "\"s\":\"q\\\"\\\\\\n\\u0001\xc3\xa4\",\"i\":-9007199254740993,"
		    "\"u\":9223372036854775807,\"r\":0.1,\"e\":-2.5e-300,\"num\":\"12\"}\n"
		    "{\"ts\":null,\"n\":null,\"t\":null,\"o\":null,\"s\":null,\"i\":null,\"u\":null,"
		    "\"r\":null,\"e\":null,\"num\":null,\"late\":1}\n", "NDJSON round trip");
		free(buf);
	}
	{
		const char *names[] = { NULL };
		const char *rows[] = { "", NULL };

		out = write_recs(&wo, names, rows, NULL, e, sizeof(e));
		is_str(out, "{}\n", "NDJSON: no columns is {}");
		free(out);
	}
	/* [8259] a key of any length: 3000 x U+20AC (9000 bytes) and 20000 quotes (40000 bytes escaped) */
	{
		struct str key = { 0 }, want = { 0 };
		const char *names[] = { NULL, NULL, NULL };
		const char *rows[] = { "1|2", NULL };
		int i;

		for (i = 0; i < 3000; i++)
			sputs(&key, "\xe2\x82\xac");
		sputs(&key, "|");
		for (i = 0; i < 20000; i++)
			sputs(&key, "\"");
		key.p[9000] = '\0';
		names[0] = key.p;
		names[1] = key.p + 9001;
		sputs(&want, "{\"");
		sadd(&want, key.p, 9000);
		sputs(&want, "\":1,\"");
		for (i = 0; i < 20000; i++)
			sputs(&want, "\\\"");
		sputs(&want, "\":2}\n");
		out = write_recs(&wo, names, rows, NULL, e, sizeof(e));
		ok(out != NULL && strcmp(out, want.p) == 0, "NDJSON: long keys written whole");
		free(out);
		free(key.p);
		free(want.p);
	}
}

static void
test_write_lp(void)
{
	const char *tags[] = { "site", "device", "a b", NULL };
	struct bess_writer_opts wo = { .fmt = BESS_FMT_LP, .measurement = "bat,t 1", .tags = tags };
	char e[600], *out;

	{
		/*
		 * [lp] measurement "bat,t 1" -> bat\,t\ 1; tags sorted by key
		 * ("a b" < "device" < "site"), escaped; missing tag left out; fields
		 * in column order; numbers bare, text quoted with \" and \\;
		 * 2025-01-16T10:00:00Z = 1737021600 s [date -u -d ... +%s] -> ns.
		 */
		const char *names[] = { "ts", "site", "soc_kwh", "device", "note", "a b", "k=v,w", "on", NULL };
		const char *rows[] = {
			"2025-01-16T10:00:00Z|Berlin Nord|12.5|rack,1|say \"hi\" \\o/|x=y|3|true",
			"2025-01-16T10:00:00.5Z|~|~|r2|~|~|-0.25|~",
			"2025-01-16T11:00:00+01:00|s|~|~|~|~|~|~",		/* no field: skipped */
			"1969-12-31T23:59:59Z|s|1|~|~|~|~|~",
			NULL };
		const unsigned char kinds[] = { BESS_K_AUTO, BESS_K_AUTO, BESS_K_AUTO, BESS_K_AUTO,
		    BESS_K_AUTO, BESS_K_AUTO, BESS_K_AUTO, BESS_K_BOOL };

		out = write_recs(&wo, names, rows, kinds, e, sizeof(e));
		is_str(out,
		    "bat\\,t\\ 1,a\\ b=x\\=y,device=rack\\,1,site=Berlin\\ Nord soc_kwh=12.5,"
		    "note=\"say \\\"hi\\\" \\\\o/\",k\\=v\\,w=3,on=true 1737021600000000000\n"
		    "bat\\,t\\ 1,device=r2 k\\=v\\,w=-0.25 1737021600500000000\n"
		    "bat\\,t\\ 1,site=s soc_kwh=1 -1000000000\n",
		    "line protocol escaping, tag order, missing fields, ns");
		if (e[0])
			diag("%s", e);
		free(out);
	}
	{
		/*
		 * [lp] backslash needs no escape in keys and tag values (InfluxDB 1.x
		 * keeps "\\" as two); one at the end would escape the separator and is
		 * left out. Newlines are not allowed: they become (escaped) spaces.
		 */
		struct bess_writer_opts w2 = { .fmt = BESS_FMT_LP, .measurement = "m\\", .time_col = "time", .tags = tags };
		const char *names[] = { "time", "site", "C:\\x\\", "s", "device", NULL };
		const char *rows[] = { "1970-01-01T00:00:00Z|a\\b\\|1|l1\nl2|r\n1", NULL };

		out = write_recs(&w2, names, rows, NULL, e, sizeof(e));
		/* [hand] 0 ns comes out as "0000", still the integer 0 */
		is_str(out, "m,device=r\\ 1,site=a\\b C:\\x=1,s=\"l1 l2\" 0000\n",
		    "line protocol: backslashes kept, newline in a string field");
		free(out);
	}
	{
		/* [lp] a number must be a float literal: "+5", ".5", "5.", "007", "1,5" */
		struct bess_writer_opts w2 = { .fmt = BESS_FMT_LP, .measurement = "m" };
		const char *names[] = { "ts", "a", "b", "c", "d", "e", NULL };
		const char *rows[] = { "1970-01-01T00:00:01Z|+5|.5|5.|007|1,5", NULL };

		out = write_recs(&w2, names, rows, NULL, e, sizeof(e));
		/* [hand] +5 = 5, .5 = 0.5, 5. = 5, 007 = 7; "1,5" is text */
		is_str(out, "m a=5,b=0.5,c=5,d=7,e=\"1,5\" 1000000000\n",
		    "line protocol: numbers InfluxDB accepts");
		free(out);
	}
	{
		struct bess_writer_opts w2 = { .fmt = BESS_FMT_LP, .measurement = "m" };
		const char *names[] = { "ts", "a", NULL };
		const char *rows1[] = { "~|1", NULL };
		const char *rows2[] = { "yesterday|1", NULL };

		out = write_recs(&w2, names, rows1, NULL, e, sizeof(e));
		is_str(e, "line protocol needs a time in column 'ts'", "line protocol: missing time");
		free(out);
		out = write_recs(&w2, names, rows2, NULL, e, sizeof(e));
		ok(strncmp(e, "column 'ts': ", 13) == 0, "line protocol: bad time (%s)", e);
		free(out);
	}
	{
		enum bess_fmt f;

		ok(bess_fmt_parse("csv", &f) == 0 && f == BESS_FMT_CSV, "fmt csv");
		ok(bess_fmt_parse("jsonl", &f) == 0 && f == BESS_FMT_NDJSON, "fmt jsonl");
		ok(bess_fmt_parse("influx", &f) == 0 && f == BESS_FMT_LP, "fmt influx");
		is_int(bess_fmt_parse("xml", &f), -1, "fmt xml unknown");
	}
}

int
main(void)
{
	test_csv_basic();
	test_csv_kinds();
	test_csv_errors();
	test_csv_header_names();
	test_csv_detect();
	test_csv_buffer();
	test_csv_random();
	test_ndjson();
	test_write_csv();
	test_write_ndjson();
	test_write_lp();
	return done();
}
