#!/usr/bin/python3
# tests/interop/gssntlm_peer.py - NTLM peer built on GSS-API (python3-gssapi + gss-ntlmssp)
#
# The independent implementation our SSPI NTLM package is tested against. It plays
# either role over TCP and follows the transcript below; tests/interop/sspi_peer.c
# follows the same transcript with the Windows SSPI API, so any pairing of the two
# programs (and of each with itself) must succeed.
#
# Run it with /usr/bin/python3 (Debian's python3-gssapi); gss-ntlmssp is loaded by
# MIT krb5's mechglue through /etc/gss/mech.d.
#
# Framing: every frame is a 4-byte big-endian length followed by that many bytes.
# A frame of length 0 means "I abort": the sender stops and closes the connection.
#
# Transcript (I = initiator/client, A = acceptor/server):
#   H   handshake: I sends its first token; then each side feeds every token it
#       receives to its context and sends the output token, if any, until its
#       context is complete. For NTLM: I->A NEGOTIATE, A->I CHALLENGE,
#       I->A AUTHENTICATE.
#   V   A->I  b"OK " + the authenticated client name, UTF-8 ("DOMAIN\user")
#   1   I->A  wrap(conf=1, MSG_I_SEAL)     gss form: 16-byte signature, sealed data
#   2   I->A  MSG_I_SIGN                   plaintext
#   3   I->A  get_mic(MSG_I_SIGN)          16-byte NTLM signature
#   4   A->I  wrap(conf=1, MSG_A_SEAL)
#   5   A->I  MSG_A_SIGN
#   6   A->I  get_mic(MSG_A_SIGN)
#   7   I->A  b"BYE"
# With --no-seal, confidentiality is not requested and frames 1 and 4 are left out.
# With --rounds N (both sides must agree), frames 1-6 are repeated N times; in round
# r (from 0) every message is its constant followed by r * 4099 bytes, byte k of them
# being (7 * k + r) mod 256, so later rounds carry 4, 8, 12... KiB.
# The receiver of 1-6 checks unwrap/verify succeed and the plaintext is the expected
# message; on any failure it sends an empty frame and exits non-zero.
#
# Sequence numbers: each direction numbers its wraps and MICs together from 0, in
# sending order (wrap 0, MIC 1, wrap 2, ...; MIC 0, 1, ... with --no-seal).
#
# --cbt DATA gives the context channel bindings whose only field is the application
# data DATA (UTF-8); addresses are left out (type 0, empty), as SSPI callers do.
#
# --corrupt WHAT makes this side flip one bit in the first frame of that kind it
# sends, so the peer must refuse it: seal-data (last byte of the wrap token),
# seal-sig (byte 4, in the signature's checksum), seal-seq (byte 12, the sequence
# number), mic (byte 4 of the MIC), mic-seq (byte 12 of the MIC).
#
# Server mode reads its users from NTLM_USER_FILE (lines DOMAIN:USER:PASSWORD), which
# gss-ntlmssp reads itself; it serves one connection, prints
# "authenticated: DOMAIN\user" and exits 0 when the whole transcript passed.
#
# Exit status: 0 success, 1 authentication or transcript failure, 2 usage error.
#
# Known gss-ntlmssp 1.2.0 behaviours worked around here:
#   - acceptor credentials given through a credential store crash it: users come
#     from NTLM_USER_FILE in the environment only;
#   - asking an acceptor context for its target name crashes it: never asked;
#   - names it returns end in a NUL byte: stripped;
#   - python-gssapi defers a step error that comes with an output token to the
#     next call: deferral is switched off so errors surface at the step.

import argparse
import os
import socket
import struct
import sys

import gssapi

NTLM_MECH = gssapi.OID.from_int_seq("1.3.6.1.4.1.311.2.2.10")

MSG_I_SEAL = b"OpenSSPI interop: sealed by the initiator \x00\x01\x7f\x80\xfe\xff"
MSG_I_SIGN = b"OpenSSPI interop: signed by the initiator"
MSG_A_SEAL = b"OpenSSPI interop: sealed by the acceptor \xff\xfe\x80\x7f\x01\x00"
MSG_A_SIGN = b"OpenSSPI interop: signed by the acceptor"
MAX_FRAME = 1 << 20
ROUND_EXTRA = 4099
CORRUPTIONS = {"seal-data": ("seal", -1), "seal-sig": ("seal", 4), "seal-seq": ("seal", 12),
               "mic": ("mic", 4), "mic-seq": ("mic", 12)}


class PeerError(Exception):
    pass


class Context(gssapi.SecurityContext):
    __DEFER_STEP_ERRORS__ = False


def log(role, text):
    print("gssntlm_peer[%s]: %s" % (role, text), flush=True)


TRACE = False


def trace(direction, data):
    if TRACE:
        print("gssntlm_peer: %s %d bytes: %s" % (direction, len(data), data.hex()), flush=True)


def send_frame(sock, data):
    trace("sent", data)
    sock.sendall(struct.pack(">I", len(data)) + data)


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise PeerError("connection closed by peer")
        buf += chunk
    return buf


def recv_frame(sock, what):
    (n,) = struct.unpack(">I", recv_exact(sock, 4))
    if n > MAX_FRAME:
        raise PeerError("frame too long (%d bytes) while waiting for %s" % (n, what))
    if n == 0:
        raise PeerError("peer aborted while we waited for %s" % what)
    data = recv_exact(sock, n)
    trace("received", data)
    return data


def clean_name(name):
    text = str(name)
    return text.rstrip("\x00")


def check_unwrap(ctx, token, expected, what):
    res = ctx.unwrap(token)
    if res.message != expected:
        raise PeerError("%s: unwrapped %d bytes %r..., expected %d bytes %r..."
                        % (what, len(res.message), res.message[:48], len(expected), expected[:48]))
    if not res.encrypted:
        raise PeerError("%s: unwrap says the message was not encrypted" % what)


def check_mic(ctx, message, mic, expected, what):
    if message != expected:
        raise PeerError("%s: got %d bytes %r..., expected %d bytes %r..."
                        % (what, len(message), message[:48], len(expected), expected[:48]))
    ctx.verify_signature(message, mic)


def round_message(base, r):
    return base + bytes((7 * k + r) & 0xFF for k in range(r * ROUND_EXTRA))


def corrupt(token, args, kind, r):
    """Flip a bit of token if --corrupt asks for it in this kind of frame (round 0)."""
    if args.corrupt is None or r != 0 or CORRUPTIONS[args.corrupt][0] != kind:
        return token
    pos = CORRUPTIONS[args.corrupt][1] % len(token)
    log("client" if args.client else "server", "corrupting byte %d of the %s token" % (pos, kind))
    return token[:pos] + bytes([token[pos] ^ 1]) + token[pos + 1:]


def send_messages(ctx, sock, args, r, sealed_msg, signed_msg):
    if not args.no_seal:
        res = ctx.wrap(round_message(sealed_msg, r), True)
        if not res.encrypted:
            raise PeerError("wrap did not encrypt")
        send_frame(sock, corrupt(res.message, args, "seal", r))
    signed = round_message(signed_msg, r)
    send_frame(sock, signed)
    send_frame(sock, corrupt(ctx.get_signature(signed), args, "mic", r))


def receive_messages(ctx, sock, args, r, sealed_msg, signed_msg, who):
    if not args.no_seal:
        check_unwrap(ctx, recv_frame(sock, "sealed message"), round_message(sealed_msg, r),
                     "sealed message %d from %s" % (r, who))
    msg = recv_frame(sock, "signed message")
    mic = recv_frame(sock, "MIC")
    check_mic(ctx, msg, mic, round_message(signed_msg, r), "signed message %d from %s" % (r, who))


def bindings_for(args):
    if args.cbt is None:
        return None
    return gssapi.raw.ChannelBindings(application_data=args.cbt.encode("utf-8"))


def flags_for(args):
    flags = gssapi.RequirementFlag.integrity
    if not args.no_seal:
        flags |= gssapi.RequirementFlag.confidentiality
    return flags


def run_client(args, sock):
    name = gssapi.Name(args.user, gssapi.NameType.user)
    creds = gssapi.raw.acquire_cred_with_password(
        name, args.password.encode("utf-8"), usage="initiate", mechs=[NTLM_MECH]).creds
    target = gssapi.Name(args.target, gssapi.NameType.hostbased_service)
    ctx = Context(name=target, creds=gssapi.Credentials(creds), mech=NTLM_MECH,
                  usage="initiate", flags=flags_for(args), channel_bindings=bindings_for(args))
    token = ctx.step()
    send_frame(sock, token)
    while not ctx.complete:
        token = ctx.step(recv_frame(sock, "handshake token"))
        if token:
            send_frame(sock, token)
    verdict = recv_frame(sock, "verdict")
    if not verdict.startswith(b"OK "):
        raise PeerError("bad verdict %r" % verdict)
    log("client", "accepted as %s" % verdict[3:].decode("utf-8", "replace"))
    for r in range(args.rounds):
        send_messages(ctx, sock, args, r, MSG_I_SEAL, MSG_I_SIGN)
        receive_messages(ctx, sock, args, r, MSG_A_SEAL, MSG_A_SIGN, "acceptor")
    send_frame(sock, b"BYE")
    log("client", "transcript complete")


def run_server(args, sock):
    creds = gssapi.Credentials(usage="accept", mechs=[NTLM_MECH])
    ctx = Context(creds=creds, usage="accept", channel_bindings=bindings_for(args))
    while not ctx.complete:
        token = ctx.step(recv_frame(sock, "handshake token"))
        if token:
            send_frame(sock, token)
    user = clean_name(ctx.initiator_name)
    log("server", "authenticated: %s" % user)
    if args.expect_user is not None and user.lower() != args.expect_user.lower():
        raise PeerError("authenticated %r, expected %r" % (user, args.expect_user))
    send_frame(sock, b"OK " + user.encode("utf-8"))
    for r in range(args.rounds):
        receive_messages(ctx, sock, args, r, MSG_I_SEAL, MSG_I_SIGN, "initiator")
        send_messages(ctx, sock, args, r, MSG_A_SEAL, MSG_A_SIGN)
    bye = recv_frame(sock, "BYE")
    if bye != b"BYE":
        raise PeerError("expected BYE, got %r" % bye)
    log("server", "transcript complete")


def write_port_file(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, path)


def main():
    p = argparse.ArgumentParser(description="NTLM GSS-API interop peer")
    role = p.add_mutually_exclusive_group(required=True)
    role.add_argument("--client", action="store_true", help="act as initiator")
    role.add_argument("--server", action="store_true", help="act as acceptor")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", help="server: write the listening port here")
    p.add_argument("--user", help="client: DOMAIN\\user")
    p.add_argument("--password", help="client: password")
    p.add_argument("--target", default="host@localhost",
                   help="client: target service name (service@host)")
    p.add_argument("--expect-user", help="server: required authenticated name")
    p.add_argument("--no-seal", action="store_true",
                   help="do not request confidentiality; skip wrap/unwrap")
    p.add_argument("--rounds", type=int, default=1, help="repeat the message phase")
    p.add_argument("--corrupt", choices=sorted(CORRUPTIONS),
                   help="flip a bit in the first frame of this kind we send")
    p.add_argument("--cbt", help="channel bindings application data")
    p.add_argument("--trace", action="store_true", help="print every frame in hex")
    p.add_argument("--timeout", type=float, default=30.0)
    args = p.parse_args()
    global TRACE
    TRACE = args.trace
    role_name = "client" if args.client else "server"

    if args.client and (args.user is None or args.password is None or not args.port):
        p.error("--client needs --port, --user and --password")
    if args.rounds < 1 or args.rounds > 8:
        p.error("--rounds must be 1 to 8")
    if args.no_seal and args.corrupt is not None and args.corrupt.startswith("seal"):
        p.error("--corrupt %s needs sealing" % args.corrupt)
    if args.server and not os.environ.get("NTLM_USER_FILE"):
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
                write_port_file(args.port_file, port)
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
            except (gssapi.exceptions.GSSError, PeerError) as e:
                log(role_name, "FAILED: %s" % e)
                try:
                    send_frame(sock, b"")
                except OSError:
                    pass
                return 1
    except OSError as e:
        log(role_name, "FAILED: socket error: %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
