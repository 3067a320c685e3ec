#!/usr/bin/env python3
"""Issue 14's mail test, end to end, with a real SMTP server (aiosmtpd, Tests/Mail/smtp_sink.py):

1. `valida serve --smtp-url smtp://127.0.0.1:PORT --mail-from …` runs on a fresh SQLite file;
2. `valida user invite` puts an invitation in the outbox; the sender delivers it;
3. the mailed link opens the invitation page, its form (fields read from the HTML, CSRF
   token included) sets a password, the person signs in with it; the link then is refused;
4. with the SMTP server stopped, a second invitation stays pending with attempts > 0;
   the server restarted, it arrives exactly once.

  python3 Tests/Mail/mail_e2e.py --valida .build/debug/valida [--workdir DIR]
Ports 18330 (SMTP) and 18331 (web).
"""
import argparse
import email
import email.policy
import html.parser
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SMTP_PORT = 18330
WEB_PORT = 18331
BASE = "http://127.0.0.1:%d" % WEB_PORT
PASSWORD = "Un mot de passe de test assez long 2026 !"


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def wait_for(what, predicate, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    fail("timed out after %d s waiting for %s" % (timeout, what))


class Sink:
    """The SMTP server, started and stopped at will on the same port and directory."""

    def __init__(self, directory):
        self.directory = directory
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "smtp_sink.py"), "--port", str(SMTP_PORT), "--dir", self.directory],
            stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("READY"):
            fail("the SMTP sink did not start: %r" % line)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None

    def messages(self, recipient=None):
        found = []
        for name in sorted(os.listdir(self.directory)):
            if not name.endswith(".eml"):
                continue
            with open(os.path.join(self.directory, name), "rb") as f:
                message = email.message_from_bytes(f.read(), policy=email.policy.default)
            with open(os.path.join(self.directory, name[:-4] + ".json")) as f:
                envelope = json.load(f)
            if recipient is None or recipient in envelope["rcpt_tos"]:
                found.append(message)
        return found


class Forms(html.parser.HTMLParser):
    """Every form of a page: its method, action and inputs (name, type, value)."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action") or "",
                               "inputs": []})
        elif tag == "input" and self.forms:
            self.forms[-1]["inputs"].append((attrs.get("name"), (attrs.get("type") or "text").lower(),
                                             attrs.get("value") or ""))


def forms(page):
    parser = Forms()
    parser.feed(page)
    return parser.forms


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, path, data=None):
        url = path if path.startswith("http") else BASE + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(url, data=body), timeout=30) as response:
                return response.status, response.headers, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", "replace")

    def submit(self, path, form, values):
        """Posts `form` (from `forms`) with its hidden fields as they are and `values` by input type."""
        data = {}
        for name, kind, value in form["inputs"]:
            if not name:
                continue
            data[name] = values.get(kind, value) if kind != "hidden" else value
        return self.request(form["action"] or path, data)


def valida(binary, *arguments):
    result = subprocess.run([binary, *arguments], capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        fail("valida %s: %s%s" % (" ".join(arguments), result.stdout, result.stderr))
    return result.stdout


def outbox(binary, database, recipient):
    """The line of `valida mail list` for `recipient`."""
    for line in valida(binary, "mail", "list", "--database", database).splitlines():
        if recipient in line:
            return line
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--valida", required=True)
    parser.add_argument("--workdir")
    args = parser.parse_args()
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        fail("aiosmtpd is needed: pip install -r Tests/requirements.txt")
    work = args.workdir or tempfile.mkdtemp(prefix="valida-mail-e2e-")
    os.makedirs(work, exist_ok=True)
    database = os.path.join(work, "mail-e2e.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(database + suffix):
            os.remove(database + suffix)
    mails = os.path.join(work, "mails")
    os.makedirs(mails, exist_ok=True)
    for name in os.listdir(mails):
        os.remove(os.path.join(mails, name))
    sink = Sink(mails)
    sink.start()
    log = open(os.path.join(work, "mail-e2e-serve.log"), "w")
    server = subprocess.Popen(
        [args.valida, "serve", "--database", database, "--port", str(WEB_PORT),
         "--smtp-url", "smtp://127.0.0.1:%d" % SMTP_PORT, "--mail-from", "valida@ecole.test",
         "--mail-retry-base-seconds", "1"],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        def ready():
            with open(log.name) as f:
                return "Valida est prêt" in f.read()
        wait_for("valida serve", ready, 180)
        with open(log.name) as f:
            started = f.read()
        if "Envoi des messages : smtp://127.0.0.1:%d" % SMTP_PORT not in started:
            fail("serve did not say where mail goes:\n" + started)

        # 1. An invitation, delivered.
        valida(args.valida, "user", "invite", "--database", database, "--email", "lea@example.test",
               "--name", "Léa Martin", "--role", "evaluator", "--base-url", BASE)
        delivered = wait_for("the invitation mail", lambda: sink.messages("lea@example.test"), 60)
        mail = delivered[0]
        if "Léa Martin" not in str(mail["to"]) or "lea@example.test" not in str(mail["to"]):
            fail("To header: %s" % mail["to"])
        if "valida@ecole.test" not in str(mail["from"]):
            fail("From header: %s" % mail["from"])
        text = mail.get_body(("plain",)).get_content()
        html_body = mail.get_body(("html",)).get_content()
        match = re.search(re.escape(BASE) + r"/invitation/[A-Za-z0-9_\-%.~]+", text)
        if not match:
            fail("no invitation link in the text:\n" + text)
        link = match.group(0)
        if link not in html_body:
            fail("the HTML part does not carry the same link")
        print("invitation delivered, link", link[:len(BASE) + 20] + "…")

        # 2. The link sets a password.
        browser = Browser()
        status, _, page = browser.request(link)
        if status != 200:
            fail("the invitation page answered %d" % status)
        form = next((f for f in forms(page) if f["method"] == "post"
                     and any(kind == "password" for _, kind, _ in f["inputs"])), None)
        if form is None:
            fail("no password form on the invitation page:\n" + page[:2000])
        status, headers, page = browser.submit(link, form, {"password": PASSWORD})
        if status >= 400:
            fail("setting the password answered %d:\n%s" % (status, page[:2000]))

        # 3. The person signs in.
        visitor = Browser()
        _, _, page = visitor.request("/login")
        login = next(f for f in forms(page) if f["method"] == "post"
                     and any(kind == "password" for _, kind, _ in f["inputs"]))
        status, headers, page = visitor.submit("/login", login, {"email": "lea@example.test", "text": "lea@example.test",
                                                                  "password": PASSWORD})
        if status not in (302, 303):
            fail("sign-in answered %d:\n%s" % (status, page[:2000]))
        status, _, home = visitor.request("/")
        if status != 200 or "Se déconnecter (Léa Martin)" not in home:
            fail("not signed in after choosing the password (%d)" % status)
        print("password set through the mailed link, signed in")

        # 4. The link works once.
        again = Browser()
        status, _, page = again.request(link)
        if any(kind == "password" for f in forms(page) for _, kind, _ in f["inputs"]):
            fail("the used link still shows the password form (%d)" % status)
        if form["action"]:
            status, _, page = again.submit(link, form, {"password": "Un autre mot de passe bien long 2027 !"})
            if status < 400 and "Se déconnecter" in page:
                fail("the used link set a password again")
        print("the used link is refused (%d)" % status)

        # 5. SMTP down: the second invitation waits, attempts counted; SMTP back: delivered once.
        sink.stop()
        valida(args.valida, "user", "invite", "--database", database, "--email", "ines@example.test",
               "--name", "Inès Petit", "--role", "evaluator", "--base-url", BASE)

        def tried():
            line = outbox(args.valida, database, "ines@example.test")
            m = re.search(r"essais : (\d+)", line or "")
            return line if line and " pending " in line and m and int(m.group(1)) >= 1 else None
        line = wait_for("a failed attempt while SMTP is down", tried, 60)
        print("SMTP down, still pending:", line)
        if sink.messages("ines@example.test"):
            fail("a message arrived while the server was down")
        sink.start()
        wait_for("the second invitation after SMTP came back", lambda: sink.messages("ines@example.test"), 90)
        time.sleep(6)
        count = len(sink.messages("ines@example.test"))
        if count != 1:
            fail("the second invitation arrived %d times" % count)
        line = outbox(args.valida, database, "ines@example.test")
        if " sent " not in line:
            fail("the outbox does not say sent: " + line)
        if len(sink.messages("lea@example.test")) != 1:
            fail("the first invitation was sent again")
        print("SMTP back: delivered exactly once:", line)
        print("mail e2e passed")
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        sink.stop()
        log.close()


if __name__ == "__main__":
    main()
