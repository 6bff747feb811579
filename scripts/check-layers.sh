#!/usr/bin/env bash
# Checks that the includes form no cycle: between the folders of src/ (a folder is a layer), and
# between the files of src/exec (foo.hpp and foo.cpp count as one unit, so a .cpp including a
# header whose unit includes it back is a cycle too). Prints the cycle and fails if there is one.
# Cheap (grep and tsort); ctest runs it as the test "layers".
set -euo pipefail
cd "$(dirname "$0")/../src"

# Prints "from to" for every quoted include of a file under src/: `unit` maps a path to its node.
edges() {
  local unit=$1
  shift
  grep -H -o '^#include "[a-z_0-9]*/[a-z_0-9]*\.hpp"' "$@" |
    sed -E 's|^([^:]*):#include "(.*)"$|\1 \2|' |
    while read -r from to; do
      [ -f "$to" ] || continue
      a=$($unit "$from")
      b=$($unit "$to")
      [ "$a" = "$b" ] || echo "$a $b"
    done | sort -u
}
folder() { echo "${1%%/*}"; }
file_unit() { local f=${1%.*}; echo "$f"; }

status=0
check() {
  local what=$1 graph=$2
  if ! out=$(printf '%s\n' "$graph" | tsort 2>&1 >/dev/null) || [ -n "$out" ]; then
    echo "check-layers: the includes between $what form a cycle:" >&2
    echo "$out" | grep -v '^tsort: -: input contains a loop:' >&2
    status=1
  fi
}

check "the folders of src/" "$(edges folder $(find . -name '*.?pp' | sed 's|^\./||'))"
exec_files=$(find exec -name '*.?pp')
exec_graph=$(edges file_unit $exec_files | grep -E '^exec/[^ ]* exec/' || true)
check "the files of src/exec" "$exec_graph"
[ "$status" = 0 ] && echo "check-layers: no include cycle (src/ folders, src/exec files)"
exit "$status"
