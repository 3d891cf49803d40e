# civil.awk: UTC civil time <-> seconds since the epoch, by H. Hinnant's days-from-civil
# formulas written out here (independent of bess's own time code), for the resample tests.
# epoch("YYYY-MM-DD HH:MM:SS") -> seconds; rfc(seconds) -> "YYYY-MM-DDTHH:MM:SSZ".
function epoch(s,   y, m, d, yy, era, yoe, doy, doe) {
	y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
	yy = m <= 2 ? y - 1 : y; era = int(yy / 400); yoe = yy - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	return (era * 146097 + doe - 719468) * 86400 + substr(s, 12, 2) * 3600 + substr(s, 15, 2) * 60 + substr(s, 18, 2)
}
function rfc(t,   z, r, era, doe, yoe, y, doy, mp, d, m) {
	z = int(t / 86400); r = t - z * 86400; z += 719468
	era = int(z / 146097); doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
	m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++
	return sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, int(r / 3600), int(r % 3600 / 60), r % 60)
}
function abs(x) { return x < 0 ? -x : x }
