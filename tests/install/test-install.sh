#!/bin/sh
# tests/install/test-install.sh BUILD_DIR SRC_DIR CC - `cmake --install` into a
# scratch prefix, then build and run portable SSPI code with pkg-config only.
set -eu
build=$1 src=$2 cc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
pc=$(find "$tmp/prefix" -name opensspi.pc | head -n 1)
[ -n "$pc" ] || { echo "opensspi.pc not installed"; exit 1; }
sed -i "s|^prefix=.*|prefix=$tmp/prefix|" "$pc"
export PKG_CONFIG_PATH=$(dirname "$pc")
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Wextra -Werror -o "$tmp/portable" "$src/tests/install/portable.c" \
    $(pkg-config --cflags --libs opensspi) -Wl,-rpath,"$(pkg-config --variable=libdir opensspi)"
out=$(ASAN_OPTIONS=detect_leaks=0 "$tmp/portable")
echo "$out"
echo "$out" | grep -qx NTLM
# only the SSPI API is exported
lib=$(find "$tmp/prefix" -name 'libopensspi.so.*.*' | head -n 1)
extra=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -vE '^(OPENSSPI_0|[A-Z][A-Za-z]+(A|W)?@@OPENSSPI_0)$' || true)
[ -z "$extra" ] || { echo "unexpected exports: $extra"; exit 1; }
echo "install: ok"
