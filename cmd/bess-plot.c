/* bess-plot: draw a record stream as a chart (PNG, SVG, PDF, HTML or text) through gnuplot. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bess_opt.h"
#include "bess_plot.h"
#include "bess_qty.h"
#include "bess_table.h"
#include "cli.h"

enum {
	O_FORMAT = CLI_O_OWN, O_TITLE, O_PANELS, O_COLUMNS,
	O_VIEW, O_TZ, O_SIZE, O_SCRIPT, O_CAPACITY, O_SOCMIN, O_SOCMAX, O_CURRENCY, O_ALL
};

static const struct bess_optdef opts[] = {
	{ "help", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_HELP },
	{ "version", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_VERSION },
	{ "config", 'c', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_CONFIG },
	{ "output", 'o', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_OUTPUT },
	{ "format", 'f', BESS_OPT_ARG | BESS_OPT_CLI, O_FORMAT },
	{ "title", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_TITLE },
	{ "panels", 'p', BESS_OPT_ARG, O_PANELS },
	{ "columns", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_COLUMNS },
	{ "view", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_VIEW },
	{ "tz", 0, BESS_OPT_ARG, O_TZ },
	{ "size", 0, BESS_OPT_ARG, O_SIZE },
	{ "script", 0, BESS_OPT_FLAG | BESS_OPT_CLI, O_SCRIPT },
	{ "capacity", 0, BESS_OPT_ARG, O_CAPACITY },
	{ "soc-min", 0, BESS_OPT_ARG, O_SOCMIN },
	{ "soc-max", 0, BESS_OPT_ARG, O_SOCMAX },
	{ "currency", 0, BESS_OPT_ARG, O_CURRENCY },
	{ "all-points", 0, BESS_OPT_FLAG, O_ALL },
	{ NULL, 0, 0, 0 }
};

struct conf {
	struct bess_plot_opts po;	/* what the library needs */
	const char *output;		/* -o FILE, NULL = stdout */
	int have_fmt;			/* -f given */
	int script;			/* --script: write the gnuplot script instead of running it */
	char *tzname;			/* --tz */
	struct bess_tz *tz;
	char *currency;			/* --currency */
	char **columns;			/* --columns, NULL-terminated */
	size_t ncolumns;
};

static void
usage(void)
{
	printf("usage: bess-plot [options] [file ...]\n"
	    "Draw a bess record stream as a chart through gnuplot: price, battery power\n"
	    "(charge up, discharge down), SOC and site power in stacked panels over time.\n"
	    "\n"
	    "Output:\n"
	    "  -o, --output FILE      write FILE atomically; its extension gives the format\n"
	    "  -f, --format FMT       png, svg, pdf, html (interactive SVG in a page) or text\n"
	    "                         (default: from -o, else text on standard output)\n"
	    "      --size WxH         pixels (characters for text); default fits the panels\n"
	    "      --script           write the gnuplot script (data inline) instead of running\n"
	    "                         it; its chart format is -f (default png)\n"
	    "Chart:\n"
	    "      --view VIEW        time (default): panels over time; daily: one mean (and\n"
	    "                         min-max band) per local day; price: battery power against\n"
	    "                         price, and an hour-of-day profile\n"
	    "  -p, --panels LIST      panels, in order: price, battery, soc, site, other\n"
	    "                         (default: every panel with data)\n"
	    "      --columns LIST     draw only these columns; columns no panel knows go to\n"
	    "                         the 'other' panel\n"
	    "      --title TEXT       chart title\n"
	    "      --tz ZONE          time axis, days and hours in IANA ZONE (default UTC)\n"
	    "      --currency CUR     price axis label CUR/kWh (default 'per kWh')\n"
	    "      --capacity QTY     battery capacity (e.g. 500kWh), drawn on the SOC panel\n"
	    "      --soc-min QTY      lower SOC limit, kWh or %% of capacity (e.g. 10%%)\n"
	    "      --soc-max QTY      upper SOC limit\n"
	    "      --all-points       draw every point (default: min/max per pixel column\n"
	    "                         when there are more records than columns)\n"
	    "  -c, --config FILE      read options from FILE (keys are long option names)\n"
	    "      --help, --version\n"
	    "\n"
	    "Needs gnuplot (Debian: gnuplot-nox) unless --script is given.\n"
	    "Exit status: 0 success, 1 bad data, gnuplot missing or failing, 2 usage error.\n"
	    "See bess-plot(1) and bess(7).\n");
}

static int
set_limit(const char *arg, double *v, int *pct, struct bess_err *err)
{
	struct bess_qty q;
	char why[256];

	if (bess_qty_parse(arg, BESS_DIM_ENERGY | BESS_DIM_PERCENT, &q, why, sizeof(why)) != 0)
		return bess_err_set(err, NULL, 0, "%s", why);
	if (q.value < 0 || (q.dim == BESS_DIM_PERCENT && q.value > 100))
		return bess_err_set(err, NULL, 0, "'%s' is out of range", arg);
	*v = q.value;
	*pct = q.dim == BESS_DIM_PERCENT;
	return 0;
}

static int
set(void *ctx, int id, const char *arg, const struct bess_optsrc *src, struct bess_err *err)
{
	struct conf *c = ctx;
	struct bess_qty q;
	char why[256], *end;
	long w, h;
	int k;

	(void)src;
	if (cli_common_opt(id, arg, usage, &c->output))
		return 0;
	switch (id) {
	case O_FORMAT:
		if (bess_plot_fmt_parse(arg, &c->po.fmt) != 0)
			return bess_err_set(err, NULL, 0, "'%s' is not png, svg, pdf, html or text", arg);
		c->have_fmt = 1;
		return 0;
	case O_TITLE:
		c->po.title = arg;
		return 0;
	case O_PANELS: {
		char *copy = strdup(arg), *p, *tok, *save = NULL;
		int i;

		if (copy == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
		c->po.npanels = 0;
		for (p = copy; (tok = strtok_r(p, ",", &save)) != NULL; p = NULL) {
			if ((k = bess_plot_panel_parse(tok)) < 0) {
				bess_err_set(err, NULL, 0, "'%s' is not a panel (price, battery, soc, site, other)", tok);
				free(copy);
				return -1;
			}
			for (i = 0; i < c->po.npanels; i++)
				if (c->po.panels[i] == k) {
					bess_err_set(err, NULL, 0, "panel '%s' named twice", tok);
					free(copy);
					return -1;
				}
			c->po.panels[c->po.npanels++] = k;
		}
		free(copy);
		if (c->po.npanels == 0)
			return bess_err_set(err, NULL, 0, "--panels needs at least one panel");
		return 0;
	}
	case O_COLUMNS:
		return cli_list_add(&c->columns, &c->ncolumns, arg, err);
	case O_VIEW:
		if (cli_pick(arg, (const char *const[]){ "time", "daily", "price", NULL }, &k, err) != 0)
			return -1;
		c->po.view = k == 0 ? BESS_VIEW_TIME : k == 1 ? BESS_VIEW_DAILY : BESS_VIEW_PRICE;
		return 0;
	case O_TZ:
		return cli_str_opt(&c->tzname, arg, err);
	case O_SIZE:
		w = strtol(arg, &end, 10);
		if (end == arg || (*end != 'x' && *end != 'X'))
			return bess_err_set(err, NULL, 0, "'%s' is not WIDTHxHEIGHT (e.g. 1200x800)", arg);
		h = strtol(end + 1, &end, 10);
		if (*end || w < 20 || h < 10 || w > 20000 || h > 20000)
			return bess_err_set(err, NULL, 0, "'%s' is not WIDTHxHEIGHT between 20x10 and 20000x20000", arg);
		c->po.width = (int)w;
		c->po.height = (int)h;
		return 0;
	case O_SCRIPT:
		c->script = 1;
		return 0;
	case O_CAPACITY:
		if (bess_qty_parse(arg, BESS_DIM_ENERGY, &q, why, sizeof(why)) != 0)
			return bess_err_set(err, NULL, 0, "%s", why);
		if (!(q.value > 0))
			return bess_err_set(err, NULL, 0, "capacity must be positive");
		c->po.capacity_kwh = q.value;
		return 0;
	case O_SOCMIN:
		return set_limit(arg, &c->po.soc_min, &c->po.soc_min_pct, err);
	case O_SOCMAX:
		return set_limit(arg, &c->po.soc_max, &c->po.soc_max_pct, err);
	case O_CURRENCY:
		if (cli_str_opt(&c->currency, arg, err) != 0)
			return -1;
		c->po.currency = c->currency;
		return 0;
	case O_ALL:
		c->po.no_decimate = 1;
		return 0;
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

/* ---- running gnuplot ---- */

struct buf {
	char *p;
	size_t n, cap;
};

static int
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 65536;
		char *q;

		while (nc < b->n + n + 1)
			nc *= 2;
		if ((q = realloc(b->p, nc)) == NULL)
			return -1;
		b->p = q;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

/* The path of gnuplot on PATH, or NULL. */
static char *
find_gnuplot(void)
{
	const char *path = getenv("PATH"), *p, *colon;
	struct stat st;

	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path;; p = colon + 1) {
		size_t len;
		char *full;

		colon = strchr(p, ':');
		len = colon ? (size_t)(colon - p) : strlen(p);
		if ((full = malloc(len + sizeof("/gnuplot") + 1)) == NULL)
			return NULL;
		if (len == 0)
			strcpy(full, "./gnuplot");
		else
			sprintf(full, "%.*s/gnuplot", (int)len, p);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0)
			return full;
		free(full);
		if (colon == NULL)
			return NULL;
	}
}

/*
 * Run gnuplot with the script on its standard input (no shell involved),
 * collecting its standard output and standard error. Returns its exit
 * status (128 + signal if killed), or -1 after printing why it could not run.
 */
static int
run_gnuplot(const char *gnuplot, const char *script, size_t len, struct buf *out, struct buf *errb)
{
	int in[2] = { -1, -1 }, po[2] = { -1, -1 }, pe[2] = { -1, -1 }, status;
	size_t off = 0;
	pid_t pid;
	struct sigaction ign, old;
	int rc = -1;

	if (pipe(in) != 0 || pipe(po) != 0 || pipe(pe) != 0) {
		cli_errorf("pipe: %s", strerror(errno));
		goto fail;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		cli_errorf("fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		char *argv[] = { "gnuplot", "--default-settings", NULL };

		dup2(in[0], 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(in[0]);
		close(in[1]);
		close(po[0]);
		close(po[1]);
		close(pe[0]);
		close(pe[1]);
		execv(gnuplot, argv);
		dprintf(2, "cannot run %s: %s\n", gnuplot, strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(po[1]);
	close(pe[1]);
	in[0] = po[1] = pe[1] = -1;
	fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
	/* gnuplot may stop reading early (an error): a write then fails with EPIPE, not a signal */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	while (po[0] >= 0 || pe[0] >= 0) {
		struct pollfd fds[3];
		int nf = 0, k;
		char chunk[65536];

		if (in[1] >= 0) {
			fds[nf].fd = in[1];
			fds[nf++].events = POLLOUT;
		}
		if (po[0] >= 0) {
			fds[nf].fd = po[0];
			fds[nf++].events = POLLIN;
		}
		if (pe[0] >= 0) {
			fds[nf].fd = pe[0];
			fds[nf++].events = POLLIN;
		}
		if (poll(fds, (nfds_t)nf, -1) < 0) {
			if (errno == EINTR)
				continue;
			cli_errorf("poll: %s", strerror(errno));
			break;
		}
		for (k = 0; k < nf; k++) {
			ssize_t got;

			if (fds[k].revents == 0)
				continue;
			if (fds[k].fd == in[1]) {
				got = write(in[1], script + off, len - off);
				if (got > 0)
					off += (size_t)got;
				if ((got < 0 && errno != EAGAIN && errno != EINTR) || off == len) {
					close(in[1]);
					in[1] = -1;
				}
				continue;
			}
			got = read(fds[k].fd, chunk, sizeof(chunk));
			if (got > 0) {
				if (buf_add(fds[k].fd == po[0] ? out : errb, chunk, (size_t)got) != 0) {
					cli_errorf("out of memory");
					got = 0;
				}
			}
			if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
				close(fds[k].fd);
				if (fds[k].fd == po[0])
					po[0] = -1;
				else
					pe[0] = -1;
			}
		}
	}
	if (in[1] >= 0)
		close(in[1]);
	in[1] = -1;
	sigaction(SIGPIPE, &old, NULL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			cli_errorf("waitpid: %s", strerror(errno));
			return -1;
		}
	if (WIFEXITED(status))
		rc = WEXITSTATUS(status);
	else
		rc = 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return rc;
fail:
	for (status = 0; status < 2; status++) {
		if (in[status] >= 0)
			close(in[status]);
		if (po[status] >= 0)
			close(po[status]);
		if (pe[status] >= 0)
			close(pe[status]);
	}
	return -1;
}

/* gnuplot's messages, one "bess-plot: gnuplot: " line each (blank lines dropped). */
static void
show_gnuplot_stderr(const struct buf *e)
{
	const char *p = e->p, *nl;

	if (p == NULL)
		return;
	for (; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (nl > p && !(nl - p == 1 && *p == '\r'))
			fprintf(stderr, "%s: gnuplot: %.*s\n", cli_prog, (int)(nl - p), p);
		if (*nl == '\0')
			break;
	}
}

static int
write_out(const char *path, const char *data, size_t n)
{
	FILE *out = cli_out_open(path);

	if (out == NULL)
		return -1;
	if (fwrite(data, 1, n, out) != n && out != stdout) {
		cli_errorf("%s: %s", path, strerror(errno));
		cli_out_abort();
		return -1;
	}
	return cli_out_commit();
}

static void
conf_free(struct conf *c)
{
	free(c->tzname);
	free(c->currency);
	cli_list_free(c->columns, c->ncolumns);
	bess_tz_free(c->tz);
}

int
main(int argc, char **argv)
{
	struct conf c;
	struct bess_err err;
	struct bess_table t;
	struct buf gout = { 0 }, gerr = { 0 };
	char *script = NULL, *gnuplot = NULL, *page = NULL;
	size_t slen = 0, plen;
	int first, status = 0, rc;

	cli_init("bess-plot");
	memset(&c, 0, sizeof(c));
	bess_plot_opts_init(&c.po);
	bess_table_init(&t);
	if (bess_opt_load(opts, "bess-plot", argc, argv, set, &c, &first, &err) != 0)
		cli_usage("%s", err.msg);
	c.tz = cli_tz_load(c.tzname);
	c.po.tz = c.tz;
	c.po.columns = (const char *const *)c.columns;
	if (!c.have_fmt) {
		if (c.script)
			c.po.fmt = BESS_PLOT_PNG;
		else if (c.output && strcmp(c.output, "-") != 0) {
			if (bess_plot_fmt_from_path(c.output, &c.po.fmt) != 0)
				cli_usage("cannot tell the chart format from '%s': name it with -f "
				    "png, svg, pdf, html or text", c.output);
		} else
			c.po.fmt = BESS_PLOT_TEXT;
	}
	if (!c.script && (c.po.fmt == BESS_PLOT_PNG || c.po.fmt == BESS_PLOT_PDF) &&
	    (c.output == NULL || strcmp(c.output, "-") == 0) && isatty(STDOUT_FILENO))
		cli_usage("not writing a %s chart to a terminal: use -o FILE or a pipe",
		    bess_plot_fmt_name(c.po.fmt));
	if (!c.script && (gnuplot = find_gnuplot()) == NULL) {
		cli_errorf("gnuplot not found on PATH: install it (Debian: apt-get install gnuplot-nox), "
		    "or write the script with --script");
		conf_free(&c);
		return cli_finish(EXIT_DATA);
	}

	if (cli_read_table(&t, NULL, argc, argv, first) != 0) {
		status = EXIT_DATA;
		goto done;
	}
	if ((script = bess_plot_script(&t, &c.po, &slen, &err)) == NULL) {
		cli_error(&err);
		status = EXIT_DATA;
		goto done;
	}
	if (c.script) {
		if (write_out(c.output, script, slen) != 0)
			status = EXIT_DATA;
		goto done;
	}
	rc = run_gnuplot(gnuplot, script, slen, &gout, &gerr);
	if (rc != 0) {
		if (rc > 0) {
			cli_errorf("gnuplot failed (exit status %d)%s", rc, gerr.n ? ":" : "");
			show_gnuplot_stderr(&gerr);
		}
		status = EXIT_DATA;
		goto done;
	}
	show_gnuplot_stderr(&gerr);
	if (gout.n == 0) {
		cli_errorf("gnuplot wrote no chart");
		status = EXIT_DATA;
		goto done;
	}
	if (c.po.fmt == BESS_PLOT_HTML) {
		if ((page = bess_plot_html(gout.p, gout.n, c.po.title, &plen, &err)) == NULL) {
			cli_error(&err);
			status = EXIT_DATA;
			goto done;
		}
		if (write_out(c.output, page, plen) != 0)
			status = EXIT_DATA;
	} else if (c.po.fmt == BESS_PLOT_TEXT && gout.p[0] == '\f') {
		/* the dumb terminal starts each page with a form feed: not wanted in a mail or a file */
		if (write_out(c.output, gout.p + 1, gout.n - 1) != 0)
			status = EXIT_DATA;
	} else if (write_out(c.output, gout.p, gout.n) != 0)
		status = EXIT_DATA;
done:
	free(page);
	free(gout.p);
	free(gerr.p);
	free(script);
	free(gnuplot);
	bess_table_free(&t);
	conf_free(&c);
	return cli_finish(status);
}
