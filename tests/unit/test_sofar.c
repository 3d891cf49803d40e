/* test_sofar.c: the bills so far — a bill's kWh, cost and paid export, billed demand per period (steps and window means), ratchet floors with lookbacks and months, dropped bills — against sums worked out by hand in the comments. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bess_sofar.h"
#include "fixture.h"
#include "tap.h"

static struct bess_sofar_step
step(const char *bill, int month, int period, double price)
{
	struct bess_sofar_step s;

	memset(&s, 0, sizeof(s));
	s.bill_label = bill;
	s.bill_month = month;
	s.period = period;
	s.price = price;
	s.export_price = 0.05;
	s.export_ok = 1;
	s.export_cap_kwh = 3;
	s.dt_h = 1;
	s.win_n = 1;
	s.win_last = 1;
	return s;
}

int
main(void)
{
	struct bess_sofar g;
	struct bess_sofar_step s;
	struct bess_rates w;
	char label[2][16] = { "2025-02", "2025-03" };
	int month[2] = { 2, 3 }, lb[2] = { 0, 0 };
	unsigned lm[2] = { 0xfff, 0xfff };
	double frac[2] = { 0.8, 0.5 }, billed[2], floor_kw[4], peak0[2] = { 3, 50 };
	const struct bess_bill *b;

	ok(bess_sofar_init(&g, 2, NULL, 0) == 0, "init");
	/* bill 2025-01: 10 kW in period 0 at 0.1, 20 kW in period 1 at 0.2, 5 kW outside at 0.3
	   with 4 kW exported (a cap of 3 kWh at 0.05): 35 kWh, 1 + 4 + 1.5 = 6.5, 3 kWh paid, 0.15 */
	s = step("2025-01", 1, 0, 0.1);
	bess_sofar_step(&g, &s, 10, 0);
	s = step("2025-01", 1, 1, 0.2);
	bess_sofar_step(&g, &s, 20, 0);
	s = step("2025-01", 1, -1, 0.3);
	bess_sofar_step(&g, &s, 5, 4);
	near(g.now.import_kwh, 35, 1e-12, "January: kWh");
	near(g.now.energy_cost, 6.5, 1e-12, "January: energy cost");
	near(g.now.paid_export_kwh, 3, 1e-12, "January: export paid up to the cap");
	near(g.now.export_revenue, 0.15, 1e-12, "January: export revenue");
	near(g.billed_kw[0], 10, 1e-12, "January: period 0 billed");
	near(g.billed_kw[1], 20, 1e-12, "January: period 1 billed");
	/* bill 2025-02: 7 kW in period 0 at 0.1; the bill so far starts again */
	s = step("2025-02", 2, 0, 0.1);
	bess_sofar_step(&g, &s, 7, 0);
	near(g.now.import_kwh, 7, 1e-12, "February: kWh (a new bill)");
	near(g.now.energy_cost, 0.7, 1e-12, "February: energy cost");
	is_int((int)g.nbill, 2, "two bills");

	/* a plan from February into March, ratchets 80 % and 50 %, every earlier bill */
	memset(&w, 0, sizeof(w));
	w.nbill = 2;
	w.bill_label = label;
	w.bill_month = month;
	w.ratchet_frac = frac;
	w.lookback_bills = lb;
	w.lookback_months = lm;
	b = bess_sofar_window(&g, "2025-02", &w, billed, floor_kw);
	ok(b == &g.now, "a plan in February has February so far");
	near(billed[0], 7, 1e-12, "February billed so far, period 0");
	near(billed[1], 0, 1e-12, "February billed so far, period 1 (no step yet)");
	near(floor_kw[0], 8, 1e-12, "February's floor, period 0: 0.8 x 10 (January)");
	near(floor_kw[1], 10, 1e-12, "February's floor, period 1: 0.5 x 20");
	near(floor_kw[2], 8, 1e-12, "March's floor, period 0: January's (February's own is the model's)");
	/* lookback = 1: March looks at February only, which is the plan's own */
	lb[0] = lb[1] = 1;
	bess_sofar_window(&g, "2025-02", &w, billed, floor_kw);
	near(floor_kw[0], 8, 1e-12, "lookback 1: February's floor from January");
	near(floor_kw[2], 0, 1e-12, "lookback 1: March's floor from February is the model's");
	/* a plan that starts in March: nothing so far; floors from January and February */
	b = bess_sofar_window(&g, "2025-03", &w, billed, floor_kw);
	ok(b == NULL, "a plan in a new bill has nothing so far");
	near(billed[0], 0, 1e-12, "March billed so far");
	near(floor_kw[0], 0.8 * 7, 1e-12, "lookback 1: March's floor, period 0: 0.8 x 7 (February)");
	near(floor_kw[1], 0, 1e-12, "lookback 1: March's floor, period 1: February had no step in it");
	lb[0] = lb[1] = 0;
	lm[0] = 1u << 0;	/* only January's bills */
	bess_sofar_window(&g, "2025-03", &w, billed, floor_kw);
	near(floor_kw[0], 8, 1e-12, "months jan: March's floor from January only");

	/* a 2-step demand window in February, period 1: 4 then 8 kW, billed at their mean 6 */
	s = step("2025-02", 2, 1, 0.1);
	s.win_n = 2;
	s.win_last = 0;
	bess_sofar_step(&g, &s, 4, 0);
	near(g.wsum_kw, 4, 1e-12, "a window begun: its import so far");
	near(g.billed_kw[2 + 1], 0, 1e-12, "a window not complete is not billed");
	s.win_last = 1;
	bess_sofar_step(&g, &s, 8, 0);
	near(g.billed_kw[2 + 1], 6, 1e-12, "the window's mean billed");
	near(g.wsum_kw, 0, 1e-12, "and the next window starts empty");
	bess_sofar_free(&g);

	/* keep 2: a third bill drops the first, whose index still counts */
	ok(bess_sofar_init(&g, 2, peak0, 2) == 0, "init with peaks before the data");
	b = bess_sofar_window(&g, "2025-01", &w, billed, floor_kw);
	near(billed[1], 50, 1e-12, "before any step: the peak before the data");
	s = step("2025-01", 1, 0, 0.1);
	bess_sofar_step(&g, &s, 1, 0);
	near(g.billed_kw[0], 3, 1e-12, "the first bill starts from the peak before the data");
	s = step("2025-02", 2, 0, 0.1);
	bess_sofar_step(&g, &s, 1, 0);
	s = step("2025-03", 3, 0, 0.1);
	bess_sofar_step(&g, &s, 1, 0);
	ok(g.nbill == 2 && g.base == 1 && strcmp(g.label[0], "2025-02") == 0, "two bills kept, from February");
	bess_sofar_free(&g);
	return done();
}
