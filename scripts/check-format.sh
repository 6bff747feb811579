#!/usr/bin/env bash
# Checks that every C++ file of src/ tests/ bench/ tools/ fuzz/ python/ is formatted as .clang-format
# says (clang-format --dry-run --Werror): lists each file that is not, and fails. To fix:
#   git ls-files -z 'src/*.cpp' ... | xargs -0 clang-format -i   (or clang-format -i FILE)
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -d '' files < <(git ls-files -z -- \
  'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'bench/*.hpp' \
  'tools/*.cpp' 'tools/*.hpp' 'fuzz/*.cpp' 'fuzz/*.hpp' 'python/*.cpp' 'python/*.hpp')
if ! clang-format --dry-run --Werror "${files[@]}"; then
  echo "check-format: the files above are not clang-formatted (clang-format -i FILE)" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files clean ($(clang-format --version | head -1))"
