/* test_rec_live.c: the record reader hands out records of a live pipe as they arrive, without waiting for more input. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bess_rec.h"

static int n_test, n_fail;

static void
check(int cond, const char *what)
{
	n_test++;
	if (!cond)
		n_fail++;
	printf("%sok %d - %s\n", cond ? "" : "not ", n_test, what);
}

/*
 * Write text into a pipe and keep its write end open, as a producer that
 * is still running would; the first record must come back at once (a
 * reader that waits for more input is stopped by the alarm and fails).
 */
static void
live(const char *text, const struct bess_reader_opts *o, const char *want0, const char *what)
{
	struct bess_reader *r;
	struct bess_rec rec;
	struct bess_err err;
	FILE *fp;
	int fd[2], rc;
	char buf[160];

	if (pipe(fd) != 0 || write(fd[1], text, strlen(text)) != (ssize_t)strlen(text)) {
		check(0, "pipe");
		return;
	}
	fp = fdopen(fd[0], "r");
	alarm(5);
	r = bess_reader_open(fp, "<pipe>", o, &err);
	bess_rec_init(&rec);
	rc = r ? bess_reader_next(r, &rec, &err) : -1;
	alarm(0);
	snprintf(buf, sizeof(buf), "%s: first record while the writer is still open", what);
	check(rc == 1 && rec.n > 0 && strcmp(rec.v[0], want0) == 0, buf);
	close(fd[1]);
	rc = r ? bess_reader_next(r, &rec, &err) : -1;
	snprintf(buf, sizeof(buf), "%s: end of input once the writer closes", what);
	check(rc == 0, buf);
	bess_reader_close(r);
	fclose(fp);
}

int
main(void)
{
	struct bess_reader_opts o;

	signal(SIGALRM, SIG_DFL);
	memset(&o, 0, sizeof(o));
	o.skip = -1;
	live("{\"a\":1,\"b\":\"x\"}\n", &o, "1", "NDJSON detected");
	o.fmt = BESS_FMT_NDJSON;
	live("\n{\"a\":2}\n", &o, "2", "NDJSON given, after a blank line");
	memset(&o, 0, sizeof(o));
	o.fmt = BESS_FMT_CSV;
	o.delim = ',';
	o.skip = 0;
	live("a,b\n3,4\n", &o, "3", "CSV with delimiter and preamble given");
	printf("1..%d\n", n_test);
	return n_fail != 0;
}
