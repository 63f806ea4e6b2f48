#!/usr/bin/env python3
"""Lists the longest Rust functions outside tests: `python3 tests/tools/fn_lengths.py [N]`.

With `--max L`, exits 1 when a function is longer than L lines (CI: 100).

Counts lines from `fn` to its closing brace, skipping `#[cfg(test)]` modules and
files under tests/. Good enough for a table of the longest functions; strings
and comments holding braces are stripped before counting.
"""
import re, sys, pathlib

def strip(line):
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])'", "''", line)
    return line.split("//")[0]

def functions(path):
    lines = path.read_text().splitlines()
    i, out, skip_depth, depth = 0, [], None, 0
    pending_test = False
    stack = []  # (name, start, depth_at_open)
    for n, raw in enumerate(lines, 1):
        s = strip(raw)
        if re.match(r'\s*#\[cfg\(test\)\]', raw):
            pending_test = True
        m = re.search(r'\bfn\s+([A-Za-z_][A-Za-z0-9_]*)', s)
        if m and skip_depth is None:
            stack.append([m.group(1), n, depth, False])
        if pending_test and re.search(r'\bmod\b', s) and '{' in s:
            skip_depth = depth
            pending_test = False
        for ch in s:
            if ch == '{':
                depth += 1
                if stack and not stack[-1][3] and stack[-1][2] == depth - 1:
                    stack[-1][3] = True
            elif ch == '}':
                depth -= 1
                if skip_depth is not None and depth == skip_depth:
                    skip_depth = None
                if stack and stack[-1][3] and depth == stack[-1][2]:
                    name, start, _, _ = stack.pop()
                    out.append((n - start + 1, f"{path}:{start}", name))
        if stack and not stack[-1][3] and s.rstrip().endswith(';'):
            stack.pop()  # a declaration without a body (trait method)
    return out

def main():
    args = sys.argv[1:]
    limit = None
    if "--max" in args:
        i = args.index("--max")
        limit = int(args[i + 1])
        del args[i:i + 2]
    top = int(args[0]) if args else 15
    fns = []
    for root in ["src", *sorted(str(p) for p in pathlib.Path("crates").glob("*/src"))]:
        for p in sorted(pathlib.Path(root).rglob("*.rs")):
            fns += functions(p)
    fns.sort(reverse=True)
    lens = sorted(f[0] for f in fns)
    print(f"{len(fns)} functions, median {lens[len(lens)//2]} lines, "
          f"{sum(1 for l in lens if l > 100)} over 100 lines, {sum(1 for l in lens if l > 60)} over 60")
    print("| lines | function | where |\n|---:|---|---|")
    for length, where, name in fns[:top]:
        print(f"| {length} | `{name}` | {where} |")
    if limit is not None and lens and lens[-1] > limit:
        print(f"functions over {limit} lines: shorten them", file=sys.stderr)
        sys.exit(1)

main()
