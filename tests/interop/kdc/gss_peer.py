#!/usr/bin/python3
"""tests/interop/kdc/gss_peer.py - MIT krb5 (python3-gssapi) Kerberos peer.

Plays the initiator or the acceptor of the transcript defined in krb_peer.c, with
the raw Kerberos mechanism (1.2.840.113554.1.2.2), against our SSPI peer. Sealed
messages are made with gss_wrap (a plain, unrotated RFC 4121 token, sent with
header length 0) or, with --iov, with gss_wrap_iov HEADER|DATA|PADDING (the SSPI
layout, sent with its lengths); they are unwrapped with gss_unwrap over
header || data || padding, except in DCE style where gss_unwrap_iov with the
sender's split is used (a DCE wrap is not a contiguous token).

Exit status: 0 transcript passed (or, with --expect-fail, the handshake failed),
1 failure, 2 usage.
"""
import argparse
import socket
import struct
import sys
import time

import gssapi
import gssapi.raw as graw
from gssapi.raw import IOV, IOVBufferType

KRB5 = gssapi.MechType.kerberos
MS_KRB5 = gssapi.OID.from_int_seq("1.2.840.48018.1.2.2")
MSG_C_SEAL = b"Kerberos interop: sealed by the initiator \x00\x01\x7f\x80\xfe\xff"
MSG_S_SEAL = b"Kerberos interop: sealed by the acceptor \xff\xfe\x80\x7f\x01\x00"
MSG_C_SIGN = b"Kerberos interop: signed by the initiator"
MSG_S_SIGN = b"Kerberos interop: signed by the acceptor"
ROUND_EXTRA = 4099

ROLE = "gss"


def log(*args):
    print("[%s]" % ROLE, *args, file=sys.stderr, flush=True)


class Peer:
    def __init__(self, sock):
        self.sock = sock

    def _read(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError("connection closed")
            buf += chunk
        return buf

    def send(self, kind, payload=b""):
        data = kind.encode() + payload
        self.sock.sendall(struct.pack(">I", len(data)) + data)

    def recv(self):
        (n,) = struct.unpack(">I", self._read(4))
        if n == 0 or n > (1 << 22):
            raise ValueError("bad frame length %d" % n)
        data = self._read(n)
        kind, payload = chr(data[0]), data[1:]
        if kind == "E":
            log("peer failed:", payload.decode(errors="replace"))
        return kind, payload

    def error(self, text):
        try:
            self.send("E", text.encode())
        except OSError:
            pass


def message(base, r):
    return base + bytes((7 * k + r) % 256 for k in range(r * ROUND_EXTRA))


def flags_of(spec):
    F = gssapi.RequirementFlag
    names = {
        "mutual": F.mutual_authentication,
        "delegate": F.delegate_to_peer,
        "dce": F.dce_style,
        "conf": F.confidentiality,
        "integ": F.integrity,
        "replay": F.replay_detection,
        "sequence": F.out_of_sequence_detection,
    }
    return [names[name] for name in spec.split(",") if name and name != "none"]


def bindings(app):
    if app is None:
        return None
    return gssapi.raw.ChannelBindings(application_data=app.encode())


def is_dce(ctx):
    return bool(ctx.actual_flags & gssapi.RequirementFlag.dce_style)


def seal(ctx, data, use_iov):
    """(frame payload) for a sealed message."""
    if use_iov or is_dce(ctx):
        iov = IOV(IOVBufferType.header, data, IOVBufferType.padding, std_layout=False)
        graw.wrap_iov(ctx, iov, confidential=True)
        header, body, padding = (iov[0].value or b""), (iov[1].value or b""), (iov[2].value or b"")
        return struct.pack(">II", len(header), len(padding)) + header + body + padding
    token = ctx.wrap(data, True).message
    return struct.pack(">II", 0, 0) + token


def unseal(ctx, payload):
    hl, pl = struct.unpack(">II", payload[:8])
    body = payload[8:]
    if is_dce(ctx):
        if hl == 0:
            raise ValueError("a DCE-style seal needs the sender's split")
        iov = IOV((IOVBufferType.header, False, body[:hl]), (IOVBufferType.data, False, body[hl:len(body) - pl]),
                  (IOVBufferType.padding, False, body[len(body) - pl:]), std_layout=False)
        graw.unwrap_iov(ctx, iov)
        return iov[1].value
    res = ctx.unwrap(body)
    if not res.encrypted:
        raise ValueError("message was not encrypted")
    return res.message


def transcript(peer, ctx, args, client):
    corrupt_wrap = args.corrupt == "wrap"
    corrupt_mic = args.corrupt == "mic"
    for r in range(args.rounds):
        cm, sm = message(MSG_C_SEAL, r), message(MSG_S_SEAL, r)
        cmic, smic = message(MSG_C_SIGN, r), message(MSG_S_SIGN, r)
        first = r == 0
        if not args.no_seal:
            if client:
                send_sealed(peer, ctx, cm, args, first and corrupt_wrap, first and args.replay)
                recv_sealed(peer, ctx, sm)
            else:
                recv_sealed(peer, ctx, cm)
                if first and args.replay:
                    recv_sealed(peer, ctx, cm)
                send_sealed(peer, ctx, sm, args, first and corrupt_wrap, False)
        if client:
            send_signed(peer, ctx, cmic, first and corrupt_mic)
            recv_signed(peer, ctx, smic)
        else:
            recv_signed(peer, ctx, cmic)
            send_signed(peer, ctx, smic, first and corrupt_mic)
    if client:
        peer.send("B")
    else:
        kind, _ = peer.recv()
        if kind != "B":
            raise ValueError("expected bye")


def send_sealed(peer, ctx, data, args, corrupt, twice):
    payload = bytearray(seal(ctx, data, args.iov))
    if corrupt:
        hl, pl = struct.unpack(">II", bytes(payload[:8]))
        payload[len(payload) - 1 - pl] ^= 0x01
    peer.send("W", bytes(payload))
    if twice:
        peer.send("W", bytes(payload))


def recv_sealed(peer, ctx, want):
    kind, payload = peer.recv()
    if kind != "W":
        raise ValueError("expected a sealed message, got %r" % kind)
    got = unseal(ctx, payload)
    if got != want:
        raise ValueError("unwrapped the wrong plaintext")


def send_signed(peer, ctx, data, corrupt):
    mic = bytearray(ctx.get_signature(data))
    if corrupt:
        mic[-1] ^= 0x01
    peer.send("S", struct.pack(">I", len(data)) + data + bytes(mic))


def recv_signed(peer, ctx, want):
    kind, payload = peer.recv()
    if kind != "S":
        raise ValueError("expected a signed message, got %r" % kind)
    (dl,) = struct.unpack(">I", payload[:4])
    data, mic = payload[4:4 + dl], payload[4 + dl:]
    if data != want:
        raise ValueError("signed message has the wrong text")
    ctx.verify_signature(data, mic)


def run_client(peer, args):
    name = gssapi.Name(args.target, gssapi.NameType.kerberos_principal)
    ctx = gssapi.SecurityContext(name=name, usage="initiate", mech=MS_KRB5 if args.ms_oid else KRB5,
                                 flags=flags_of(args.flags),
                                 channel_bindings=bindings(args.cbt))
    token = None
    try:
        while True:
            out = ctx.step(token)
            token = None
            server_done = False
            if out:
                peer.send("H", (b"K" if ctx.complete else b"C") + out)
                kind, payload = peer.recv()
                if kind != "H":
                    raise ValueError("the server stopped the handshake")
                server_done = payload[:1] == b"K"
                token = payload[1:]
            if ctx.complete:
                if token:
                    raise ValueError("a token after completion")
                break
            if not out:
                raise ValueError("continue without a token")
    except (gssapi.exceptions.GSSError, ValueError) as e:
        log("handshake failed:", e)
        peer.error("handshake")
        if args.expect_fail:
            log("failed as expected")
            return 0
        return 1
    if args.expect_fail:
        log("handshake succeeded, a failure was expected")
        return 1
    log("context established, flags", int(ctx.actual_flags))
    kind, payload = peer.recv()
    if kind != "V":
        return 1
    log("server says:", payload.decode())
    transcript(peer, ctx, args, True)
    return 0


def acceptor_creds(args):
    store = {"keytab": args.keytab} if args.keytab else None
    if store:
        return gssapi.Credentials(usage="accept", store=store, mechs=[KRB5])
    return gssapi.Credentials(usage="accept", mechs=[KRB5])


def check_delegation(ctx, args):
    creds = ctx.delegated_creds
    if creds is None:
        log("no delegated credentials")
        return False
    name = gssapi.Name(args.delegate_to, gssapi.NameType.kerberos_principal)
    c = gssapi.SecurityContext(name=name, usage="initiate", mech=KRB5, creds=creds)
    tok = c.step()
    s = gssapi.SecurityContext(usage="accept", creds=gssapi.Credentials(
        usage="accept", store={"keytab": args.delegate_keytab}, mechs=[KRB5]))
    s.step(tok)
    log("delegated TGT used: authenticated to", args.delegate_to, "as", s.initiator_name)
    return s.complete and str(s.initiator_name) == str(ctx.initiator_name)


def run_server(peer, args):
    ctx = gssapi.SecurityContext(usage="accept", creds=acceptor_creds(args), channel_bindings=bindings(args.cbt))
    ctx.__DEFER_STEP_ERRORS__ = False
    try:
        first = True
        while not ctx.complete:
            kind, payload = peer.recv()
            if kind != "H":
                raise ValueError("expected a handshake token")
            if first and args.delay_accept:
                time.sleep(args.delay_accept)
            first = False
            try:
                out = ctx.step(payload[1:]) or b""
            except gssapi.exceptions.GSSError as e:
                tok = getattr(e, "token", None)
                if tok:  # the KRB-ERROR, for the initiator to read
                    peer.send("H", b"K" + tok)
                raise
            peer.send("H", (b"K" if ctx.complete else b"C") + out)
    except (gssapi.exceptions.GSSError, ValueError, EOFError) as e:
        log("handshake failed:", type(e).__name__, e)
        peer.error("handshake")
        if args.expect_fail:
            log("failed as expected")
            return 0
        return 1
    if args.expect_fail:
        log("handshake succeeded, a failure was expected")
        return 1
    who = str(ctx.initiator_name)
    log("context established for", who, "flags", int(ctx.actual_flags))
    if args.expect_user and who != args.expect_user:
        log("authenticated", who, "expected", args.expect_user)
        peer.error("identity")
        return 1
    if args.delegate_to and not check_delegation(ctx, args):
        peer.error("delegation")
        return 1
    peer.send("V", ("OK " + who).encode())
    transcript(peer, ctx, args, False)
    return 0


def main():
    global ROLE
    p = argparse.ArgumentParser()
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--client", action="store_true")
    g.add_argument("--server", action="store_true")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--target", default="HTTP/server.opensspi.test")
    p.add_argument("--flags", default="mutual,conf,integ,replay,sequence")
    p.add_argument("--keytab")
    p.add_argument("--ms-oid", action="store_true", help="frame tokens with 1.2.840.48018.1.2.2")
    p.add_argument("--cbt")
    p.add_argument("--no-seal", action="store_true")
    p.add_argument("--iov", action="store_true")
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--corrupt", choices=["wrap", "mic"])
    p.add_argument("--replay", action="store_true")
    p.add_argument("--expect-user")
    p.add_argument("--expect-fail", action="store_true")
    p.add_argument("--delegate-to")
    p.add_argument("--delegate-keytab")
    p.add_argument("--delay-accept", type=int, default=0)
    args = p.parse_args()
    ROLE = "mit-client" if args.client else "mit-server"

    if args.server:
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", args.port))
        ls.listen(1)
        log("listening on 127.0.0.1:%d" % args.port)
        sock, _ = ls.accept()
        ls.close()
    else:
        sock = None
        for _ in range(100):
            try:
                sock = socket.create_connection(("127.0.0.1", args.port))
                break
            except OSError:
                time.sleep(0.1)
        if sock is None:
            log("cannot connect")
            return 1
    sock.settimeout(60)
    peer = Peer(sock)
    try:
        rc = run_client(peer, args) if args.client else run_server(peer, args)
    except (gssapi.exceptions.GSSError, ValueError, EOFError, OSError) as e:
        log("transcript failed:", type(e).__name__, e)
        peer.error("transcript")
        rc = 1
    if rc == 0 and not args.expect_fail:
        log("transcript passed")
    sock.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
