#!/bin/sh
# tests/contract/compile_check.sh - compile the public headers as Windows code uses them
# usage: compile_check.sh INCLUDE_DIR SOURCE_DIR
# Compiles portable_client.c and headers_alone.c with every C compiler (gcc, clang)
# in C11 and C17 and every C++ compiler (g++, clang++) in C++11 and C++17, with
# and without UNICODE, -Wall -Wextra -Werror; checks that <security.h> without
# SECURITY_WIN32 is refused. gcc and g++ are required, clang/clang++ are used when present.
set -u
inc=$1
src=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {
    if ! "$@" >"$tmp/out" 2>&1; then
        echo "FAIL: $*"
        cat "$tmp/out"
        fail=1
    fi
}
for tool in gcc g++; do
    command -v "$tool" >/dev/null 2>&1 || { echo "FAIL: $tool not found"; fail=1; }
done
warn="-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes"
for cc in gcc clang; do
    command -v "$cc" >/dev/null 2>&1 || continue
    for std in c11 c17; do
        for uni in "" -DUNICODE; do
            run "$cc" -std=$std $warn -Wpedantic $uni -I "$inc" -c "$src/portable_client.c" -o "$tmp/o.o"
            run "$cc" -std=$std $warn -Wpedantic $uni -I "$inc" -c "$src/headers_alone.c" -o "$tmp/o.o"
        done
    done
done
for cxx in g++ clang++; do
    command -v "$cxx" >/dev/null 2>&1 || continue
    for std in c++11 c++17; do
        for uni in "" -DUNICODE; do
            run "$cxx" -x c++ -std=$std -Wall -Wextra -Werror $uni -I "$inc" -c "$src/portable_client.c" -o "$tmp/o.o"
            run "$cxx" -x c++ -std=$std -Wall -Wextra -Werror $uni -I "$inc" -c "$src/headers_alone.c" -o "$tmp/o.o"
        done
    done
done
printf '#include <security.h>\n' >"$tmp/none.c"
if gcc -I "$inc" -c "$tmp/none.c" -o "$tmp/o.o" >/dev/null 2>&1; then
    echo "FAIL: <security.h> without SECURITY_WIN32/KERNEL/MAC compiled; Windows refuses it"
    fail=1
fi
[ $fail -eq 0 ] && echo "compile_check: all compilers accept the headers"
exit $fail
