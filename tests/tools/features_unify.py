#!/usr/bin/env python3
"""Fails when dev-dependencies turn on features of a normal dependency.

Such a difference makes `cargo build --release` and `cargo test --release`
compile the dependency tree twice (resolver 2 keeps their features apart).
Run from the repo: `python3 tests/tools/features_unify.py`. The fix is to
name the feature in Cargo.toml's [dependencies].
"""
import subprocess, sys

def features(edges):
    out = subprocess.run(
        ["cargo", "tree", "-e", edges, "-f", "{p} {f}", "--prefix", "none",
         "--target", "x86_64-unknown-linux-gnu"],
        check=True, capture_output=True, text=True).stdout
    found = {}
    for line in out.splitlines():
        parts = line.replace(" (*)", "").split()
        if len(parts) < 2:
            continue
        name = " ".join(parts[:2])
        feats = set(parts[2].split(",")) if len(parts) > 2 and not parts[2].startswith("(") else set()
        found.setdefault(name, set()).update(f for f in feats if f)
    return found

normal, dev = features("normal,build"), features("normal,build,dev")
bad = [(k, sorted(dev[k] - normal[k])) for k in sorted(dev) if k in normal and dev[k] != normal[k]]
for name, extra in bad:
    print(f"{name}: dev-dependencies add features {extra}")
sys.exit(1 if bad else 0)
