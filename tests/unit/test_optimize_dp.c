/*
 * test_optimize_dp.c: bess-optimize against an independent dynamic program
 * over a fine SOC grid, on random small cases. It runs the command (it does
 * not call the LP code) and compares objectives.
 *
 * The DP: SOC levels k*h, h = 0.0025 kWh, on a 5 kWh battery (2001
 * levels); hourly steps; a decision is the next level. A change of dE kWh
 * means charging dE/eta_c kW or discharging -dE*eta_d kW; the grid takes
 * the rest of load - solar; import is paid at price, export at
 * export_price (both >= 0 here, so simultaneous flows and curtailment never
 * pay and a net decision per step loses nothing), discharge at the cycle cost.
 *
 * Why the tolerance: the DP only visits grid levels, so its optimum is a
 * feasible schedule and DP >= LP (up to solver accuracy). Conversely, take
 * the LP's optimal SOC path and round every level down to the grid. The
 * power limits are whole numbers of levels (2 kW * 0.9 = 720 h charging,
 * 2 kW / 0.8 = 1000 h discharging), so a move of at most K levels stays at
 * most K levels after rounding; the SOC bounds and the start are on the
 * grid, and the end rule (end >= start) survives rounding down. Each step's
 * energy change moves by less than h, and a step's cost changes by at most
 * L_t = (max(price, export_price) + cycle_cost) / eta_c per kWh of change.
 * So DP <= LP + h * sum_t L_t, the tolerance used below (about 0.005 here,
 * against objectives of several units and per-step costs of ~0.1-1).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

#define N 6			/* steps */
#define G 2000			/* grid intervals */
#define CAP 5.0			/* kWh */
#define HSTEP (CAP / G)		/* kWh per level */
#define PW 2.0			/* kW both ways */
#define ETA_C 0.9
#define ETA_D 0.8
#define KC 720			/* PW * ETA_C / HSTEP */
#define KD 1000			/* PW / ETA_D / HSTEP */

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;

static double
uniform(double lo, double hi)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return lo + (hi - lo) * (double)(rng >> 11) / 9007199254740992.0;
}

struct kase {
	double price[N], xprice[N], load[N], solar[N];
	double cyc;		/* cycle cost per kWh discharged */
	int init;		/* initial level */
};

/* Cost of step t when the SOC changes by de kWh. */
static double
step_cost(const struct kase *k, int t, double de)
{
	double c = de > 0 ? de / ETA_C : 0, d = de < 0 ? -de * ETA_D : 0;
	double g = k->load[t] - k->solar[t] + c - d;

	return (g >= 0 ? k->price[t] * g : k->xprice[t] * g) + k->cyc * d;
}

static double
dp(const struct kase *k)
{
	static double v[G + 1], nv[G + 1];
	int t, i, j;

	for (j = 0; j <= G; j++)
		v[j] = j >= k->init ? 0 : INFINITY;
	for (t = N - 1; t >= 0; t--) {
		for (i = 0; i <= G; i++) {
			double best = INFINITY;
			int lo = i - KD < 0 ? 0 : i - KD, hi = i + KC > G ? G : i + KC;

			for (j = lo; j <= hi; j++) {
				double z;

				if (v[j] == INFINITY)
					continue;
				z = step_cost(k, t, (j - i) * HSTEP) + v[j];
				if (z < best)
					best = z;
			}
			nv[i] = best;
		}
		memcpy(v, nv, sizeof(v));
	}
	return v[k->init];
}

/* Run bess-optimize on case k; the summary's objective, NAN on failure. */
static double
lp(const struct kase *k, const char *dir, const char *method)
{
	char csv[512], sum[512], cmd[2048], buf[8192];
	FILE *fp;
	int t;
	double obj = NAN;
	char *p;

	snprintf(csv, sizeof(csv), "%s/in.csv", dir);
	snprintf(sum, sizeof(sum), "%s/summary.json", dir);
	if ((fp = fopen(csv, "w")) == NULL)
		return NAN;
	fprintf(fp, "ts,price,export_price,load_kw,solar_kw\n");
	for (t = 0; t < N; t++)
		fprintf(fp, "2025-03-03T%02d:00:00Z,%.17g,%.17g,%.17g,%.17g\n", t, k->price[t],
		    k->xprice[t], k->load[t], k->solar[t]);
	fclose(fp);
	snprintf(cmd, sizeof(cmd), "bess-optimize --capacity %gkWh --power %gkW "
	    "--charge-efficiency %g --discharge-efficiency %g --soc-init %.17gkWh "
	    "--cycle-cost %.17g --method %s --summary %s %s >/dev/null",
	    CAP, PW, ETA_C, ETA_D, k->init * HSTEP, k->cyc, method, sum, csv);
	if (system(cmd) != 0)
		return NAN;
	if ((fp = fopen(sum, "r")) == NULL)
		return NAN;
	buf[fread(buf, 1, sizeof(buf) - 1, fp)] = '\0';
	fclose(fp);
	if ((p = strstr(buf, "\"objective\":")) != NULL)
		obj = strtod(p + 12, NULL);
	return obj;
}

int
main(void)
{
	char dir[] = "/tmp/bess-dp.XXXXXX";
	int i, t;

	if (mkdtemp(dir) == NULL) {
		printf("1..0 # SKIP no temporary folder\n");
		return 0;
	}
	for (i = 0; i < 12; i++) {
		struct kase k;
		double zdp, zlp, tol = 0;
		const char *method = i % 2 ? "interior" : "simplex";

		for (t = 0; t < N; t++) {
			k.price[t] = uniform(0.05, 0.5);
			k.xprice[t] = i % 3 == 0 ? k.price[t] : k.price[t] * uniform(0.3, 1);
			k.load[t] = uniform(0, 3);
			k.solar[t] = t >= 2 && t <= 4 ? uniform(0, 4) : 0;
		}
		k.cyc = i % 4 == 1 ? 0.02 : 0;
		k.init = (int)uniform(0, G + 1);
		if (k.init > G)
			k.init = G;
		for (t = 0; t < N; t++)
			tol += HSTEP * (fmax(k.price[t], k.xprice[t]) + k.cyc) / ETA_C;
		zdp = dp(&k);
		zlp = lp(&k, dir, method);
		ok(!isnan(zlp) && zlp <= zdp + 1e-6 && zdp - zlp <= tol,
		    "case %d (%s): LP %.9g, DP %.9g, DP - LP = %.2g within [0, %.2g]",
		    i + 1, method, zlp, zdp, zdp - zlp, tol);
	}
	{
		char path[600];

		snprintf(path, sizeof(path), "%s/in.csv", dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/summary.json", dir);
		unlink(path);
		rmdir(dir);
	}
	return done();
}
