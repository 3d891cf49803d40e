#!/usr/bin/perl
# png-info.pl: check a PNG independently of its writer: signature, IHDR size, and how many pixels are near given colours.
# Usage: perl png-info.pl FILE [#rrggbb ...]   prints "WIDTH HEIGHT" and then one count per colour, all on one line.
# Only 8-bit, non-interlaced images (colour types 0, 2, 3, 4, 6) are decoded; a colour is "near" within 24 per channel.
use strict;
use warnings;
use Compress::Zlib;

my ($file, @want) = @ARGV;
open(my $fh, '<:raw', $file) or die "png-info: $file: $!\n";
local $/;
my $png = <$fh>;
close $fh;
substr($png, 0, 8) eq "\x89PNG\r\n\x1a\n" or die "png-info: $file: no PNG signature\n";
my ($pos, $idat, $plte, %h) = (8, '', '');
while ($pos + 8 <= length $png) {
	my ($len, $type) = unpack('N a4', substr($png, $pos, 8));
	my $data = substr($png, $pos + 8, $len);
	if ($type eq 'IHDR') {
		@h{qw(w h depth ctype comp filter interlace)} = unpack('N N C C C C C', $data);
	} elsif ($type eq 'PLTE') {
		$plte = $data;
	} elsif ($type eq 'IDAT') {
		$idat .= $data;
	}
	$pos += 12 + $len;
	last if $type eq 'IEND';
}
defined $h{w} or die "png-info: $file: no IHDR\n";
if (!@want) {
	print "$h{w} $h{h}\n";
	exit 0;
}
$h{depth} == 8 && !$h{interlace} or die "png-info: $file: only 8-bit non-interlaced images are decoded\n";
my %bpp = (0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4);
my $bpp = $bpp{$h{ctype}} // die "png-info: $file: colour type $h{ctype}\n";
my $raw = uncompress($idat) // die "png-info: $file: bad zlib data\n";
my $stride = $h{w} * $bpp;
my @prev = (0) x $stride;
my @rgb = map { [ hex(substr($_, 1, 2)), hex(substr($_, 3, 2)), hex(substr($_, 5, 2)) ] } @want;
my @count = (0) x @want;
for my $y (0 .. $h{h} - 1) {
	my $off = $y * ($stride + 1);
	my $ft = ord(substr($raw, $off, 1));
	my @cur = unpack('C*', substr($raw, $off + 1, $stride));
	for my $i (0 .. $stride - 1) {	# undo the row filter (PNG spec, section 9)
		my $a = $i >= $bpp ? $cur[$i - $bpp] : 0;
		my $b = $prev[$i];
		my $c = $i >= $bpp ? $prev[$i - $bpp] : 0;
		if ($ft == 1) { $cur[$i] = ($cur[$i] + $a) & 255 }
		elsif ($ft == 2) { $cur[$i] = ($cur[$i] + $b) & 255 }
		elsif ($ft == 3) { $cur[$i] = ($cur[$i] + int(($a + $b) / 2)) & 255 }
		elsif ($ft == 4) {
			my $p = $a + $b - $c;
			my ($pa, $pb, $pc) = (abs($p - $a), abs($p - $b), abs($p - $c));
			my $pr = ($pa <= $pb && $pa <= $pc) ? $a : ($pb <= $pc) ? $b : $c;
			$cur[$i] = ($cur[$i] + $pr) & 255;
		}
	}
	for (my $x = 0; $x < $h{w}; $x++) {
		my ($r, $g, $bl);
		if ($h{ctype} == 2 || $h{ctype} == 6) { ($r, $g, $bl) = @cur[$x * $bpp .. $x * $bpp + 2] }
		elsif ($h{ctype} == 3) { ($r, $g, $bl) = unpack('C3', substr($plte, 3 * $cur[$x], 3)) }
		else { $r = $g = $bl = $cur[$x * $bpp] }
		for my $k (0 .. $#rgb) {
			$count[$k]++ if abs($r - $rgb[$k][0]) <= 24 && abs($g - $rgb[$k][1]) <= 24 && abs($bl - $rgb[$k][2]) <= 24;
		}
	}
	@prev = @cur;
}
print join(' ', $h{w}, $h{h}, @count), "\n";
