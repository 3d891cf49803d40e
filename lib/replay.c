/* replay.c: the pacing of a recorded stream (bess-replay): due times from timestamps, speed, interval and gap cap. */
#include <math.h>
#include <string.h>

#include "bess_replay.h"

void
bess_pace_init(struct bess_pace *p, const struct bess_pace_opts *o)
{
	memset(p, 0, sizeof(*p));
	p->o = *o;
	if (!(p->o.speed > 0))
		p->o.speed = 1;
}

int
bess_pace_due(struct bess_pace *p, bess_time_t t, long long *due_us)
{
	long long dt;

	if (!p->started) {
		p->started = 1;
		p->prev = t;
		p->due_us = 0;
		*due_us = 0;
		return 0;
	}
	if (t < p->prev)
		return -1;
	dt = t - p->prev;
	p->prev = t;
	if (dt > 0) {
		if (p->o.interval_us > 0)
			p->due_us += p->o.interval_us;
		else {
			if (p->o.max_gap_us > 0 && dt > p->o.max_gap_us)
				dt = p->o.max_gap_us;
			double w = (double)dt / p->o.speed;

			/* a wait past the 64-bit clock (a tiny speed) is forever, not a wrap to now */
			p->due_us = w >= 4e18 - (double)p->due_us ? (long long)4e18 : p->due_us + llround(w);
		}
	}
	*due_us = p->due_us;
	return 0;
}
