# tests/interop/kerberos.cmake - Kerberos interop tests (included by CMakeLists.txt)
# Each script starts its own throwaway MIT realm (kdc/realm.sh: krb5kdc on a free
# 127.0.0.1 port, a temporary database and keytabs) and removes it at the end:
#   interop/kerberos-mit-acceptor   our client (krb_peer) against MIT's acceptor
#   interop/kerberos-mit-initiator  MIT's initiator against our server (krb_peer)
# MIT's side is python3-gssapi (Debian's /usr/bin/python3). Needs krb5-kdc,
# krb5-admin-server (kadmin.local), krb5-user (kinit) and python3-gssapi.
if(NOT OPENSSPI_KERBEROS)
  return()
endif()

# The SSPI peer: portable Windows SSPI code, linked against the shared library.
add_executable(krb_peer ${CMAKE_CURRENT_SOURCE_DIR}/kdc/krb_peer.c)
target_link_libraries(krb_peer PRIVATE opensspi)

set(_krb_python /usr/bin/python3)
if(OPENSSPI_INTEROP_PYTHON)
  set(_krb_python ${OPENSSPI_INTEROP_PYTHON})
endif()

# MIT krb5 keeps process-lifetime allocations LeakSanitizer would report.
set(_krb_env
    "PYTHON=${_krb_python}"
    "KRB_PEER=$<TARGET_FILE:krb_peer>"
    "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan-krb5.supp:print_suppressions=0")

foreach(_krb_case mit-acceptor mit-initiator)
  string(REPLACE "-" "_" _krb_script ${_krb_case})
  add_test(NAME interop/kerberos-${_krb_case}
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test_kerberos_${_krb_script}.sh)
  set_tests_properties(interop/kerberos-${_krb_case} PROPERTIES
                       LABELS interop
                       TIMEOUT 600
                       ENVIRONMENT "${_krb_env}")
endforeach()
