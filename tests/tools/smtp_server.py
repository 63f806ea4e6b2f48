"""A real SMTP server for the `send` tests (aiosmtpd), on 127.0.0.1 and a
port the system picks. Prints the port on its first line, then saves each
message it accepts as N.eml (the bytes received) and N.json (envelope).

usage: smtp_server.py OUT_DIR [--auth USER:PASSWORD] [--tls smtps|starttls]

With --tls it makes its own certificate authority (trustme), writes its
certificate to OUT_DIR/ca.pem and serves a certificate for 127.0.0.1 and
localhost signed by it: TLS from the first byte (smtps) or STARTTLS.
"""
import asyncio
import json
import logging
import socket
import ssl
import sys
import warnings
from pathlib import Path

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Saver:
    def __init__(self, out: Path):
        self.out = out
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = self.out / str(self.count)
        base.with_suffix(".eml").write_bytes(envelope.original_content)
        base.with_suffix(".json").write_text(json.dumps({
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "authenticated": bool(session.authenticated),
        }))
        return "250 OK"


def main():
    # AUTH without TLS is what the tests want (on 127.0.0.1); no warnings.
    warnings.simplefilter("ignore")
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    creds = None
    if "--auth" in sys.argv:
        user, password = sys.argv[sys.argv.index("--auth") + 1].split(":", 1)
        creds = (user.encode(), password.encode())

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == creds
        return AuthResult(success=ok, handled=False)

    tls = sys.argv[sys.argv.index("--tls") + 1] if "--tls" in sys.argv else None
    context = None
    if tls:
        import trustme

        ca = trustme.CA()
        ca.cert_pem.write_to_path(str(out / "ca.pem"))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)

    handler = Saver(out)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    loop = asyncio.new_event_loop()

    def factory():
        options = {}
        if creds:
            options.update(authenticator=authenticator, auth_required=True,
                           auth_require_tls=False)
        if tls == "starttls":
            options.update(tls_context=context, require_starttls=True)
        return SMTP(handler, **options)

    wrap = context if tls == "smtps" else None
    server = loop.run_until_complete(loop.create_server(factory, sock=sock, ssl=wrap))
    print(sock.getsockname()[1], flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    main()
