#!/usr/bin/perl
# live-latency.pl: feed a command one input line at a time through a FIFO and time its output.
# Usage: live-latency.pl SPEC FIFO-DIR CMD [ARG ...]. Each SPEC line is "N<TAB>input": write the
# input line, then wait (up to 5 s) until the command has written N lines in all. Prints one line
# per SPEC line: "N got ms" (got = lines seen, ms = milliseconds from the write to the Nth line),
# then the whole output after "--". The input is held open until the last SPEC line is done.
use strict;
use warnings;
use Time::HiRes qw(time);
use POSIX qw(mkfifo);
use IO::Select;

my ($spec, $dir, @cmd) = @ARGV;
my ($fin, $fout) = ("$dir/live.in", "$dir/live.out");
mkfifo($fin, 0600) or die "mkfifo: $!";
mkfifo($fout, 0600) or die "mkfifo: $!";
my $pid = fork() // die "fork: $!";
if ($pid == 0) {
	open(STDIN, '<', $fin) or die "$fin: $!";
	open(STDOUT, '>', $fout) or die "$fout: $!";
	exec(@cmd) or die "exec: $!";
}
open(my $w, '>', $fin) or die "$fin: $!";
open(my $r, '<', $fout) or die "$fout: $!";
$w->autoflush(1);
my $sel = IO::Select->new($r);
my ($buf, $lines, @report) = ('', 0);
open(my $s, '<', $spec) or die "$spec: $!";
while (my $l = <$s>) {
	chomp $l;
	my ($want, $in) = split /\t/, $l, 2;
	print $w "$in\n";
	my $t0 = time();
	while ($lines < $want && time() - $t0 < 5) {
		next unless $sel->can_read(0.05);
		my $k = sysread($r, $buf, 65536, length $buf);
		last unless $k;
		$lines = () = $buf =~ /\n/g;
	}
	push @report, sprintf("%d %d %.2f", $want, $lines, 1000 * (time() - $t0));
	select(undef, undef, undef, 0.05);	# the next record comes later
}
close $w;
while (sysread($r, $buf, 65536, length $buf)) { }
waitpid($pid, 0);
print "$_\n" for @report;
print "--\n$buf";
exit($? >> 8);
