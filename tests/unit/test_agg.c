/* test_agg.c: aggregation arithmetic on pieces of samples, each expectation worked out by hand in its comment. */
#include <math.h>

#include "bess_agg.h"
#include "fixture.h"
#include "tap.h"

#define MIN	(60 * 1000000LL)

/* The result of a, or NAN when the interval shows nothing. */
static double
res(const struct bess_acc *a, enum bess_agg f)
{
	double v;

	return bess_acc_result(a, f, &v) ? v : NAN;
}

int
main(void)
{
	struct bess_acc a;
	enum bess_agg f;
	long long t = 0;	/* 10:00 of some day, as the origin */

	/* names */
	ok(bess_agg_parse("twmean", &f) == 0 && f == BESS_AGG_TWMEAN, "parse twmean");
	ok(bess_agg_parse("rate", &f) == 0 && f == BESS_AGG_RATE, "parse rate");
	ok(bess_agg_parse("median", &f) != 0, "median is not a function");
	is_str(bess_agg_name(BESS_AGG_DELTA), "delta", "name of delta");

	/* defaults by canonical name */
	is_int(bess_agg_default("price"), BESS_AGG_TWMEAN, "price: time-weighted mean");
	is_int(bess_agg_default("export_price"), BESS_AGG_TWMEAN, "export_price: twmean");
	is_int(bess_agg_default("load_kw"), BESS_AGG_TWMEAN, "load_kw: twmean");
	is_int(bess_agg_default("voltage_v"), BESS_AGG_TWMEAN, "voltage_v: twmean");
	is_int(bess_agg_default("cell_avg_c"), BESS_AGG_TWMEAN, "cell_avg_c: twmean");
	/* a column's meaning: the highest cell's reading over an interval is its maximum */
	is_int(bess_agg_default("cell_max_c"), BESS_AGG_MAX, "cell_max_c: max");
	is_int(bess_agg_default("cell_max_v"), BESS_AGG_MAX, "cell_max_v: max");
	is_int(bess_agg_default("cell_min_v"), BESS_AGG_MIN, "cell_min_v: min");
	is_int(bess_agg_default("max_cell_temp_c"), BESS_AGG_MAX, "max_cell_temp_c: max");
	is_int(bess_agg_default("temp_max"), BESS_AGG_LAST, "no unit: text, whatever the word");
	is_int(bess_agg_default("maximal_kw"), BESS_AGG_TWMEAN, "'max' only as a whole word");
	is_int(bess_agg_default("max_import_kwh"), BESS_AGG_SUM, "energies still sum");
	is_int(bess_agg_default("ac_kva"), BESS_AGG_TWMEAN, "apparent power (kVA): twmean");
	is_int(bess_agg_default("ac_kvar"), BESS_AGG_TWMEAN, "reactive power (kvar): twmean");
	is_int(bess_agg_default("freq_hz"), BESS_AGG_TWMEAN, "frequency: twmean");
	ok(!bess_agg_is_text("ac_kva", BESS_AGG_TWMEAN, 0), "ac_kva is a number");
	is_int(bess_agg_default("grid_import_kwh"), BESS_AGG_SUM, "an energy sums");
	is_int(bess_agg_default("soc_kwh"), BESS_AGG_LAST, "soc_kwh: the last value");
	is_int(bess_agg_default("soc_pct"), BESS_AGG_LAST, "soc_pct: the last value");
	is_int(bess_agg_default("soh_pct"), BESS_AGG_LAST, "soh_pct: the last value");
	is_int(bess_agg_default("humidity_pct"), BESS_AGG_TWMEAN, "another percentage: twmean");
	is_int(bess_agg_default("throughput_ah"), BESS_AGG_SUM, "charge sums");
	is_int(bess_agg_default("cost"), BESS_AGG_SUM, "cost sums");
	is_int(bess_agg_default("fault_count"), BESS_AGG_SUM, "a count sums");
	is_int(bess_agg_default("state"), BESS_AGG_LAST, "anything else: last");
	ok(bess_agg_is_text("state", BESS_AGG_LAST, 0), "state is carried as text");
	ok(!bess_agg_is_text("soc_pct", BESS_AGG_LAST, 0), "soc_pct is a number");
	ok(!bess_agg_is_text("state", BESS_AGG_LAST, 1), "interpolated means numeric");
	ok(!bess_agg_fill_applies("price", BESS_AGG_TWMEAN), "prices always hold");
	ok(bess_agg_fill_applies("load_kw", BESS_AGG_TWMEAN), "a power may be interpolated");
	ok(bess_agg_fill_applies("soc_pct", BESS_AGG_LAST), "SOC may be interpolated");
	ok(!bess_agg_fill_applies("load_kwh", BESS_AGG_SUM), "an energy sum is not");
	ok(!bess_agg_fill_applies("state", BESS_AGG_LAST), "text is not");

	/*
	 * Time-weighted mean over irregular samples in [10:00, 10:15):
	 * 2 from 10:00 to 10:05, 4 from 10:05 to 10:12, 7 from 10:12 (its cover
	 * runs to 10:20, so 3 minutes fall inside).
	 * (2*5 + 4*7 + 7*3) / 15 = (10 + 28 + 21) / 15 = 59 / 15.
	 */
	bess_acc_clear(&a);
	bess_acc_piece(&a, BESS_AGG_TWMEAN, t, t + 5 * MIN, 2, 2, 0, t, t + 5 * MIN);
	bess_acc_piece(&a, BESS_AGG_TWMEAN, t + 5 * MIN, t + 12 * MIN, 4, 4, 0, t + 5 * MIN, t + 12 * MIN);
	bess_acc_piece(&a, BESS_AGG_TWMEAN, t + 12 * MIN, t + 20 * MIN, 7, 7, 0, t + 12 * MIN, t + 15 * MIN);
	near_rel(res(&a, BESS_AGG_TWMEAN), 59.0 / 15, 1e-12, "twmean of irregular samples = 59/15");
	near_rel(a.cov_us, 15.0 * MIN, 1e-12, "fully covered");

	/*
	 * Linear: a ramp from 0 at 10:00 to 12 at 11:00; in [10:15, 10:30) it
	 * runs from 3 to 6, mean 4.5; first 3, last 6, min 3, max 6.
	 */
	bess_acc_clear(&a);
	bess_acc_piece(&a, BESS_AGG_TWMEAN, t, t + 60 * MIN, 0, 12, 1, t + 15 * MIN, t + 30 * MIN);
	near_rel(res(&a, BESS_AGG_TWMEAN), 4.5, 1e-12, "linear twmean of 3..6 = 4.5");
	bess_acc_clear(&a);
	bess_acc_piece(&a, BESS_AGG_FIRST, t, t + 60 * MIN, 0, 12, 1, t + 15 * MIN, t + 30 * MIN);
	near_rel(res(&a, BESS_AGG_FIRST), 3, 1e-12, "linear first = 3 (at 10:15)");
	bess_acc_clear(&a);
	bess_acc_piece(&a, BESS_AGG_LAST, t, t + 60 * MIN, 0, 12, 1, t + 15 * MIN, t + 30 * MIN);
	near_rel(res(&a, BESS_AGG_LAST), 6, 1e-12, "linear last = 6 (at 10:30)");
	bess_acc_clear(&a);
	bess_acc_piece(&a, BESS_AGG_MAX, t, t + 60 * MIN, 12, 0, 1, t + 15 * MIN, t + 30 * MIN);
	near_rel(res(&a, BESS_AGG_MAX), 9, 1e-12, "falling ramp 12..0: max over 10:15-10:30 is 9");
	/* hold: the same piece is just the sample's value */
	bess_acc_clear(&a);
	bess_acc_piece(&a, BESS_AGG_TWMEAN, t, t + 60 * MIN, 0, 12, 0, t + 15 * MIN, t + 30 * MIN);
	near_rel(res(&a, BESS_AGG_TWMEAN), 0, 1e-12, "hold twmean = the sample, 0");

	/*
	 * Energy: 8 kWh over [10:00, 11:00) split into quarters gives 2 each,
	 * whatever the fill; a quarter half covered by a sample spanning 10:10
	 * to 10:40 (6 kWh) gets 6 * 5/30 = 1 in [10:00, 10:15).
	 */
	bess_acc_clear(&a);
	bess_acc_piece(&a, BESS_AGG_SUM, t, t + 60 * MIN, 8, 0, 1, t + 30 * MIN, t + 45 * MIN);
	near_rel(res(&a, BESS_AGG_SUM), 2, 1e-12, "8 kWh per hour -> 2 kWh per quarter");
	bess_acc_clear(&a);
	bess_acc_piece(&a, BESS_AGG_SUM, t + 10 * MIN, t + 40 * MIN, 6, 6, 0, t + 10 * MIN, t + 15 * MIN);
	near_rel(res(&a, BESS_AGG_SUM), 1, 1e-12, "6 kWh over 30 min: 5 min of it = 1 kWh");
	near_rel(a.cov_us / (15.0 * MIN), 1.0 / 3, 1e-12, "a third of the quarter covered");
	/* merging: four quarters of 1.5, 2, 2.5, 3 kWh sum to 9 kWh in the hour */
	bess_acc_clear(&a);
	bess_acc_piece(&a, BESS_AGG_SUM, t, t + 15 * MIN, 1.5, 1.5, 0, t, t + 15 * MIN);
	bess_acc_piece(&a, BESS_AGG_SUM, t + 15 * MIN, t + 30 * MIN, 2, 2, 0, t + 15 * MIN, t + 30 * MIN);
	bess_acc_piece(&a, BESS_AGG_SUM, t + 30 * MIN, t + 45 * MIN, 2.5, 2.5, 0, t + 30 * MIN, t + 45 * MIN);
	bess_acc_piece(&a, BESS_AGG_SUM, t + 45 * MIN, t + 60 * MIN, 3, 3, 0, t + 45 * MIN, t + 60 * MIN);
	near_rel(res(&a, BESS_AGG_SUM), 9, 1e-12, "1.5 + 2 + 2.5 + 3 = 9 kWh");

	/*
	 * A meter reads 100 kWh at 10:00 and 112 at 11:00. Over [10:00, 10:15)
	 * it rises 12/4 = 3 kWh: delta 3, rate 3 kWh / 0.25 h = 12 kW. Without a
	 * second reading (a hold piece) nothing is known.
	 */
	bess_acc_clear(&a);
	bess_acc_piece(&a, BESS_AGG_DELTA, t, t + 60 * MIN, 100, 112, 1, t, t + 15 * MIN);
	near_rel(res(&a, BESS_AGG_DELTA), 3, 1e-12, "meter delta over a quarter = 3 kWh");
	near_rel(res(&a, BESS_AGG_RATE), 12, 1e-12, "meter rate = 12 kW");
	bess_acc_clear(&a);
	bess_acc_piece(&a, BESS_AGG_DELTA, t, t + 60 * MIN, 100, 100, 0, t, t + 15 * MIN);
	ok(isnan(res(&a, BESS_AGG_DELTA)), "no second reading: no delta, not a zero");

	/* plain mean and count: samples 1, 2, 6 in the interval: mean 3, count 3 */
	bess_acc_clear(&a);
	bess_acc_sample(&a, BESS_AGG_MEAN, 1);
	bess_acc_sample(&a, BESS_AGG_MEAN, 2);
	bess_acc_sample(&a, BESS_AGG_MEAN, 6);
	near_rel(res(&a, BESS_AGG_MEAN), 3, 1e-12, "mean of 1, 2, 6 = 3");
	bess_acc_clear(&a);
	bess_acc_piece(&a, BESS_AGG_COUNT, t, t + 60 * MIN, 5, 5, 0, t + 15 * MIN, t + 30 * MIN);
	near_rel(res(&a, BESS_AGG_COUNT), 0, 1e-12, "covered by a held sample but none in it: count 0");

	/* min and max of held values 5, -2, 3: -2 and 5 */
	bess_acc_clear(&a);
	bess_acc_piece(&a, BESS_AGG_MIN, t, t + MIN, 5, 5, 0, t, t + MIN);
	bess_acc_piece(&a, BESS_AGG_MIN, t + MIN, t + 2 * MIN, -2, -2, 0, t + MIN, t + 2 * MIN);
	bess_acc_piece(&a, BESS_AGG_MIN, t + 2 * MIN, t + 3 * MIN, 3, 3, 0, t + 2 * MIN, t + 3 * MIN);
	near_rel(res(&a, BESS_AGG_MIN), -2, 1e-12, "min = -2");

	/* nothing added: every function shows nothing (never a zero) */
	bess_acc_clear(&a);
	ok(isnan(res(&a, BESS_AGG_TWMEAN)) && isnan(res(&a, BESS_AGG_SUM)) &&
	    isnan(res(&a, BESS_AGG_MEAN)) && isnan(res(&a, BESS_AGG_COUNT)) &&
	    isnan(res(&a, BESS_AGG_LAST)) && isnan(res(&a, BESS_AGG_RATE)),
	    "an empty interval has no value");
	return done();
}
