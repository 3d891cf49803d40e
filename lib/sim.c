/* sim.c: the battery simulator — power and SOC limits, the grid connection, clips counted by kind. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_sim.h"

static const char *const clip_names[BESS_CLIP_KINDS] = {
	"charge_power", "discharge_power", "soc_max", "soc_min", "import_limit", "export_limit",
	"missing"
};

const char *
bess_clip_name(int k)
{
	return k >= 0 && k < BESS_CLIP_KINDS ? clip_names[k] : "?";
}

char *
bess_clip_format(unsigned clip, char *buf, size_t len)
{
	size_t used = 0;
	int k;

	if (len)
		buf[0] = '\0';
	for (k = 0; k < BESS_CLIP_KINDS; k++) {
		int w;

		if (!(clip & (1u << k)))
			continue;
		w = snprintf(buf + used, len > used ? len - used : 0, "%s%s", used ? "+" : "", clip_names[k]);
		if (w > 0)
			used += (size_t)w;
	}
	return buf;
}

void
bess_sim_init(struct bess_sim *s, const struct bess_battery *b, double dt_h, double soc_kwh)
{
	memset(s, 0, sizeof(*s));
	s->b = *b;
	s->dt_h = dt_h;
	s->keep = bess_battery_keep(b, dt_h);
	s->soc_kwh = soc_kwh;
}

/* Cut *v by cut (>= 0) but not below 0; flag the clip unless the cut is noise against scale. */
static void
cut(double *v, double amount, double scale, unsigned bit, unsigned *clip)
{
	double before = *v;

	if (!(amount > 0))
		return;
	*v = before - amount > 0 ? before - amount : 0;
	if (before - *v > 1e-6 * (scale > 1 ? scale : 1))
		*clip |= bit;
}

/*
 * 1-2. One battery's own limits on the command: power (and, with ngc, the
 * no-grid-charge rule), then SOC; *c, *d, *u receive the flows left.
 */
static void
sim_limits(const struct bess_sim *s, const struct bess_sim_cmd *cmd, const struct bess_sim_site *site,
    int ngc, double *cp, double *dp, double *up, unsigned *clip)
{
	const struct bess_battery *b = &s->b;
	double dt = s->dt_h, c = 0, d = 0, u = 0, start = s->soc_kwh * s->keep, soc;
	double solar = site->solar_kw > 0 ? site->solar_kw : 0;
	double cmax = b->charge_kw > 1 ? b->charge_kw : 1, dmax = b->discharge_kw > 1 ? b->discharge_kw : 1;

	if (cmd->missing) {
		*clip |= BESS_CLIP_MISSING;
	} else {
		c = cmd->charge_kw > 0 ? cmd->charge_kw : 0;
		d = cmd->discharge_kw > 0 ? cmd->discharge_kw : 0;
		u = cmd->curtail_kw > 0 ? fmin(cmd->curtail_kw, solar) : 0;
	}
	/* 1. power limits */
	cut(&c, c - b->charge_kw, cmax, BESS_CLIP_CHARGE_POWER, clip);
	cut(&d, d - b->discharge_kw, dmax, BESS_CLIP_DISCHARGE_POWER, clip);
	if (ngc && site->no_grid_charge)	/* only the solar the load leaves over may charge */
		cut(&c, c - fmax(0, solar - site->load_kw), cmax, BESS_CLIP_IMPORT_LIMIT, clip);
	/* 2. SOC limits: only movement further out of soc_min .. soc_max is cut */
	soc = bess_battery_soc_step(b, dt, start, c, d);
	if (soc > b->soc_max_kwh && soc > start)
		cut(&c, bess_battery_charge_kw(b, dt, soc - fmax(b->soc_max_kwh, start)), cmax, BESS_CLIP_SOC_MAX, clip);
	soc = bess_battery_soc_step(b, dt, start, c, d);
	if (soc < b->soc_min_kwh && soc < start)
		cut(&d, bess_battery_discharge_kw(b, dt, fmin(b->soc_min_kwh, start) - soc), dmax, BESS_CLIP_SOC_MIN, clip);
	*cp = c;
	*dp = d;
	*up = u;
}

/*
 * 3. The grid: the site's battery flows c, d (a fleet's sums) and
 * curtailment u against the connection's limits (cuts flagged against
 * cmax, dmax). Returns the net grid flow, kW; *over: the import is above
 * its limit even so.
 */
static double
sim_grid(const struct bess_sim_site *site, double *cp, double *dp, double *up, double cmax, double dmax,
    unsigned *clip, int *over)
{
	double c = *cp, d = *dp, u = *up, g;
	double solar = site->solar_kw > 0 ? site->solar_kw : 0;
	double el = site->export_limit_kw > 0 ? site->export_limit_kw : 0;
	double il = site->import_limit_kw;

	g = site->load_kw - solar + c - d + u;
	if (g < 0 && site->export_price < 0 && u < solar) {	/* do not pay to export solar */
		double more = fmin(solar - u, -g);

		u += more;
		g += more;
	}
	if (g < -el) {
		double more = fmin(solar - u, -el - g);

		u += more;
		g += more;
		if (g < -el) {
			double before = d;

			cut(&d, -el - g, dmax, BESS_CLIP_EXPORT_LIMIT, clip);
			g += before - d;
		}
	}
	if (g > il) {
		double before = c;

		cut(&c, g - il, cmax, BESS_CLIP_IMPORT_LIMIT, clip);
		g -= before - c;
		if (g > il && u > 0) {
			double back = fmin(u, g - il);

			u -= back;
			g -= back;
		}
		if (g > il + 1e-9 * (il > 1 ? il : 1))
			*over = 1;
	}
	*cp = c;
	*dp = d;
	*up = u;
	return g;
}

/* Count a settled step's clips into s. */
static void
sim_count(struct bess_sim *s, unsigned clip, int over)
{
	s->steps++;
	if (clip) {
		int k;

		s->clipped_steps++;
		for (k = 0; k < BESS_CLIP_KINDS; k++)
			if (clip & (1u << k))
				s->clips[k]++;
	}
	if (over)
		s->over_import_steps++;
}

void
bess_sim_step(struct bess_sim *s, const struct bess_sim_cmd *cmd,
    const struct bess_sim_site *site, struct bess_sim_out *o)
{
	const struct bess_battery *b = &s->b;
	double c, d, u, soc, g;
	double cmax = b->charge_kw > 1 ? b->charge_kw : 1, dmax = b->discharge_kw > 1 ? b->discharge_kw : 1;
	unsigned clip = 0;

	memset(o, 0, sizeof(*o));
	sim_limits(s, cmd, site, 1, &c, &d, &u, &clip);
	g = sim_grid(site, &c, &d, &u, cmax, dmax, &clip, &o->over_import);
	soc = bess_battery_soc_step(b, s->dt_h, s->soc_kwh * s->keep, c, d);
	s->soc_kwh = soc;
	o->charge_kw = c;
	o->discharge_kw = d;
	o->curtail_kw = u;
	o->soc_kwh = soc;
	o->import_kw = g > 0 ? g : 0;
	o->export_kw = g < 0 ? -g : 0;
	o->clip = clip;
	sim_count(s, clip, o->over_import);
}

void
bess_fleet_sim_init(struct bess_fleet_sim *fs, const struct bess_battery *b, size_t nb, double dt_h)
{
	size_t i;

	memset(fs, 0, sizeof(*fs));
	fs->nb = nb;
	for (i = 0; i < nb; i++) {
		bess_sim_init(&fs->bat[i], &b[i], dt_h, b[i].soc_init_kwh);
		fs->site.soc_kwh += b[i].soc_init_kwh;
	}
	fs->site.dt_h = dt_h;
	fs->site.keep = 1;
}

/* Take amount (>= 0) off the flows x[0..nb) in proportion to them; flag bit where a cut is not noise. */
static void
share_cut(double *x, size_t nb, double amount, const struct bess_sim *s, int charge, unsigned bit,
    unsigned *clip)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < nb; i++)
		sum += x[i];
	if (!(amount > 0) || !(sum > 0))
		return;
	for (i = 0; i < nb; i++) {
		double lim = charge ? s[i].b.charge_kw : s[i].b.discharge_kw;

		cut(&x[i], amount >= sum ? x[i] : amount * x[i] / sum, lim > 1 ? lim : 1, bit, &clip[i]);
	}
}

void
bess_fleet_sim_step(struct bess_fleet_sim *fs, const struct bess_sim_cmd *cmd, double curtail_kw,
    const struct bess_sim_site *site, struct bess_sim_out *o, struct bess_sim_out *sum)
{
	double c[BESS_FLEET_MAX], d[BESS_FLEET_MAX], u, csum = 0, dsum = 0, cmax = 0, dmax = 0, g, c0, d0;
	double solar = site->solar_kw > 0 ? site->solar_kw : 0;
	unsigned clip[BESS_FLEET_MAX], all = 0, gclip = 0;
	size_t i, nb = fs->nb;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < nb; i++) {
		clip[i] = 0;
		sim_limits(&fs->bat[i], &cmd[i], site, 0, &c[i], &d[i], &u, &clip[i]);
		csum += c[i];
		cmax += fmax(fs->bat[i].b.charge_kw, 1);
		dmax += fmax(fs->bat[i].b.discharge_kw, 1);
	}
	if (site->no_grid_charge)	/* the solar the load leaves over, shared */
		share_cut(c, nb, csum - fmax(0, solar - site->load_kw), fs->bat, 1, BESS_CLIP_IMPORT_LIMIT,
		    clip);
	for (csum = 0, i = 0; i < nb; i++) {
		csum += c[i];
		dsum += d[i];
	}
	u = curtail_kw > 0 ? fmin(curtail_kw, solar) : 0;
	c0 = csum;
	d0 = dsum;
	g = sim_grid(site, &csum, &dsum, &u, cmax, dmax, &gclip, &sum->over_import);
	share_cut(c, nb, c0 - csum, fs->bat, 1, BESS_CLIP_IMPORT_LIMIT, clip);
	share_cut(d, nb, d0 - dsum, fs->bat, 0, BESS_CLIP_EXPORT_LIMIT, clip);
	fs->site.soc_kwh = 0;
	for (i = 0; i < nb; i++) {
		struct bess_sim *s = &fs->bat[i];

		memset(&o[i], 0, sizeof(o[i]));
		s->soc_kwh = bess_battery_soc_step(&s->b, s->dt_h, s->soc_kwh * s->keep, c[i], d[i]);
		o[i].charge_kw = c[i];
		o[i].discharge_kw = d[i];
		o[i].soc_kwh = s->soc_kwh;
		o[i].curtail_kw = u;
		o[i].import_kw = g > 0 ? g : 0;
		o[i].export_kw = g < 0 ? -g : 0;
		o[i].clip = clip[i];
		o[i].over_import = sum->over_import;
		sim_count(s, clip[i], 0);
		all |= clip[i];
		sum->charge_kw += c[i];
		sum->discharge_kw += d[i];
		fs->site.soc_kwh += s->soc_kwh;
	}
	sum->soc_kwh = fs->site.soc_kwh;
	sum->curtail_kw = u;
	sum->import_kw = g > 0 ? g : 0;
	sum->export_kw = g < 0 ? -g : 0;
	sum->clip = all;
	sim_count(&fs->site, sum->clip, sum->over_import);
}

int
bess_traj_init(struct bess_traj *t, size_t n)
{
	memset(t, 0, sizeof(*t));
	t->n = n;
	if ((t->command_kw = calloc(n + 1, sizeof(double))) == NULL ||
	    (t->charge_kw = calloc(n + 1, sizeof(double))) == NULL ||
	    (t->discharge_kw = calloc(n + 1, sizeof(double))) == NULL ||
	    (t->soc_kwh = calloc(n + 1, sizeof(double))) == NULL ||
	    (t->import_kw = calloc(n + 1, sizeof(double))) == NULL ||
	    (t->export_kw = calloc(n + 1, sizeof(double))) == NULL ||
	    (t->curtail_kw = calloc(n + 1, sizeof(double))) == NULL ||
	    (t->clip = calloc(n + 1, sizeof(unsigned))) == NULL) {
		bess_traj_free(t);
		return -1;
	}
	return 0;
}

void
bess_traj_free(struct bess_traj *t)
{
	free(t->command_kw);
	free(t->charge_kw);
	free(t->discharge_kw);
	free(t->soc_kwh);
	free(t->import_kw);
	free(t->export_kw);
	free(t->curtail_kw);
	free(t->clip);
	memset(t, 0, sizeof(*t));
}

void
bess_traj_set(struct bess_traj *t, size_t i, const struct bess_sim_cmd *cmd,
    const struct bess_sim_out *o)
{
	t->command_kw[i] = cmd->missing ? NAN : bess_battery_kw(cmd->charge_kw, cmd->discharge_kw);
	t->charge_kw[i] = o->charge_kw;
	t->discharge_kw[i] = o->discharge_kw;
	t->soc_kwh[i] = o->soc_kwh;
	t->import_kw[i] = o->import_kw;
	t->export_kw[i] = o->export_kw;
	t->curtail_kw[i] = o->curtail_kw;
	t->clip[i] = o->clip;
}

void
bess_sim_site_at(const struct bess_series *ser, const struct bess_rates *r,
    const struct bess_site *s, size_t i, struct bess_sim_site *out)
{
	out->load_kw = ser->load_kw ? ser->load_kw[i] : 0;
	out->solar_kw = ser->solar_kw ? ser->solar_kw[i] : 0;
	out->import_limit_kw = ser->import_limit_kw && !isnan(ser->import_limit_kw[i]) ?
	    ser->import_limit_kw[i] : s->import_limit_kw;
	out->export_limit_kw = ser->export_limit_kw && !isnan(ser->export_limit_kw[i]) ?
	    ser->export_limit_kw[i] : s->export_limit_kw;
	if (out->export_limit_kw > r->feed_in_limit_kw)
		out->export_limit_kw = r->feed_in_limit_kw;	/* the tariff's feed-in limit */
	if (!r->export_ok)
		out->export_limit_kw = 0;
	out->export_price = r->export_ok ? r->export_price[i] : 0;
	out->no_grid_charge = s->no_grid_charge;
}

void
bess_sim_run(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_series *ser, const struct bess_rates *r, double soc_init_kwh,
    const double *charge, const double *discharge, const double *curtail,
    struct bess_traj *t, struct bess_sim *sim)
{
	size_t i;

	bess_sim_init(sim, b, ser->dt_h, soc_init_kwh);
	for (i = 0; i < ser->n; i++) {
		struct bess_sim_cmd cmd;
		struct bess_sim_site site;
		struct bess_sim_out o;

		memset(&cmd, 0, sizeof(cmd));
		if (isnan(charge[i]) || isnan(discharge[i]))
			cmd.missing = 1;
		else {
			cmd.charge_kw = charge[i];
			cmd.discharge_kw = discharge[i];
		}
		cmd.curtail_kw = curtail && !isnan(curtail[i]) ? curtail[i] : 0;
		bess_sim_site_at(ser, r, s, i, &site);
		bess_sim_step(sim, &cmd, &site, &o);
		bess_traj_set(t, i, &cmd, &o);
	}
}
