#!/usr/bin/env python3
"""Line quality of justified body text, from `pdftotext -bbox-layout` XHTML.

    line_quality.py NAME FILE.html [NAME FILE.html ...]

Body lines are lines at the body size whose left edge is at the left margin
(or one paragraph indent in) and whose right edge is at the right margin
(within the protrusion a hanging character may take). Gaps are the distances
between the boxes of consecutive words, in ems of the body size.
"""
import re
import sys
from collections import Counter

LEFT, MEASURE, SIZE = 123.64, 348.0, 10.5
RIGHT = LEFT + MEASURE
HANG_R = set("-\u2010\u2013\u2014.,;:!?'\"\u2019\u201d)")
HANG_L = set("'\"\u2018\u201c(")
NUM = r'"([-0-9.]+)"'
LINE = re.compile(r'<line xMin=' + NUM + ' yMin=' + NUM + ' xMax=' + NUM + ' yMax=' + NUM + '>(.*?)</line>', re.S)
WORD = re.compile(r'<word xMin=' + NUM + ' yMin=' + NUM + ' xMax=' + NUM + ' yMax=' + NUM + r'>(.*?)</word>', re.S)
PAGE = re.compile(r'<page .*?</page>', re.S)


def unescape(s):
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def lines_of(path):
    """Per page, the lines in reading order: (x0, x1, height, words)."""
    html = open(path, encoding="utf-8").read()
    pages = []
    for page in PAGE.findall(html):
        out = []
        for m in LINE.finditer(page):
            words = [(float(w[0]), float(w[2]), unescape(w[4])) for w in WORD.findall(m.group(5))]
            if words:
                out.append((float(m.group(1)), float(m.group(3)), float(m.group(4)) - float(m.group(2)), words))
        pages.append(out)
    return pages


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def measure(path):
    pages = lines_of(path)
    heights = Counter(round(l[2], 1) for page in pages for l in page if len(l[3]) > 3)
    body_h = heights.most_common(1)[0][0]
    gaps, n, hyph, loose, run, longest = [], 0, 0, 0, 0, 0
    hang_h, hang_p, ends_p, starts_l, hang_l = 0, 0, 0, 0, 0
    for page in pages:
        for x0, x1, h, words in page:
            body = abs(h - body_h) < 0.3
            justified = (body and len(words) >= 4 and LEFT - 4 <= x0 <= LEFT + 24
                         and RIGHT - 1.5 <= x1 <= RIGHT + 8)
            if not justified:
                run = 0
                continue
            n += 1
            g = [(b[0] - a[1]) / SIZE for a, b in zip(words, words[1:])]
            gaps.extend(g)
            if sum(g) / len(g) > 0.5:
                loose += 1
            last = words[-1][2]
            if last.endswith(("-", "\u2010", "\u00ad")):
                hyph += 1
                run += 1
                longest = max(longest, run)
                if x1 > RIGHT + 0.5:
                    hang_h += 1
            else:
                run = 0
            if last[-1] in HANG_R:
                ends_p += 1
                if x1 > RIGHT + 0.3:
                    hang_p += 1
            if words[0][2][0] in HANG_L and x0 < LEFT + 1:
                starts_l += 1
                if x0 < LEFT - 0.3:
                    hang_l += 1
    return {
        "lines": n,
        "hyph": 100 * hyph / n,
        "run": longest,
        "p1": pct(gaps, 1),
        "p95": pct(gaps, 95),
        "p99": pct(gaps, 99),
        "loose": 100 * loose / n,
        "hang": f"{hang_h} of {hyph}",
        "hangp": f"{hang_p} of {ends_p}",
        "hangl": f"{hang_l} of {starts_l}",
    }


def main(args):
    names, results = args[0::2], [measure(p) for p in args[1::2]]
    rows = [
        ("justified body lines", "lines", "{}"),
        ("lines ending in a hyphen", "hyph", "{:.1f} %"),
        ("longest run of hyphenated lines", "run", "{}"),
        ("word gap, 1st percentile (tightest)", "p1", "{:.2f} em"),
        ("word gap, 95th percentile", "p95", "{:.2f} em"),
        ("word gap, 99th percentile", "p99", "{:.2f} em"),
        ("loose lines (mean gap > 0.5 em)", "loose", "{:.1f} %"),
        ("hyphens hanging into the margin", "hang", "{}"),
        ("right-edge punctuation hanging", "hangp", "{}"),
        ("opening quotes hanging (left)", "hangl", "{}"),
    ]
    print("| | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for label, key, fmt in rows:
        print(f"| {label} | " + " | ".join(fmt.format(r[key]) for r in results) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
