#!/usr/bin/env python3
"""Fails when modules of one crate import each other in a cycle, file by
file or folder by folder (`manifest` and `source` as wholes).

For every crate (src/ and crates/*/src), each file is a module named by its
path (`layout/inline/shape.rs` is `inline::shape`; `mod.rs` and `lib.rs`
stand for their folder). A module depends on another when it names it by
path: `crate::a::b`, `super::x`, `self::y`, or a `use` of those. Siblings
and cousins count; a module reaching into its own children or parents does
not (a parent declares its children, and the children of a split type
reach back to it: that is one unit). Cycles of more than one module are
printed. Run from the repo: `python3 tests/tools/module_cycles.py`.
"""
import pathlib, re, sys

def modules(src):
    mods = {}
    for f in sorted(src.rglob("*.rs")):
        rel = f.relative_to(src).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] in ("mod", "lib", "main"):
            parts = parts[:-1]
        mods[tuple(parts)] = f
    return mods

def strip_tests(text):
    # Drop `#[cfg(test)] mod tests { ... }` blocks (tests may reach anywhere).
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i:m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)

def resolve(path, here, mods):
    """The longest module a path names, from module `here`."""
    segs = path.split("::")
    if segs[0] == "crate":
        base, segs = [], segs[1:]
    elif segs[0] in ("super", "self"):
        base = list(here)
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                base = base[:-1]
            segs = segs[1:]
    else:
        return None
    best = None
    for n in range(len(segs) + 1):
        cand = tuple(base + segs[:n])
        if cand in mods:
            best = cand
    return best

def related(a, b):
    return a[: len(b)] == b or b[: len(a)] == a

def graph(src):
    mods = modules(src)
    edges = {m: set() for m in mods}
    for m, f in mods.items():
        text = strip_tests(re.sub(r"//.*", "", f.read_text()))
        # Expand `use a::{b, c::d}` one level into a::b, a::c::d.
        paths = []
        for u in re.finditer(r"\b((?:crate|super|self)(?:::\w+)*)::\{([^}]*)\}", text):
            for item in u.group(2).split(","):
                item = item.strip().split(" as ")[0]
                if item and item != "self":
                    paths.append(u.group(1) + "::" + item)
                elif item == "self":
                    paths.append(u.group(1))
        paths += re.findall(r"\b(?:crate|super|self)(?:::\w+)+", text)
        for p in paths:
            t = resolve(p, m, mods)
            if t is not None and t != m and not related(t, m):
                edges[m].add(t)
    return edges

def cycles(edges):
    # Tarjan's strongly connected components.
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]
    def visit(v):
        index[v] = low[v] = n[0]; n[0] += 1
        stack.append(v); on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)
    sys.setrecursionlimit(10000)
    for v in edges:
        if v not in index:
            visit(v)
    return out

root = pathlib.Path(__file__).resolve().parents[2]
bad = 0
def top_level(edges):
    top = {}
    for a, bs in edges.items():
        top.setdefault(a[:1], set())
        for b in bs:
            if a[:1] != b[:1] and a[:1] and b[:1]:
                top[a[:1]].add(b[:1])
            top.setdefault(b[:1], set())
    return top

for src in [root / "src", *sorted((root / "crates").glob("*/src"))]:
    edges = graph(src)
    found = cycles(edges)
    found += [c for c in cycles(top_level(edges)) if sorted(c) not in [sorted(x) for x in found]]
    for comp in found:
        bad += 1
        names = sorted("::".join(c) or "(root)" for c in comp)
        print(f"{src.relative_to(root)}: cycle between {', '.join(names)}")
sys.exit(1 if bad else 0)
