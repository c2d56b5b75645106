# tests/interop/negotiate.cmake - Negotiate (SPNEGO) interop tests, included from
# tests/interop/CMakeLists.txt (uses its interop_test() and environment).
