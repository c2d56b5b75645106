# tests/interop/negotiate.cmake - Negotiate (SPNEGO) interop tests, included from
# tests/interop/CMakeLists.txt (its interop_test() and environment).
#
# Against MIT's SPNEGO with gss-ntlmssp underneath, our NTLM contexts restart their
# RC4 stream after the mechListMIC (MS-SPNG 3.2.5.1, NEGO_ATTR_RESET_SEAL_STREAM in
# src/negotiate/negotiate.h, answered by ntlm_set_ctx); these tests check it.

interop_test(negotiate-selfcheck test_negotiate_selfcheck.sh 240)
interop_test(negotiate-raw-ntlm test_negotiate_raw_ntlm.sh 180)
interop_test(negotiate-mit-acceptor test_negotiate_mit_acceptor.sh 300)
interop_test(negotiate-mit-acceptor-wide test_negotiate_mit_acceptor.sh 300 --wide)
interop_test(negotiate-mit-initiator test_negotiate_mit_initiator.sh 300)
interop_test(negotiate-mit-initiator-wide test_negotiate_mit_initiator.sh 300 --wide)
set(_nego_tests negotiate-selfcheck negotiate-raw-ntlm negotiate-mit-acceptor negotiate-mit-acceptor-wide
    negotiate-mit-initiator negotiate-mit-initiator-wide)
if(OPENSSPI_KERBEROS)
  interop_test(negotiate-mit-realm test_negotiate_mit_realm.sh 300)
  list(APPEND _nego_tests negotiate-mit-realm)
  # our programs load MIT krb5, which keeps process-lifetime allocations
  foreach(_t ${_nego_tests})
    set_property(TEST interop/${_t} APPEND PROPERTY ENVIRONMENT
                 "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan-krb5.supp:print_suppressions=0")
  endforeach()
endif()
