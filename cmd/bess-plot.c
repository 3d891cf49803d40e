/* bess-plot: draw a record stream as a chart (PNG, SVG, PDF, HTML or text) through gnuplot. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <time.h>
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
#include "bess_tariff.h"
#include "cli.h"

enum {
	O_FORMAT = CLI_O_OWN, O_TITLE, O_PANELS, O_COLUMNS,
	O_VIEW, O_TZ, O_SIZE, O_SCRIPT, O_CAPACITY, O_SOCMIN, O_SOCMAX, O_CURRENCY, O_ALL,
	O_FOLLOW, O_EVERY, O_WINDOW, O_STALE, O_CLOCK, O_TARIFF
};

static const struct bess_optdef opts[] = {
	{ "help", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_HELP },
	{ "version", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_VERSION },
	{ "config", 'c', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_CONFIG },
	{ "output", 'o', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_OUTPUT },
	{ "format", 'f', BESS_OPT_ARG | BESS_OPT_CLI, O_FORMAT },
	{ "title", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_TITLE },
	{ "panels", 0, BESS_OPT_ARG, O_PANELS },
	{ "panels", 'p', BESS_OPT_ARG | BESS_OPT_OLD, O_PANELS },	/* -p is --port elsewhere */
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
	{ "follow", 0, BESS_OPT_FLAG | BESS_OPT_CLI, O_FOLLOW },
	{ "every", 0, BESS_OPT_ARG, O_EVERY },
	{ "window", 0, BESS_OPT_ARG, O_WINDOW },
	{ "stale", 0, BESS_OPT_ARG, O_STALE },
	{ "clock", 0, BESS_OPT_ARG, O_CLOCK },
	{ "tariff", 0, BESS_OPT_ARG, O_TARIFF },
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
	int follow;			/* --follow */
	double every_s;			/* --every: at most one redraw this often */
	double window_s;		/* --window */
	double stale_s;			/* --stale: 0 = off, < 0 = three steps of the stream */
	int data_clock;			/* --clock data: now is the newest record's time */
	char *tariff_path;		/* --tariff */
	struct bess_tariff *tariff;
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
	    "      --panels LIST      panels, in order: price, battery, soc, site, other\n"
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
	    "      --tariff FILE      time-of-use periods as shaded bands with their rates\n"
	    "Live (--follow):\n"
	    "      --follow           read a live stream (one input) and redraw as records\n"
	    "                         arrive: -o FILE is rewritten atomically (an HTML page\n"
	    "                         refreshes itself in place), else the terminal is redrawn\n"
	    "      --every DUR        at most one redraw this often (default 5s)\n"
	    "      --window DUR       the time axis shows the newest DUR of data (default 24h)\n"
	    "      --stale DUR|off    say the stream is stale when no record came for DUR\n"
	    "                         (default: three of its steps, at least 1m)\n"
	    "      --clock wall|data  now is the wall clock (default) or the newest record's\n"
	    "                         time (a replay)\n"
	    "  -c, --config FILE      read options from FILE (keys are long option names)\n"
	    "      --help, --version\n"
	    "\n"
	    "Needs gnuplot (Debian: gnuplot-nox) unless --script is given.\n"
	    "Exit status: 0 success, 1 bad data, gnuplot missing or failing, 2 usage error;\n"
	    "with --follow, 0 when the stream ends (gnuplot failing keeps the last chart).\n"
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
	case O_FOLLOW:
		c->follow = 1;
		return 0;
	case O_EVERY:
	case O_WINDOW:
	case O_STALE: {
		long long us;

		if (id == O_STALE && strcmp(arg, "off") == 0) {
			c->stale_s = 0;
			return 0;
		}
		if (bess_duration_parse(arg, &us, why, sizeof(why)) != 0)
			return bess_err_set(err, NULL, 0, "%s", why);
		if (id == O_EVERY && us < 100000)
			return bess_err_set(err, NULL, 0, "'%s' is too often: at least 100ms", arg);
		*(id == O_EVERY ? &c->every_s : id == O_WINDOW ? &c->window_s : &c->stale_s) =
		    (double)us / 1e6;
		return 0;
	}
	case O_CLOCK:
		if (cli_pick(arg, (const char *const[]){ "wall", "data", NULL }, &k, err) != 0)
			return -1;
		c->data_clock = k == 1;
		return 0;
	case O_TARIFF:
		return cli_str_opt(&c->tariff_path, arg, err);
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
	free(c->tariff_path);
	bess_tariff_free(c->tariff);
	cli_list_free(c->columns, c->ncolumns);
	bess_tz_free(c->tz);
}

/* The chart of what d holds through gnuplot: 0 and *out filled, or -1 after printing why. */
static int
draw(const char *gnuplot, const struct bess_plot_data *d, struct buf *out)
{
	struct buf gerr = { 0 };
	struct bess_err err;
	char *script;
	size_t slen;
	int rc;

	out->n = 0;
	if ((script = bess_plot_render(d, &slen, &err)) == NULL) {
		cli_error(&err);
		return -1;
	}
	rc = run_gnuplot(gnuplot, script, slen, out, &gerr);
	free(script);
	if (rc != 0) {
		if (rc > 0) {
			cli_errorf("gnuplot failed (exit status %d)%s", rc, gerr.n ? ":" : "");
			show_gnuplot_stderr(&gerr);
		}
		free(gerr.p);
		return -1;
	}
	show_gnuplot_stderr(&gerr);
	free(gerr.p);
	if (out->n == 0) {
		cli_errorf("gnuplot wrote no chart");
		return -1;
	}
	return 0;
}

/* Gather one input's records (a bess record stream: its first line is the header). */
static int
into_data(struct bess_reader *r, const char *name, void *ctx)
{
	struct bess_err err;

	(void)name;
	if (bess_plot_data_read(ctx, r, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

/* ---- --follow ---- */

/* What the reader thread and the drawing loop share. */
struct live {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct bess_plot_data *d;	/* the records (under mu) */
	struct bess_reader *r;
	int dirty;			/* records came since the last chart */
	int eof;			/* the input ended */
	int failed;			/* ... with an error that ends it */
};

static volatile sig_atomic_t stop_sig;

static void
on_stop(int sig)
{
	stop_sig = sig;
}

/*
 * A bad NDJSON line is a bad record like any other (skipped with a
 * warning); anything else (CSV structure, the same line failing again) ends
 * the input.
 */
static void *
live_reader(void *arg)
{
	struct live *lv = arg;
	struct bess_rec rec;
	struct bess_err err;
	long last = 0;
	int got;

	bess_rec_init(&rec);
	while ((got = bess_reader_next(lv->r, &rec, &err)) != 0) {
		int rc = 0;

		if (got < 0) {
			int skip = bess_reader_format(lv->r) == BESS_FMT_NDJSON && err.line > 0 &&
			    err.line != last;

			last = err.line;
			if (!skip) {
				cli_error(&err);
				pthread_mutex_lock(&lv->mu);
				lv->failed = 1;
				pthread_mutex_unlock(&lv->mu);
				break;
			}
			rc = 1;
		} else {
			pthread_mutex_lock(&lv->mu);
			rc = bess_plot_data_add(lv->d, bess_reader_schema(lv->r), &rec, bess_reader_name(lv->r),
			    &err);
			if (rc == 0) {
				lv->dirty = 1;
				pthread_cond_signal(&lv->cv);
			}
			pthread_mutex_unlock(&lv->mu);
		}
		if (rc != 0) {
			char buf[1024];

			cli_warnf("%s (record skipped)", bess_err_str(&err, buf, sizeof(buf)));
		}
	}
	pthread_mutex_lock(&lv->mu);
	lv->eof = 1;
	pthread_cond_signal(&lv->cv);
	pthread_mutex_unlock(&lv->mu);
	return NULL;
}

static double
mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Terminal frames: drawn in place on a terminal (alternate screen), form-feed separated in a pipe. */
static void
term_frame(const char *status, int stale, const char *chart, size_t n, int tty)
{
	const char *p = chart, *end = chart + n, *nl;

	if (n > 0 && *p == '\f') {
		p++;
	}
	if (tty)
		fputs("\033[H", stdout);
	else
		fputc('\f', stdout);
	if (tty && stale)
		fputs("\033[1;37;41m", stdout);
	fputs(status, stdout);
	if (tty)
		fputs(stale ? "\033[0m\033[K\n" : "\033[K\n", stdout);
	else
		fputc('\n', stdout);
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		fwrite(p, 1, (size_t)(nl - p), stdout);
		fputs(tty ? "\033[K\n" : "\n", stdout);
		if (nl == end)
			break;
	}
	if (tty)
		fputs("\033[J", stdout);
	fflush(stdout);
}

/* The output of one redraw: -o FILE rewritten atomically, or the terminal. */
static int
live_write(const struct conf *c, const struct buf *chart, const char *status, int stale,
    const char *title, int tty)
{
	struct bess_err err;

	if (c->output == NULL || strcmp(c->output, "-") == 0) {
		if (c->po.fmt == BESS_PLOT_TEXT) {
			term_frame(status, stale, chart->p ? chart->p : "", chart->n, tty);
			return 0;
		}
		if (c->po.fmt != BESS_PLOT_HTML) {
			/* png, svg, pdf in a pipe: one chart after another */
			if (fwrite(chart->p, 1, chart->n, stdout) != chart->n || fflush(stdout) != 0)
				return -1;
			return 0;
		}
	}
	if (c->po.fmt == BESS_PLOT_HTML) {
		struct bess_plot_pageopts po;
		char *page;
		size_t plen;
		int rc;

		memset(&po, 0, sizeof(po));
		po.title = title;
		po.status = status;
		po.stale = stale;
		po.refresh_s = c->every_s;
		po.written = wall_s();
		if ((page = bess_plot_page(chart->p, chart->n, &po, &plen, &err)) == NULL) {
			cli_error(&err);
			return -1;
		}
		rc = write_out(c->output, page, plen);
		free(page);
		return rc;
	}
	if (c->po.fmt == BESS_PLOT_TEXT) {
		struct buf t = { 0 };
		int rc;

		if (buf_add(&t, status, strlen(status)) != 0 || buf_add(&t, "\n", 1) != 0 ||
		    buf_add(&t, chart->p + (chart->p[0] == '\f'), chart->n - (chart->p[0] == '\f')) != 0) {
			free(t.p);
			cli_errorf("out of memory");
			return -1;
		}
		rc = write_out(c->output, t.p, t.n);
		free(t.p);
		return rc;
	}
	return write_out(c->output, chart->p, chart->n);
}

static int
run_follow(struct conf *c, const char *gnuplot, int argc, char **argv, int first)
{
	struct live lv;
	struct bess_reader_opts ro;
	struct bess_err err;
	struct buf chart = { 0 }, next = { 0 };
	const char *name;
	char title[300], status[BESS_STATUS_SZ];
	FILE *in;
	pthread_t th;
	double last_draw = -1e300, last_tick = -1e300;
	int tty = 0, alt = 0, have_chart = 0, was_stale = -1, rc = 0;
	struct sigaction sa;

	if (argc - first > 1)
		cli_usage("--follow reads one input (a file, a FIFO, or stdin)");
	if (c->po.view != BESS_VIEW_TIME)
		cli_usage("--follow draws the time view");
	if ((in = cli_open_in(argc > first ? argv[first] : "-", &name)) == NULL)
		return EXIT_DATA;
	memset(&lv, 0, sizeof(lv));
	pthread_mutex_init(&lv.mu, NULL);
	pthread_cond_init(&lv.cv, NULL);
	if ((lv.d = bess_plot_data_new(&c->po, c->window_s, &err)) == NULL) {
		cli_error(&err);
		cli_close_in(in);
		return EXIT_DATA;
	}
	memset(&ro, 0, sizeof(ro));
	if ((lv.r = bess_reader_open(in, name, &ro, &err)) == NULL) {
		cli_error(&err);
		bess_plot_data_free(lv.d);
		cli_close_in(in);
		return EXIT_DATA;
	}
	snprintf(title, sizeof(title), "%s", c->po.title ? c->po.title : "bess-plot");
	if ((c->output == NULL || strcmp(c->output, "-") == 0) && c->po.fmt == BESS_PLOT_TEXT &&
	    isatty(STDOUT_FILENO)) {
		tty = alt = 1;
		fputs("\033[?1049h\033[?25l\033[H\033[2J", stdout);
		fflush(stdout);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (pthread_create(&th, NULL, live_reader, &lv) != 0) {
		cli_errorf("cannot start the reader thread");
		bess_reader_close(lv.r);
		bess_plot_data_free(lv.d);
		cli_close_in(in);
		return EXIT_DATA;
	}
	for (;;) {
		double now_m, now, last_x, stale_s;
		int dirty, eof, failed, stale, redraw, tick;
		char *script = NULL;
		size_t slen = 0;

		pthread_mutex_lock(&lv.mu);
		for (;;) {
			struct timespec ts;
			double wait, due;

			now_m = mono_s();
			if (lv.eof || stop_sig)
				break;
			due = last_tick + c->every_s;
			if (lv.dirty && last_draw + c->every_s < due)
				due = last_draw + c->every_s;
			if (now_m >= due)
				break;
			wait = due - now_m;
			if (wait > 1)
				wait = 1;	/* a signal is seen within a second */
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += (time_t)wait;
			ts.tv_nsec += (long)((wait - floor(wait)) * 1e9);
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&lv.cv, &lv.mu, &ts);
		}
		dirty = lv.dirty;
		eof = lv.eof;
		failed = lv.failed;
		last_x = bess_plot_data_last(lv.d);
		now = c->data_clock ? last_x : wall_s();
		stale_s = c->stale_s;
		if (stale_s < 0) {	/* three of the stream's steps, at least a minute */
			stale_s = 3 * bess_plot_data_step(lv.d);
			if (!(stale_s >= 60))
				stale_s = 60;
		}
		stale = bess_plot_status(lv.d, now, c->data_clock ? 0 : stale_s, c->po.currency, status);
		/* a chart when records came (at most every --every), or when the strip drawn in it changes */
		redraw = (dirty && (now_m >= last_draw + c->every_s || eof || stop_sig)) ||
		    (stale != was_stale && c->po.fmt != BESS_PLOT_HTML && c->po.fmt != BESS_PLOT_TEXT &&
		    bess_plot_data_count(lv.d) > 0);
		tick = now_m >= last_tick + c->every_s || redraw;
		if (redraw) {
			bess_plot_data_status(lv.d, c->po.fmt == BESS_PLOT_HTML || c->po.fmt == BESS_PLOT_TEXT ?
			    NULL : status, stale);
			if (bess_plot_data_count(lv.d) > 0)
				script = bess_plot_render(lv.d, &slen, &err);
			else
				script = NULL;
			if (script == NULL && bess_plot_data_count(lv.d) > 0) {
				char buf[1024];

				cli_warnf("%s", bess_err_str(&err, buf, sizeof(buf)));
			}
			lv.dirty = 0;
		}
		pthread_mutex_unlock(&lv.mu);
		if (script) {
			struct buf gerr = { 0 };
			int g = run_gnuplot(gnuplot, script, slen, &next, &gerr);

			if (g == 0 && next.n > 0) {
				struct buf t = chart;

				show_gnuplot_stderr(&gerr);
				chart = next;
				next = t;
				next.n = 0;
				have_chart = 1;
			} else {
				if (g > 0) {
					cli_warnf("gnuplot failed (exit status %d)%s keeping the last chart", g,
					    gerr.n ? "; its messages follow;" : ";");
					show_gnuplot_stderr(&gerr);
				} else if (g == 0)
					cli_warnf("gnuplot wrote no chart; keeping the last chart");
				next.n = 0;
			}
			free(gerr.p);
			free(script);
			last_draw = now_m;
		}
		if (tick) {
			last_tick = now_m;
			was_stale = stale;
			if (have_chart && live_write(c, &chart, status, stale, title, tty) != 0 &&
			    c->output == NULL) {
				rc = EXIT_DATA;	/* the terminal or pipe went away */
				break;
			}
			if (!have_chart && tty)
				term_frame(status, stale, "", 0, tty);
		}
		if (eof || stop_sig) {
			if (failed)
				rc = EXIT_DATA;
			break;
		}
	}
	if (alt) {
		fputs("\033[?25h\033[?1049l", stdout);
		if (have_chart && !stop_sig)	/* the final chart stays on the screen */
			term_frame(status, 0, chart.p, chart.n, 0);
		fflush(stdout);
	}
	if (stop_sig) {
		/* the reader may be blocked in read(2): it goes with the process */
		pthread_detach(th);
	} else
		pthread_join(th, NULL);
	if (!have_chart && !stop_sig && rc == 0) {
		if (bess_plot_data_read_total(lv.d) == 0)
			cli_errorf("%s: no records to plot", name);
		rc = EXIT_DATA;
	}
	if (!stop_sig) {
		bess_reader_close(lv.r);
		bess_plot_data_free(lv.d);
		cli_close_in(in);
	}
	free(chart.p);
	free(next.p);
	return rc;
}

int
main(int argc, char **argv)
{
	struct conf c;
	struct bess_err err;
	struct bess_plot_data *d = NULL;
	struct bess_reader_opts ro;
	struct buf gout = { 0 };
	char *script = NULL, *gnuplot = NULL, *page = NULL;
	size_t slen = 0, plen;
	int first, status = 0;

	cli_init("bess-plot");
	memset(&c, 0, sizeof(c));
	bess_plot_opts_init(&c.po);
	c.every_s = 5;
	c.window_s = 86400;
	c.stale_s = -1;
	if (bess_opt_load(opts, "bess-plot", argc, argv, set, &c, &first, &err) != 0)
		cli_usage_err(&err);
	c.tz = cli_tz_load(c.tzname);
	c.po.tz = c.tz;
	c.po.columns = (const char *const *)c.columns;
	if (c.follow && c.script)
		cli_usage("--follow draws charts: --script writes one script");
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
	if (c.follow && c.po.fmt == BESS_PLOT_HTML && (c.output == NULL || strcmp(c.output, "-") == 0))
		cli_usage("--follow -f html needs -o FILE (the page refreshes itself from the file)");
	if (c.tariff_path) {
		if ((c.tariff = bess_tariff_load(c.tariff_path, &err)) == NULL) {
			cli_error(&err);
			conf_free(&c);
			return cli_finish(EXIT_DATA);
		}
		c.po.tariff = c.tariff;
	}
	if (!c.script && (gnuplot = find_gnuplot()) == NULL) {
		cli_errorf("gnuplot not found on PATH: install it (Debian: apt-get install gnuplot-nox), "
		    "or write the script with --script");
		conf_free(&c);
		return cli_finish(EXIT_DATA);
	}
	if (c.po.title == NULL && (c.follow || c.po.fmt == BESS_PLOT_HTML)) {
		/* a page is titled like its chart: the input's name, as the tab and above the panels */
		static char deftitle[300];
		const char *in = argc > first && strcmp(argv[first], "-") != 0 ? argv[first] : NULL;
		const char *base = in && strrchr(in, '/') ? strrchr(in, '/') + 1 : in;

		snprintf(deftitle, sizeof(deftitle), "%s%s", base && *base ? base : "bess",
		    c.follow ? " (live)" : argc - first > 1 ? " and more" : "");
		c.po.title = deftitle;
	}
	if (c.follow) {
		if (c.po.fmt == BESS_PLOT_TEXT && c.po.width == 0 && isatty(STDOUT_FILENO) &&
		    (c.output == NULL || strcmp(c.output, "-") == 0)) {
			struct winsize ws;

			if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20 && ws.ws_row >= 12) {
				c.po.width = ws.ws_col;
				c.po.height = ws.ws_row - 2;	/* the status strip, and the cursor's line */
			}
		}
		status = run_follow(&c, gnuplot, argc, argv, first);
		goto done;
	}
	if ((d = bess_plot_data_new(&c.po, 0, &err)) == NULL) {
		cli_error(&err);
		status = EXIT_DATA;
		goto done;
	}
	/* a bess record stream: the header is its first line (no preamble guessed) */
	memset(&ro, 0, sizeof(ro));
	if (cli_each_input(&ro, argc, argv, first, into_data, d) != 0) {
		status = EXIT_DATA;
		goto done;
	}
	if (c.script) {
		if ((script = bess_plot_render(d, &slen, &err)) == NULL) {
			cli_error(&err);
			status = EXIT_DATA;
		} else if (write_out(c.output, script, slen) != 0)
			status = EXIT_DATA;
		goto done;
	}
	if (draw(gnuplot, d, &gout) != 0) {
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
	free(script);
	free(gnuplot);
	bess_plot_data_free(d);
	conf_free(&c);
	return cli_finish(status);
}
