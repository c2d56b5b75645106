# tests/interop/http.cmake - HTTP Negotiate against real web programs on loopback,
# included from tests/interop/CMakeLists.txt (its environment). Both scripts start a
# throwaway MIT realm (kdc/realm.sh) and add HTTP/localhost to it:
#   interop/http-negotiate-apache  `sspi http --negotiate` against apache2 with
#                                  mod_auth_gssapi (AuthType GSSAPI, krb5 only)
#   interop/http-negotiate-curl    curl --negotiate (MIT GSS-API: Kerberos from a
#                                  kinit ccache; NTLM through gss-ntlmssp) against
#                                  `sspi serve --negotiate`
# Needs apache2, libapache2-mod-auth-gssapi, curl, krb5-kdc, krb5-admin-server,
# krb5-user and gss-ntlmssp (scripts/install-deps).
if(NOT OPENSSPI_KERBEROS)
  return()
endif()

foreach(_http_case apache curl)
  add_test(NAME interop/http-negotiate-${_http_case}
           COMMAND ${BASH_PROGRAM} ${CMAKE_CURRENT_SOURCE_DIR}/test_http_negotiate_${_http_case}.sh)
  # our tool loads MIT krb5, which keeps process-lifetime allocations
  set_tests_properties(interop/http-negotiate-${_http_case} PROPERTIES
                       LABELS interop
                       TIMEOUT 240
                       ENVIRONMENT "${_interop_env};LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan-krb5.supp:print_suppressions=0")
endforeach()
