# health-gen.awk: BMS racks r1, r2 and a PCS, every 2 s for a day's first 14000 s, as canonical CSV.
# The SOC follows the printed current exactly (trapezoid, 280 Ah), so clean data breaks no rule.
# With -v faults=1 one fault of each kind is injected at a known time (see health.sh for the list).
# A small LCG gives the noise, so mawk and gawk write the same file. -v n=STEPS (default 7000)
# sets the length, -v pcs=0 leaves the PCS out (racks only), -v day=2025-03-01 the first day.
function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 - 0.5 }
function ts(t,   d) { d = int(t / 86400); t -= 86400 * d
	return sprintf("2025-%02d-%02dT%02d:%02d:%02dZ", 3 + int(d / 28), 1 + d % 28, int(t / 3600), int(t % 3600 / 60), t % 60) }
BEGIN {
	seed = 42; cap = 280; n = (n ? n : 7000); if (pcs == "") pcs = 1
	print "ts,device,soc_pct,current_a,voltage_v,cell_max_v,cell_min_v,cell_avg_v,cell_max_c,cell_min_c,cell_avg_c,ac_l1_a,ac_l2_a,ac_l3_a,igbt_c"
	soc["r1"] = 50; soc["r2"] = 55
	for (i = 0; i < n; i++) {
		t = 2 * i
		for (d = 1; d <= 2; d++) {
			dev = "r" d
			cur = sprintf("%.3f", 50 * sin(2 * 3.141592653589793 * t / 3600 + d) + 2 * rnd()) + 0
			if (i > 0)
				soc[dev] += (pcur[dev] + cur) / 2 * (2 / 3600) / cap * 100
			pcur[dev] = cur
			s = soc[dev]
			avg = 3.30 + 0.05 * (s - 50) / 50 + 0.002 * rnd()
			vmax = avg + 0.01 + 0.004 * rnd(); vmin = avg - 0.01 + 0.004 * rnd()
			tavg = 25 + 0.6 * rnd(); tmax = tavg + 1.5 + 0.6 * rnd(); tmin = tavg - 1.5 + 0.6 * rnd()
			volt = sprintf("%.3f", 240 * avg)
			if (faults) {
				if (dev == "r1" && t >= 1000 && t <= 1100) vmin -= 0.08
				if (dev == "r2" && t >= 2000 && t <= 2060) tmax += 8
				if (dev == "r1" && t >= 3000 && t <= 3010) { vmax = 3.70; vmin = 3.68 }
				if (dev == "r2" && t >= 3500 && t <= 3510) { vmax = 2.47; vmin = 2.45 }
				if (dev == "r1" && t >= 4000 && t <= 4020) { tmax = 60; tmin = 57 }
				if (dev == "r2" && t >= 4500 && t <= 4520) { tmax = -22; tmin = -24 }
				if (dev == "r1" && t >= 5000) s += 10
				if (dev == "r2" && t >= 6000) s += 0.0123 * ((t < 8000 ? t : 8000) - 6000) / 2
				if (dev == "r1" && t == 8000) frozen = volt
				if (dev == "r1" && t > 8000 && t <= 10000) volt = frozen
				if (dev == "r2" && t >= 9000 && t < 9100) continue
			}
			printf "%s,%s,%.6f,%.3f,%s,%.4f,%.4f,%.4f,%.1f,%.1f,%.1f,,,,\n", ts(t), dev, s, cur, volt, vmax, vmin, avg, tmax, tmin, tavg
		}
		if (!pcs) continue
		l1 = 200 + 2 * rnd(); l2 = 200 + 2 * rnd(); l3 = 200 + 2 * rnd(); igbt = 60 + rnd()
		if (faults && t >= 11000 && t <= 11100) l3 = 140
		if (faults && t >= 12000 && t <= 12030) igbt = 90
		printf "%s,pcs1,,,,,,,,,,%.2f,%.2f,%.2f,%.1f\n", ts(t), l1, l2, l3, igbt
	}
}
