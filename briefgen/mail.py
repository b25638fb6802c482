"""Send a written brief by mail: the PDF attached, a short At a glance as HTML and plain text.

SMTP settings come from the ``[mail]`` table of briefgen.toml (:class:`MailSettings`); the
password never sits in that file, only the name of the environment variable that holds it.
STARTTLS (or TLS from the start, on port 465) uses the default SSL context: the server's
certificate and name are verified, and a password is never sent over a connection without TLS.
Every failure is a :class:`MailError` whose message is one line.
"""

from __future__ import annotations

import html
import os
import smtplib
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

GLANCE_STORIES = 5
_SUBTYPES = {".pdf": ("application", "pdf"), ".html": ("text", "html")}


class MailError(Exception):
    """The brief could not be sent; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class MailSettings:
    host: str | None = None
    port: int | None = None  # default: 465 when implicit TLS, else 587 with STARTTLS, else 25
    starttls: bool = True
    user: str | None = None
    password_env: str | None = None  # name of the environment variable holding the password
    sender: str | None = None  # [mail] from
    to: tuple[str, ...] = ()
    timeout: float = 30.0

    @property
    def effective_port(self) -> int:
        return self.port or (587 if self.starttls else 25)


def check_address(address: str) -> str:
    """``address`` if it looks like a mail address (and cannot inject headers); else ValueError."""
    address = address.strip()
    local, _, domain = address.rpartition("@")
    if not local or ("." not in domain.strip(".") and domain != "localhost"):
        raise ValueError(f"not a mail address: {address!r}")
    if any(c.isspace() or c in '<>,;"' for c in address) or any(ord(c) < 32 for c in address):
        raise ValueError(f"not a mail address: {address!r}")
    return address


def compose(
    data: dict[str, Any],
    *,
    files: Sequence[Path],
    sender: str,
    to: Sequence[str],
) -> EmailMessage:
    """The message for the brief whose brief.json data is ``data``.

    The PDF among ``files`` is attached (the HTML when no PDF was written).
    """
    title = _title(data)
    message = EmailMessage()
    message["Subject"] = title
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    stories = _glance(data)
    message.set_content(_plain(title, data, stories))
    message.add_alternative(_html(title, data, stories), subtype="html")
    attachment = _attachment(files)
    if attachment is not None:
        maintype, subtype = _SUBTYPES[attachment.suffix.lower()]
        message.add_attachment(
            attachment.read_bytes(), maintype=maintype, subtype=subtype, filename=attachment.name
        )
    return message


def send(message: EmailMessage, settings: MailSettings) -> None:
    """Hand ``message`` to the SMTP server of ``settings``; raises :class:`MailError`."""
    if not settings.host:
        raise MailError("no SMTP server: set host in the [mail] table of briefgen.toml")
    password = None
    if settings.user:
        if not settings.password_env:
            raise MailError("[mail] user is set but password_env is not")
        password = os.environ.get(settings.password_env)
        if password is None:
            raise MailError(f"the environment variable {settings.password_env} is not set")
    implicit = settings.port == 465
    if password is not None and not (settings.starttls or implicit):
        raise MailError("refusing to send the SMTP password without TLS (set starttls = true)")
    context = ssl.create_default_context()
    where = f"{settings.host}:{settings.effective_port}"
    try:
        smtp: smtplib.SMTP
        if implicit:
            smtp = smtplib.SMTP_SSL(
                settings.host, settings.effective_port, timeout=settings.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(settings.host, settings.effective_port, timeout=settings.timeout)
        with smtp:
            smtp.ehlo()
            if settings.starttls and not implicit:
                smtp.starttls(context=context)
                smtp.ehlo()
            if settings.user and password is not None:
                smtp.login(settings.user, password)
            refused = smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"{where} refused the login ({_smtp_reason(exc)})") from None
    except smtplib.SMTPRecipientsRefused as exc:
        names = ", ".join(exc.recipients)
        raise MailError(f"{where} refused every recipient ({names})") from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(f"{where} answered {exc.smtp_code} ({_smtp_reason(exc)})") from None
    except smtplib.SMTPNotSupportedError:
        raise MailError(f"{where} does not offer STARTTLS") from None
    except ssl.SSLCertVerificationError as exc:
        raise MailError(f"{where}: TLS certificate not valid ({exc.verify_message})") from None
    except (smtplib.SMTPException, OSError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, TimeoutError):
            reason = f"timed out after {settings.timeout:g} s"
        raise MailError(f"cannot send through {where} ({reason})") from None
    if refused:
        raise MailError(f"{where} refused {', '.join(sorted(refused))}")


def _smtp_reason(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(str(text).split())


def _attachment(files: Iterable[Path]) -> Path | None:
    by_suffix = {p.suffix.lower(): p for p in files}
    return by_suffix.get(".pdf") or by_suffix.get(".html")


def _title(data: dict[str, Any]) -> str:
    period = data.get("period") or {}
    start, end = period.get("from"), period.get("to")
    span = f"{start} to {end}" if start and end and start != end else (start or end or "")
    return f"Weekly brief, {span}" if span else "Weekly brief"


def _glance(data: dict[str, Any]) -> list[dict[str, str]]:
    """The brief's leading stories: title, outlet, first summary line, link."""
    articles = {a["id"]: a for a in data.get("articles", [])}
    out: list[dict[str, str]] = []
    for story in data.get("stories", [])[:GLANCE_STORIES]:
        lead = articles.get(story["articles"][0]) if story.get("articles") else None
        line = story["summary"][0]["text"] if story.get("summary") else ""
        others = story.get("also_reported_by") or []
        out.append(
            {
                "title": story.get("title") or (lead or {}).get("title") or "",
                "outlet": story.get("source") or (lead or {}).get("source") or "",
                "line": line,
                "url": (lead or {}).get("url") or "",
                "also": ", ".join(others),
            }
        )
    return out


def _counts(data: dict[str, Any]) -> str:
    n = len(data.get("articles", []))
    return (
        f"{n} article{'s' if n != 1 else ''}, {len(data.get('actors', []))} actors, "
        f"{len(data.get('upcoming', []))} upcoming dates, {len(data.get('risks', []))} open risks"
    )


def _plain(title: str, data: dict[str, Any], stories: list[dict[str, str]]) -> str:
    lines = [title, "", _counts(data), "", "At a glance", ""]
    for i, s in enumerate(stories, start=1):
        lines.append(f"{i}. {s['title']}" + (f" ({s['outlet']})" if s["outlet"] else ""))
        if s["line"]:
            lines.append(f"   {s['line']}")
        if s["also"]:
            lines.append(f"   Also reported by {s['also']}")
        if s["url"]:
            lines.append(f"   {s['url']}")
    lines += ["", "The full brief is attached."]
    return "\n".join(lines) + "\n"


def _html(title: str, data: dict[str, Any], stories: list[dict[str, str]]) -> str:
    e = html.escape
    items = []
    for s in stories:
        head = e(s["title"])
        if s["url"].startswith(("https://", "http://")):
            head = f'<a href="{e(s["url"])}">{head}</a>'
        parts = [f"<strong>{head}</strong>"]
        if s["outlet"]:
            parts.append(f" <em>{e(s['outlet'])}</em>")
        if s["line"]:
            parts.append(f"<br>{e(s['line'])}")
        if s["also"]:
            parts.append(f"<br><small>Also reported by {e(s['also'])}</small>")
        items.append(f"<li>{''.join(parts)}</li>")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title></head><body>"
        f"<h1>{e(title)}</h1><p>{e(_counts(data))}</p>"
        f"<h2>At a glance</h2><ol>{''.join(items)}</ol>"
        "<p>The full brief is attached.</p></body></html>\n"
    )
