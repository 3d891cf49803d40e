#!/bin/sh
# examples.sh: the README's examples that run on the bundled data/ are run as written (in a
# scratch folder holding a link to data/, with the built tools first on PATH); where the README
# shows output, the output must be exactly that; otherwise the status must be 0.
# An example runs when every file it names is in data/ or was written by an earlier example
# of the same block (a word like NAME.EXT that is not an output); the others (a broker,
# curl, files of your own) are listed as skipped.
. "$(dirname "$0")/../lib.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
export BESS_NO_CONFIG=1
mkdir -p "$T/run"
ln -s "$top/data" "$T/run/data"
python3 - "$top/README.md" "$T/ex" <<'EOF'
# Split the README's code into examples: "block<TAB>command<TAB>expected output" records,
# the command's continuation lines joined, one file per example.
import os, re, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
lines = open(src, encoding='utf-8').read().split('\n')
blocks, cur, fenced = [], None, False
for l in lines:
    if l.startswith('```'):
        if fenced:
            blocks.append(cur); cur = None; fenced = False
        else:
            fenced = True; cur = []
        continue
    if fenced:
        cur.append(l); continue
    if l.startswith('    '):
        cur = cur if cur is not None else []
        cur.append(l[4:])
    elif l.strip() == '' and cur is not None:
        cur.append('')
    elif cur is not None:
        blocks.append(cur); cur = None
if cur:
    blocks.append(cur)
n = 0
for b, blk in enumerate(blocks):
    i = 0
    while i < len(blk):
        l = blk[i]
        if not re.match(r'(PATH=|bess-)', l):
            i += 1; continue
        cmd = [l]
        while (cmd[-1].rstrip().endswith(('\\', '|')) or (i + 1 < len(blk) and re.match(r'\s+\|', blk[i + 1]))) and i + 1 < len(blk):
            i += 1; cmd.append(blk[i])
        i += 1
        want = []
        while i < len(blk) and blk[i] != '' and not blk[i].startswith('#') and not re.match(r'(PATH=|bess-|[a-z]+ )', blk[i]):
            want.append(blk[i]); i += 1
        n += 1
        with open('%s/%03d' % (out, n), 'w') as f:
            f.write('%d\n%s\n' % (b, '\n'.join(cmd)))
        with open('%s/%03d.want' % (out, n), 'w') as f:
            f.write('\n'.join(want) + ('\n' if want else ''))
EOF
ok $? "the README's examples are read ($(ls "$T/ex" | grep -vc want) commands)"

ran=0
prev_block=""
for e in "$T"/ex/[0-9][0-9][0-9]; do
	block=$(head -n 1 "$e")
	cmd=$(tail -n +2 "$e")
	one=$(printf '%s' "$cmd" | tr '\n' ' ' | sed 's/\\ */ /g; s/  */ /g')
	if [ "$block" != "$prev_block" ]; then	# each block starts afresh, with data/ alone
		find "$T/run" -mindepth 1 -maxdepth 1 ! -name data -exec rm -rf {} +
		prev_block=$block
	fi
	case $one in *'...'*|*curl*|*bess-mqtt*|*parallel*|*glpsol*|*'<'*) skip "needs a broker, a server or files of your own: $one"; continue ;; esac
	# every input file must exist: words ending in .csv/.ndjson/.tariff/.conf that are not outputs
	missing=$(printf '%s\n' "$one" | awk '{
		for (i = 1; i <= NF; i++) {
			w = $i; gsub(/\047|"/, "", w)
			if ($(i - 1) ~ /^(-o|--output|--summary|--breakdown|--per-device|--emit-lp|>|>>)$/ || w ~ /^>/) continue
			if (w ~ /^[A-Za-z_][A-Za-z0-9_\/-]*\.[A-Za-z0-9]+$/ && w !~ /^(data\/|https?:)/ ||
			    w ~ /^data\//) print w
		} }' | while read -r f; do [ -e "$T/run/$f" ] || echo "$f"; done | tr '\n' ' ')
	if [ -n "$missing" ]; then
		skip "reads files not in data/ ($missing): $one"
		continue
	fi
	ran=$((ran + 1))
	(cd "$T/run" && PATH="$top/bin:$PATH" sh -c "$cmd") >"$T/got" 2>"$T/err"
	st=$?
	if [ -s "$e.want" ]; then
		cmp -s "$T/got" "$e.want"
		ok $? "output as the README shows: $one"
		[ $? -eq 0 ] || diff "$e.want" "$T/got" | head -n 10 | sed 's/^/#   /'
	else
		is "$st" 0 "status 0: $one$( [ -s "$T/err" ] && echo " ($(head -n 1 "$T/err"))")"
	fi
done
[ "$ran" -ge 8 ]
ok $? "at least 8 of the examples run on data/ ($ran did)"
done_testing
