#!/usr/bin/python3
# tests/interop/ntlm_http_client.py - HTTP client answering NTLM challenges with gss-ntlmssp
#
# Used by the self-check to prove ntlm_http_server.py works before `sspi http` is
# tested against it. One keep-alive connection: GET, and on "401 + WWW-Authenticate:
# NTLM" the NEGOTIATE / CHALLENGE / AUTHENTICATE exchange in Authorization headers.
# Prints the final status line and body; exits 0 on 200, 1 otherwise, 2 on usage.

import argparse
import base64
import http.client
import sys
import urllib.parse

import gssapi

NTLM_MECH = gssapi.OID.from_int_seq("1.3.6.1.4.1.311.2.2.10")


class Context(gssapi.SecurityContext):
    __DEFER_STEP_ERRORS__ = False


def ntlm_challenge(resp):
    """The NTLM token (possibly empty) offered by a 401 response, or None."""
    for value in resp.headers.get_all("WWW-Authenticate") or []:
        scheme, _, rest = value.strip().partition(" ")
        if scheme.lower() == "ntlm":
            rest = rest.strip()
            return base64.b64decode(rest) if rest else b""
    return None


def main():
    p = argparse.ArgumentParser(description="NTLM HTTP client (gss-ntlmssp)")
    p.add_argument("url")
    p.add_argument("--user", required=True, help="DOMAIN\\user")
    p.add_argument("--password", required=True)
    p.add_argument("--target", default="HTTP@localhost")
    p.add_argument("--timeout", type=float, default=30.0)
    args = p.parse_args()

    url = urllib.parse.urlsplit(args.url)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=args.timeout)
    path = url.path or "/"
    headers = {}
    ctx = None
    try:
        for _ in range(4):
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 401:
                break
            offered = ntlm_challenge(resp)
            if offered is None:
                break
            if ctx is None:
                if offered:
                    print("ntlm_http_client: server sent a challenge before NEGOTIATE")
                    break
                name = gssapi.Name(args.user, gssapi.NameType.user)
                creds = gssapi.raw.acquire_cred_with_password(
                    name, args.password.encode("utf-8"), usage="initiate",
                    mechs=[NTLM_MECH]).creds
                ctx = Context(name=gssapi.Name(args.target, gssapi.NameType.hostbased_service),
                              creds=gssapi.Credentials(creds), mech=NTLM_MECH, usage="initiate")
                token = ctx.step()
            elif not offered or ctx.complete:
                break
            else:
                token = ctx.step(offered)
            headers = {"Authorization": "NTLM " + base64.b64encode(token).decode("ascii")}
    except (OSError, http.client.HTTPException, gssapi.exceptions.GSSError) as e:
        print("ntlm_http_client: FAILED: %s" % e)
        return 1
    finally:
        conn.close()
    print("ntlm_http_client: HTTP %d" % resp.status)
    sys.stdout.write(body.decode("utf-8", "replace") + "\n")
    return 0 if resp.status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
