# plot-gen.awk: a made-up battery schedule for bess-plot tests and benchmarks (deterministic).
# Usage: awk -v start=EPOCH_S -v n=ROWS -v step=SECONDS -f plot-gen.awk
# Writes CSV: ts, price (per kWh), battery_kw, soc_kwh, load_kw, solar_kw, grid_import_kw, grid_export_kw.
# A 200 kWh / 50 kW battery charges when the price is low and discharges when it is high.
function noise(i) { x = sin(i * 12.9898) * 43758.5453; return x - int(x) }
function ts(t,   d, s, y, m, dd, a, b, c, e) {
	# civil date from days (Hinnant), UTC
	d = int(t / 86400); s = t - d * 86400
	z = d + 719468; era = int((z >= 0 ? z : z - 146096) / 146097)
	doe = z - era * 146097; yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100)); mp = int((5 * doy + 2) / 153)
	dd = doy - int((153 * mp + 2) / 5) + 1; m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++
	return sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, dd, int(s / 3600), int(s % 3600 / 60), s % 60)
}
BEGIN {
	pi = 3.141592653589793
	if (step == "") step = 900
	soc = 100; cap = 200; pmax = 50; dt = step / 3600
	print "ts,price,battery_kw,soc_kwh,load_kw,solar_kw,grid_import_kw,grid_export_kw"
	for (i = 0; i < n; i++) {
		t = start + i * step
		h = (t % 86400) / 3600
		price = 0.10 + 0.05 * sin(2 * pi * (h - 11) / 24) + 0.03 * (noise(i) - 0.5)
		kw = 0
		if (price < 0.08 && soc + pmax * dt <= cap) kw = pmax
		else if (price > 0.13 && soc - pmax * dt >= 0) kw = -pmax
		soc += kw * dt
		load = 30 + 10 * sin(2 * pi * (h - 14) / 24)
		solar = h > 6 && h < 18 ? 40 * sin(pi * (h - 6) / 12) : 0
		net = load - solar + kw
		gi = net > 0 ? net : 0; ge = net < 0 ? -net : 0
		printf "%s,%.5f,%g,%g,%.3f,%.3f,%.3f,%.3f\n", ts(t), price, kw, soc, load, solar, gi, ge
	}
}
