/* test_gnuplot.c: finding gnuplot on PATH, running it through pipes (a stand-in script plays gnuplot), its messages split into lines. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bess_gnuplot.h"
#include "check.h"

static char dir[64];

/* A stand-in gnuplot in dir whose body is the shell script body. */
static void
fake(const char *body)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/gnuplot", dir);
	f = fopen(path, "w");
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	chmod(path, 0755);
}

static void
collect(void *ctx, const char *line, size_t n)
{
	struct bess_buf *b = ctx;

	bess_buf_add(b, "[", 1);
	bess_buf_add(b, line, n);
	bess_buf_add(b, "]", 1);
}

int
main(void)
{
	struct bess_buf out = { 0 }, errb = { 0 }, lines = { 0 };
	struct bess_err err;
	char path[128], *found, *big, want[128], cwd[4096], *oldpath = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	const size_t nbig = 1 << 20;	/* 1 MiB: many times a pipe's buffer, so writes and reads interleave */
	int rc;
	size_t i;

	snprintf(dir, sizeof(dir), "%s/bess-gp.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/gnuplot", dir);

	/* finding it: the first PATH element holding an executable regular file */
	setenv("PATH", "/nonexistent", 1);
	check(bess_gnuplot_find() == NULL, "find: none on PATH is NULL");
	fake("exit 0");
	setenv("PATH", "/nonexistent:", 1);	/* an empty element is the current directory */
	if (getcwd(cwd, sizeof(cwd)) == NULL || chdir(dir) != 0)
		return 1;
	found = bess_gnuplot_find();
	same(found, "./gnuplot", "find: an empty PATH element is ./gnuplot");
	free(found);
	if (chdir(cwd) != 0)
		return 1;
	snprintf(want, sizeof(want), "/nonexistent:%s", dir);
	setenv("PATH", want, 1);
	found = bess_gnuplot_find();
	same(found, path, "find: the stand-in in the second PATH element");
	free(found);
	chmod(path, 0644);
	check(bess_gnuplot_find() == NULL, "find: a file that is not executable is passed over");
	setenv("PATH", oldpath, 1);	/* the stand-ins below run sh, wc, cat */
	free(oldpath);

	/* running it: 1 MiB in; stdout and stderr collected apart; its exit status returned */
	big = malloc(nbig);
	for (i = 0; i < nbig; i++)
		big[i] = i % 64 == 63 ? '\n' : 'x';
	fake("echo \"args:$*\"; wc -c; echo oops >&2; exit 3");
	rc = bess_gnuplot_run(path, big, nbig, &out, &errb, &err);
	is_int(rc, 3, "run: gnuplot's exit status 3 returned");
	same(out.p, "args:--default-settings\n1048576\n", "run: one argument, all 1048576 bytes of the script read");
	same(errb.p, "oops\n", "run: its standard error kept apart");
	bess_buf_free(&out);
	bess_buf_free(&errb);

	/* one that stops reading at once: the write fails with EPIPE, no SIGPIPE kills the caller */
	fake("echo early; exit 0");
	rc = bess_gnuplot_run(path, big, nbig, &out, &errb, &err);
	is_int(rc, 0, "run: gnuplot reading nothing of 1 MiB: exit 0, the caller lives on");
	same(out.p, "early\n", "run: what it wrote is kept");
	check(errb.n == 0, "run: nothing on its standard error");
	bess_buf_free(&out);

	/* killed by a signal: 128 + the signal */
	fake("cat >/dev/null; kill -TERM $$");
	rc = bess_gnuplot_run(path, "x\n", 2, &out, &errb, &err);
	is_int(rc, 128 + SIGTERM, "run: killed by SIGTERM is 128 + 15");

	/* no such program: the child says so and exits 127 */
	rc = bess_gnuplot_run("/nonexistent/gnuplot", "x\n", 2, &out, &errb, &err);
	is_int(rc, 127, "run: a path that cannot be run: 127");
	same(errb.p, "cannot run /nonexistent/gnuplot: *", "run: ... with the reason on its standard error");
	bess_buf_free(&errb);
	unlink(path);
	rmdir(dir);

	/* messages: one call per line, blank lines and a lone CR dropped, no newline passed on */
	bess_gnuplot_lines("line 1: bad\n\n\r\nwarning: x\r\nlast", collect, &lines);
	same(lines.p, "[line 1: bad][warning: x\r][last]", "lines: three lines, the blank and lone-CR lines dropped");
	bess_buf_free(&lines);
	bess_gnuplot_lines(NULL, collect, &lines);
	bess_gnuplot_lines("", collect, &lines);
	check(lines.n == 0, "lines: no text, no calls");

	/* the buffer: grows past its first 64 KiB, NUL-terminated */
	for (i = 0; i < 3; i++)
		bess_buf_add(&out, big, 40000);
	check(out.n == 120000 && out.p[120000] == '\0' && out.cap >= 120001, "buf: 3 x 40000 bytes held, NUL after");
	bess_buf_free(&out);
	check(out.p == NULL && out.n == 0, "buf: freed is empty");
	free(big);
	return done_testing();
}
