/* test_replay.c: when each record of a replay is due — speed, interval, gap cap, equal times, disorder — worked out by hand; a replay writing the records through. */
#include <stdio.h>
#include <string.h>

#include "bess_replay.h"
#include "tap.h"

#define S	1000000LL	/* one second in us */

/* The due times (us) of records at times t[0..n) (seconds) under o; -1 for a refused one. */
static void
dues(const struct bess_pace_opts *o, const double *t, int n, long long *out)
{
	struct bess_pace p;
	int i;

	bess_pace_init(&p, o);
	for (i = 0; i < n; i++)
		if (bess_pace_due(&p, (bess_time_t)(t[i] * S), &out[i]) != 0)
			out[i] = -1;
}

int
main(void)
{
	static const double t[] = { 100, 101, 101, 103.5, 3700 };
	struct bess_pace_opts o = { 1, 0, 0 };
	long long d[5];

	/* real time: spacings 1, 0, 2.5, 3596.5 s */
	dues(&o, t, 5, d);
	is_int(d[0], 0, "the first record at once");
	is_int(d[1], 1 * S, "1 s later");
	is_int(d[2], 1 * S, "an equal time goes out with it");
	is_int(d[3], 3500000, "2.5 s after that: 3.5 s");
	is_int(d[4], 3600 * S, "3596.5 s after that: 3600 s");

	/* x10: every spacing / 10 */
	o.speed = 10;
	dues(&o, t, 5, d);
	is_int(d[1], 100000, "x10: 0.1 s");
	is_int(d[3], 350000, "x10: 0.35 s");
	is_int(d[4], 360 * S, "x10: 360 s");

	/* a gap cap of 60 s, x10: 1, 0, 2.5, min(3596.5, 60) -> 6.35 s */
	o.max_gap_us = 60 * S;
	dues(&o, t, 5, d);
	is_int(d[4], 6350000, "--max-gap 60s x10: the hour waits 6 s");

	/* one timestamp every 2 s: 0, 2, 2, 4, 6 */
	o.speed = 1;
	o.max_gap_us = 0;
	o.interval_us = 2 * S;
	dues(&o, t, 5, d);
	is_int(d[2], 2 * S, "interval: equal times together");
	is_int(d[4], 6 * S, "interval: the fourth distinct time at 6 s");

	/* half speed, and disorder */
	{
		static const double u[] = { 10, 12, 11 };
		struct bess_pace_opts h = { 0.5, 0, 0 };

		dues(&h, u, 3, d);
		is_int(d[1], 4 * S, "x0.5: 2 s take 4 s");
		is_int(d[2], -1, "a time before the previous one is refused");
	}

	/* a replay at a million times real time: the records through as they were, then disorder refused */
	{
		static const char csv[] = "ts,p\n2026-01-05T00:00:00Z,1\n2026-01-05T00:00:01Z,2\n"
		    "2026-01-05T00:00:00Z,3\n";
		struct bess_pace_opts fast = { 1e6, 0, 0 };
		struct bess_replay rp;
		struct bess_reader *r;
		struct bess_err err;
		char got[256] = "";
		FILE *in = fmemopen((void *)csv, strlen(csv), "r"), *out = tmpfile();
		size_t n;

		bess_replay_init(&rp, &fast, "ts", 0, BESS_FMT_AUTO, out);
		r = bess_reader_open(in, "in.csv", NULL, &err);
		is_int(bess_replay_input(&rp, r, "in.csv", &err), -1, "replay: the third record goes back in time");
		is_str(err.msg, "time 2026-01-05T00:00:00Z is before the previous record's; a replay needs "
		    "time order (bess-ingest --sort)", "replay: ... said so");
		ok(strcmp(err.file, "in.csv") == 0 && err.line == 4, "replay: ... at in.csv:4");
		bess_reader_close(r);
		fflush(out);
		rewind(out);
		n = fread(got, 1, sizeof(got) - 1, out);
		got[n] = '\0';
		is_str(got, "ts,p\n2026-01-05T00:00:00Z,1\n2026-01-05T00:00:01Z,2\n",
		    "replay: the two records before it written as read (CSV in, CSV out)");
		bess_replay_free(&rp);
		fclose(in);
		fclose(out);
	}
	return done();
}
