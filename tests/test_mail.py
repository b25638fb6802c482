"""Sending the brief: the message, and a local SMTP server that receives it with its PDF."""

from __future__ import annotations

import email
import email.policy
import socket
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest

from briefgen.cli import main
from briefgen.mail import MailError, MailSettings, check_address, compose, send


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class LocalSMTP:
    """Enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    refuse: set[str] = field(default_factory=set)  # recipients answered with 550
    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        smtp = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, text: str) -> None:
                self.wfile.write(text.encode() + b"\r\n")

            def handle(self) -> None:
                self.reply("220 test ESMTP")
                sender, rcpts = "", []
                while line := self.rfile.readline():
                    verb = line[:4].upper()
                    if verb == b"EHLO":
                        self.reply("250-test\r\n250-8BITMIME\r\n250 SIZE 20000000")
                    elif verb == b"HELO":
                        self.reply("250 test")
                    elif verb == b"MAIL":
                        sender = line.split(b":", 1)[1].split()[0].strip(b"<>").decode()
                        self.reply("250 ok")
                    elif verb == b"RCPT":
                        rcpt = line.split(b":", 1)[1].strip().strip(b"<>").decode()
                        if rcpt in smtp.refuse:
                            self.reply("550 no such user")
                        else:
                            rcpts.append(rcpt)
                            self.reply("250 ok")
                    elif verb == b"DATA":
                        self.reply("354 go ahead")
                        data = []
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                        message = email.message_from_bytes(
                            b"".join(data), policy=email.policy.default
                        )
                        smtp.received.append(Received(sender, rcpts, message))  # type: ignore[arg-type]
                        self.reply("250 queued")
                    elif verb in (b"RSET", b"NOOP"):
                        self.reply("250 ok")
                    elif verb == b"QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not implemented")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def smtp() -> Iterator[LocalSMTP]:
    server = LocalSMTP()
    yield server
    server.close()


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mail-cache")


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_cache: Path) -> Path:
    """One short article to brief; the builds of this module share one analysis cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "strike.md").write_text(
        "---\ntitle: Kelbrook dock strike ends\ndate: 2026-11-17\nsource: Northern Ledger\n"
        "url: https://example.org/strike\n---\n"
        "Dock workers in Kelbrook ended their strike on Tuesday. The union said talks with the "
        "port authority would resume on December 3, and warned that action could restart.\n",
        encoding="utf-8",
    )
    return inbox


def config(tmp_path: Path, port: int, **extra: str) -> Path:
    path = tmp_path / "briefgen.toml"
    lines = [
        "[mail]",
        'host = "127.0.0.1"',
        f"port = {port}",
        "starttls = false",
        'from = "desk@example.org"',
        'to = ["team@example.org"]',
        *(f"{k} = {v}" for k, v in extra.items()),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build_args(inbox: Path, out: Path, cfg: Path) -> list[str]:
    return [
        "build", str(inbox), "--out", str(out), "--format", "pdf,json", "--config", str(cfg),
        "--jobs", "1", "--issued", "2026-11-23",
    ]  # fmt: skip


def test_build_mails_the_brief_with_its_pdf(smtp: LocalSMTP, desk: Path, tmp_path: Path) -> None:
    cfg = config(tmp_path, smtp.port)
    out = tmp_path / "out"
    args = [*build_args(desk, out, cfg), "--mail-to", "lead@example.org", "--mail"]
    assert main(args) == 0
    (got,) = smtp.received
    assert got.sender == "desk@example.org"
    assert got.recipients == ["lead@example.org", "team@example.org"]
    message = got.message
    assert message["Subject"] == "Weekly brief, 2026-11-16 to 2026-11-22"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "brief-2026-W47.pdf"
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF") and pdf == (out / "brief-2026-W47.pdf").read_bytes()
    html = message.get_body(("html",)).get_content()
    plain = message.get_body(("plain",)).get_content()
    assert "At a glance" in html and "Kelbrook dock strike ends" in html
    assert "At a glance" in plain and "https://example.org/strike" in plain


def test_a_failed_send_says_why_and_keeps_the_files(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    out = tmp_path / "out"
    assert main([*build_args(desk, out, config(tmp_path, port)), "--mail"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"briefgen: the brief was written but not sent: cannot send through 127.0.0.1:{port}"
    )
    assert err.count("\n") == 1
    assert (out / "brief-2026-W47.pdf").is_file() and (out / "brief-2026-W47.json").is_file()


def test_mail_settings_are_checked_before_the_build(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "empty.toml"
    cfg.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    assert main([*build_args(desk, out, cfg), "--mail-to", "lead@example.org"]) == 2
    assert "no host in the [mail] table" in capsys.readouterr().err
    assert main([*build_args(desk, out, cfg), "--mail-to", "bad\r\nBcc: x@y.z"]) == 2
    assert "not a mail address" in capsys.readouterr().err
    assert not out.exists()


def brief_data(title: str = "Talks <script>alert(1)</script> resume") -> dict[str, object]:
    return {
        "period": {"from": "2026-11-16", "to": "2026-11-22"},
        "articles": [
            {"id": "a1", "title": title, "source": "Ledger", "url": "javascript:alert(1)"}
        ],
        "stories": [
            {
                "title": title,
                "articles": ["a1"],
                "source": "Ledger & Co",
                "also_reported_by": ["Post"],
                "summary": [{"article": "a1", "text": "Both sides met <b>twice</b>."}],
            }
        ],
    }


def test_the_message_is_escaped(tmp_path: Path) -> None:
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(b"%PDF-1.7 test")
    message = compose(brief_data(), files=[pdf], sender="desk@example.org", to=["a@example.org"])
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;twice&lt;/b&gt;" in html and "Ledger &amp; Co" in html
    assert "javascript:" not in html  # only http(s) links become links
    plain = message.get_body(("plain",)).get_content()
    assert "Talks <script>alert(1)</script> resume (Ledger & Co)" in plain
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"


def test_send_errors(smtp: LocalSMTP, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    message = compose(brief_data("x"), files=[], sender="desk@example.org", to=["gone@example.org"])
    plain = MailSettings(host="127.0.0.1", port=smtp.port, starttls=False)
    smtp.refuse.add("gone@example.org")
    with pytest.raises(MailError, match="refused every recipient"):
        send(message, plain)
    with_user = MailSettings(
        host="127.0.0.1", port=smtp.port, starttls=False, user="desk", password_env="BG_PW"
    )
    monkeypatch.delenv("BG_PW", raising=False)
    with pytest.raises(MailError, match="BG_PW is not set"):
        send(message, with_user)
    monkeypatch.setenv("BG_PW", "secret")
    with pytest.raises(MailError, match="without TLS"):
        send(message, with_user)
    with pytest.raises(MailError, match="no SMTP server"):
        send(message, MailSettings())


def test_addresses() -> None:
    assert check_address(" desk@example.org ") == "desk@example.org"
    for bad in ("desk", "@example.org", "a b@example.org", "a@example.org\r\nBcc: x@y.z", "a@b"):
        with pytest.raises(ValueError):
            check_address(bad)
