#!/usr/bin/env bash
# Compile times side by side: a clean `cargo build --release` and the
# rebuild after a one-line change in the layout, for an older commit and for
# the working tree, alternating so that both see the same machine.
#   bash examples/build-times.sh OLD_REV [ROUNDS]
# With SKIP_CLEAN=1 the clean builds are left out (the targets of an
# earlier run are brought up to date, untimed, and reused).
# Prints one line per build and the medians. The one-line change is a
# comment appended to the layout's units.rs (wherever that file lives in
# each tree), so the same crate-level work is redone.
set -euo pipefail
cd "$(dirname "$0")/.."
old_rev=${1:?usage: build-times.sh OLD_REV [ROUNDS]}
rounds=${2:-2}
work=$PWD/target/build-times
mkdir -p "$work"
# Outside this workspace: cargo would take an old tree inside it for one
# of its members.
old=$(mktemp -d)/old-tree
rm -rf "$old"
git worktree prune
git worktree add -q --detach "$old" "$old_rev"
trap 'git worktree remove --force "$old" 2>/dev/null || true' EXIT

units() { # the layout's units.rs in tree $1
  if [[ -f $1/crates/pressbook-layout/src/units.rs ]]; then
    echo "$1/crates/pressbook-layout/src/units.rs"
  else
    echo "$1/src/layout/units.rs"
  fi
}

secs() { # seconds a command takes (its output hidden; a failure stops all)
  local start end
  start=$(date +%s.%N)
  "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

build() { # tree target-dir
  (cd "$1" && CARGO_TARGET_DIR=$2 cargo build --release)
}

declare -A times
for r in $(seq "$rounds"); do
  for side in old new; do
    tree=$([[ $side == old ]] && echo "$old" || echo "$PWD")
    target=$work/$side-target
    if [[ -z ${SKIP_CLEAN:-} ]]; then
      rm -rf "$target"
      t=$(secs build "$tree" "$target")
      echo "round $r $side clean build: $t s"
      times[$side-clean]+="$t "
    else
      secs build "$tree" "$target" >/dev/null
    fi
    f=$(units "$tree")
    for k in 1 2; do
      echo "// build-times probe $r $k" >>"$f"
      t=$(secs build "$tree" "$target")
      echo "round $r $side one-line layout change: $t s"
      times[$side-change]+="$t "
      (cd "$tree" && git checkout -q -- "$f")
      build "$tree" "$target" >/dev/null 2>&1
    done
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for k in clean change; do
  [[ -n ${times[old-$k]:-} ]] || continue
  o=$(echo "${times[old-$k]}" | median)
  n=$(echo "${times[new-$k]}" | median)
  echo "median $k: old $o s, new $n s, new/old $(echo "scale=2; $n / $o" | bc)"
done
