#!/usr/bin/env python3
"""A real SMTP server for Valida's mail tests (aiosmtpd): every message it accepts is written
to DIR as NNN.eml with NNN.json beside it (envelope, TLS, login).

  python3 smtp_sink.py --port 18301 --dir /tmp/mails [--starttls CERT KEY] [--implicit-tls CERT KEY]
                       [--auth USER:PASSWORD] [--mechanisms PLAIN,LOGIN]

Recipients whose address starts with `reject` get 550 at RCPT TO, `tempfail` 451.
Prints `READY <port>` once it listens; stops on SIGTERM or SIGINT.
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 mailbox unavailable"
        if address.startswith("tempfail"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            count = len([n for n in os.listdir(self.directory) if n.endswith(".eml")])
            base = os.path.join(self.directory, "%03d" % (count + 1))
            with open(base + ".json.tmp", "w") as f:
                login = getattr(session, "valida_login", None)
                json.dump(
                    {
                        "mail_from": envelope.mail_from,
                        "rcpt_tos": envelope.rcpt_tos,
                        "tls": session.ssl is not None,
                        "authenticated": bool(getattr(session, "authenticated", False)),
                        "login": login.decode() if isinstance(login, bytes) else login,
                    },
                    f,
                )
            with open(base + ".eml.tmp", "wb") as f:
                f.write(envelope.original_content)
            os.rename(base + ".json.tmp", base + ".json")
            os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 accepted"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth", metavar="USER:PASSWORD")
    parser.add_argument("--mechanisms", default="PLAIN,LOGIN")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    kwargs = {}
    if args.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.starttls)
        kwargs.update(tls_context=context, require_starttls=True)
    if args.implicit_tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.implicit_tls)
        kwargs.update(ssl_context=context)
    if args.auth:
        user, password = args.auth.split(":", 1)
        offered = set(args.mechanisms.split(","))

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login.decode() == user
                and auth_data.password.decode() == password
            )
            if ok:
                session.valida_login = auth_data.login
            # handled=False: aiosmtpd then answers 535 itself (by default it says nothing).
            return AuthResult(success=ok, handled=False)

        kwargs.update(
            authenticator=authenticator,
            auth_required=True,
            # With implicit TLS aiosmtpd does not see the connection as encrypted.
            auth_require_tls=not args.implicit_tls,
            auth_exclude_mechanism=[m for m in ("PLAIN", "LOGIN") if m not in offered],
        )
    controller = Controller(Sink(args.dir), hostname="127.0.0.1", port=args.port, **kwargs)
    controller.start()
    print("READY %d" % args.port, flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    # Polled: a bare wait() is not interrupted by the signal on every Python.
    while not stop.wait(0.2):
        pass
    controller.stop()


if __name__ == "__main__":
    sys.exit(main())
