# gen.awk: hourly rows "ts,load_kwh,load_kw" = 1 kWh and 2 kW, from epoch second t0 for n hours.
# RFC 3339 from the epoch by the days-to-civil arithmetic (H. Hinnant), written out here.
function civil(s,   z, era, doe, yoe, y, doy, mp, d, m, r) {
	z = int(s / 86400); r = s - z * 86400; z += 719468
	era = int(z / 146097); doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
	m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++
	return sprintf("%04d-%02d-%02dT%02d:%02d:00Z", y, m, d, int(r / 3600), int(r % 3600 / 60))
}
BEGIN { print "ts,load_kwh,load_kw"; for (i = 0; i < n; i++) print civil(t0 + 3600 * i) ",1,2" }
