# negprice.awk: n quarter-hours of day-ahead-like prices (currency/kWh) with negative midday
# stretches, deterministic for a seed (own Park-Miller generator: same output in mawk and gawk).
# Usage: awk -v n=2976 -v seed=1 -v q=0.5 -f negprice.awk  (q: share of days with a negative dip)
# Each day: a level 0.8..1.2 times a two-peak shape (0.07 + 0.03 at 08:00 + 0.05 at 19:00),
# noise +-0.01; on a dip day (probability q) a bump of depth 0.05..0.20 centred on 13:00 (width
# about 2.2 h) is subtracted, which takes 0 to about 18 quarters below zero.
function rnd() { st = (st * 16807) % 2147483647; return st / 2147483647 }
function civil(z,    era, doe, yoe, doy, mp, d, m, y) {	# days since 1970-01-01 to Y-M-D
	z += 719468
	era = int(z / 146097)
	doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	y = yoe + era * 400
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153)
	d = doy - int((153 * mp + 2) / 5) + 1
	m = mp < 10 ? mp + 3 : mp - 9
	if (m <= 2)
		y++
	return sprintf("%04d-%02d-%02d", y, m, d)
}
BEGIN {
	st = seed > 0 ? seed : 1
	day0 = 20094	# 2025-01-06, a Monday
	print "ts,price"
	for (i = 0; i < n; i++) {
		d = int(i / 96)
		q4 = i % 96
		if (q4 == 0) {
			lvl = 0.8 + 0.4 * rnd()
			dip = rnd() < q ? 0.05 + 0.15 * rnd() : 0
			date = civil(day0 + d)
		}
		h = q4 / 4
		p = lvl * (0.07 + 0.03 * exp(-((h - 8) / 2) ^ 2) + 0.05 * exp(-((h - 19) / 2.5) ^ 2))
		p += 0.02 * (rnd() - 0.5) - dip * exp(-((h - 13) / 2.2) ^ 2)
		printf "%sT%02d:%02d:00Z,%.5f\n", date, int(h), (q4 % 4) * 15, p
	}
}
