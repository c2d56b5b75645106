#!/usr/bin/python3
# tests/interop/spnego_peer.py - SPNEGO peer built on MIT krb5's GSS-API SPNEGO
# (python3-gssapi), with gss-ntlmssp (or, with --mech krb5, MIT's Kerberos) as the
# only negotiable mechanism: the independent implementation our Negotiate package is
# tested against.
#
# Framing, transcript and options are those of gssntlm_peer.py, whose helpers this
# program uses (the handshake carries SPNEGO tokens instead of bare NTLM ones; the
# wrap and MIC frames are the negotiated mechanism's, unchanged by SPNEGO). Any
# pairing with sspi_peer (--package Negotiate) follows the same frames.
#
# Credentials:
#   client  --user/--password: SPNEGO credentials acquired with the password, then
#           restricted with gss_set_neg_mechs to the one mechanism; --mech krb5 with
#           no password uses the default ccache (KRB5CCNAME)
#   server  SPNEGO-only acceptor credentials (gss_set_neg_mechs), so a bare NTLMSSP
#           or krb5 token is refused as it would be by a pure SPNEGO acceptor;
#           gss-ntlmssp reads its users from NTLM_USER_FILE (DOMAIN:USER:PASSWORD),
#           MIT Kerberos its keys from KRB5_KTNAME.
#
# Exit status: 0 success, 1 authentication or transcript failure, 2 usage error.

import argparse
import os
import socket
import sys

import gssapi
import gssapi.raw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gssntlm_peer as peer  # noqa: E402  (framing and transcript helpers)

SPNEGO_MECH = gssapi.OID.from_int_seq("1.3.6.1.5.5.2")
MECHS = {
    "ntlm": gssapi.OID.from_int_seq("1.3.6.1.4.1.311.2.2.10"),
    "krb5": gssapi.OID.from_int_seq("1.2.840.113554.1.2.2"),
}


def log(role, text):
    print("spnego_peer[%s]: %s" % (role, text), flush=True)


def handshake(ctx, sock, first):
    token = first
    if token is not None:
        peer.send_frame(sock, token)
    while not ctx.complete:
        token = ctx.step(peer.recv_frame(sock, "handshake token"))
        if token:
            peer.send_frame(sock, token)


def run_client(args, sock):
    mech = MECHS[args.mech]
    if args.password is not None:
        name = gssapi.Name(args.user, gssapi.NameType.user if args.mech == "ntlm"
                           else gssapi.NameType.kerberos_principal)
        creds = gssapi.raw.acquire_cred_with_password(
            name, args.password.encode("utf-8"), usage="initiate", mechs=[SPNEGO_MECH]).creds
    else:
        creds = gssapi.Credentials(usage="initiate", mechs=[SPNEGO_MECH])
    gssapi.raw.set_neg_mechs(creds, [mech])
    target = gssapi.Name(args.target, gssapi.NameType.hostbased_service)
    ctx = peer.Context(name=target, creds=gssapi.Credentials(creds), mech=SPNEGO_MECH,
                       usage="initiate", flags=peer.flags_for(args),
                       channel_bindings=peer.bindings_for(args))
    handshake(ctx, sock, ctx.step())
    if ctx.mech != mech:
        raise peer.PeerError("negotiated %s, expected %s" % (ctx.mech, mech))
    verdict = peer.recv_frame(sock, "verdict")
    if not verdict.startswith(b"OK "):
        raise peer.PeerError("bad verdict %r" % verdict)
    log("client", "accepted as %s" % verdict[3:].decode("utf-8", "replace"))
    for r in range(args.rounds):
        peer.send_messages(ctx, sock, args, r, peer.MSG_I_SEAL, peer.MSG_I_SIGN)
        peer.receive_messages(ctx, sock, args, r, peer.MSG_A_SEAL, peer.MSG_A_SIGN, "acceptor")
    peer.send_frame(sock, b"BYE")
    log("client", "transcript complete")


def run_server(args, sock):
    mech = MECHS[args.mech]
    creds = gssapi.Credentials(usage="accept", mechs=[SPNEGO_MECH])
    gssapi.raw.set_neg_mechs(creds, [mech])
    ctx = peer.Context(creds=creds, usage="accept", channel_bindings=peer.bindings_for(args))
    handshake(ctx, sock, None)
    if ctx.mech != mech:
        raise peer.PeerError("negotiated %s, expected %s" % (ctx.mech, mech))
    user = peer.clean_name(ctx.initiator_name)
    log("server", "authenticated: %s" % user)
    if args.expect_user is not None and user.lower() != args.expect_user.lower():
        raise peer.PeerError("authenticated %r, expected %r" % (user, args.expect_user))
    peer.send_frame(sock, b"OK " + user.encode("utf-8"))
    for r in range(args.rounds):
        peer.receive_messages(ctx, sock, args, r, peer.MSG_I_SEAL, peer.MSG_I_SIGN, "initiator")
        peer.send_messages(ctx, sock, args, r, peer.MSG_A_SEAL, peer.MSG_A_SIGN)
    bye = peer.recv_frame(sock, "BYE")
    if bye != b"BYE":
        raise peer.PeerError("expected BYE, got %r" % bye)
    log("server", "transcript complete")


def main():
    p = argparse.ArgumentParser(description="SPNEGO GSS-API interop peer")
    role = p.add_mutually_exclusive_group(required=True)
    role.add_argument("--client", action="store_true", help="act as initiator")
    role.add_argument("--server", action="store_true", help="act as acceptor")
    p.add_argument("--mech", choices=sorted(MECHS), default="ntlm",
                   help="the one mechanism SPNEGO may negotiate")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", help="server: write the listening port here")
    p.add_argument("--user", help="client: DOMAIN\\user (ntlm) or user@REALM (krb5)")
    p.add_argument("--password", help="client: password (krb5: omit to use the ccache)")
    p.add_argument("--target", default="host@localhost",
                   help="client: target service name (service@host)")
    p.add_argument("--expect-user", help="server: required authenticated name")
    p.add_argument("--no-seal", action="store_true",
                   help="do not request confidentiality; skip wrap/unwrap")
    p.add_argument("--rounds", type=int, default=1, help="repeat the message phase")
    p.add_argument("--corrupt", choices=sorted(peer.CORRUPTIONS),
                   help="flip a bit in the first frame of this kind we send")
    p.add_argument("--cbt", help="channel bindings application data")
    p.add_argument("--trace", action="store_true", help="print every frame in hex")
    p.add_argument("--timeout", type=float, default=30.0)
    args = p.parse_args()
    peer.TRACE = args.trace
    role_name = "client" if args.client else "server"

    if args.client and (args.user is None or not args.port):
        p.error("--client needs --port and --user")
    if args.client and args.mech == "ntlm" and args.password is None:
        p.error("--mech ntlm needs --password")
    if args.rounds < 1 or args.rounds > 8:
        p.error("--rounds must be 1 to 8")
    if args.no_seal and args.corrupt is not None and args.corrupt.startswith("seal"):
        p.error("--corrupt %s needs sealing" % args.corrupt)
    if args.server and args.mech == "ntlm" and not os.environ.get("NTLM_USER_FILE"):
        p.error("--server needs NTLM_USER_FILE in the environment")

    try:
        if args.client:
            sock = socket.create_connection((args.host, args.port), timeout=args.timeout)
        else:
            lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            lsock.bind((args.host, args.port))
            lsock.listen(1)
            lsock.settimeout(args.timeout)
            port = lsock.getsockname()[1]
            if args.port_file:
                peer.write_port_file(args.port_file, port)
            log(role_name, "listening on %s:%d" % (args.host, port))
            sock, _ = lsock.accept()
            lsock.close()
            sock.settimeout(args.timeout)
    except OSError as e:
        log(role_name, "socket error: %s" % e)
        return 1

    try:
        with sock:
            try:
                if args.client:
                    run_client(args, sock)
                else:
                    run_server(args, sock)
            except (gssapi.exceptions.GSSError, peer.PeerError) as e:
                log(role_name, "FAILED: %s" % e)
                try:
                    peer.send_frame(sock, b"")
                except OSError:
                    pass
                return 1
    except OSError as e:
        log(role_name, "FAILED: socket error: %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
