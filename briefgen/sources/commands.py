"""``briefgen fetch``, ``briefgen search``, and the archive and mail parts of ``briefgen build``.

:mod:`briefgen.cli` only registers these and calls them; each returns an exit status or raises
one of the one-line errors (:class:`ConfigError`, :class:`ArchiveError`, :class:`MailError`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.mail import MailError, MailSettings, check_address
from briefgen.sources.archive import Archive, ArchiveError
from briefgen.sources.config import ConfigError, load

if TYPE_CHECKING:
    from briefgen.doc import Brief
    from briefgen.ingest import Ingested


def _err(message: str) -> None:
    print(f"briefgen: {' '.join(message.split())}", file=sys.stderr)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return int(text)


# --- briefgen fetch ------------------------------------------------------------------------------


def add_fetch(sub: Any) -> None:
    p = sub.add_parser("fetch", help="fetch the configured [sources] into the archive")
    p.add_argument("--config", type=Path, metavar="FILE", help="briefgen.toml to use")
    p.add_argument("--archive", type=Path, metavar="PATH", help="archive file (SQLite)")


def fetch(args: argparse.Namespace) -> int:
    """One line per source on stdout: new N, unchanged, or failed (reason). Exit 0 unless the
    configuration or the archive cannot be used."""
    from briefgen.sources.run import fetch_all

    try:
        settings = load(args.config, archive=args.archive)
    except ConfigError as exc:
        _err(str(exc))
        return 2
    if not settings.has_sources:
        where = settings.file or "briefgen.toml (none found)"
        _err(f"nothing to fetch: no feeds, pages or folders in [sources] of {where}")
        return 2
    try:
        with Archive(settings.archive) as archive:
            outcomes = fetch_all(settings, archive, report=lambda line: print(line, flush=True))
            total = archive.count()
    except ArchiveError as exc:
        _err(str(exc))
        return 1
    except sqlite3.Error as exc:
        _err(f"the archive {settings.archive} cannot be written ({exc})")
        return 1
    new = sum(o.counts.new for o in outcomes)
    failed = sum(o.status == "failed" for o in outcomes)
    _err(
        f"{new} new article{'s' if new != 1 else ''}, {failed} source"
        f"{'s' if failed != 1 else ''} failed; {total} in {settings.archive}"
    )
    return 0


# --- briefgen search -----------------------------------------------------------------------------


def add_search(sub: Any) -> None:
    p = sub.add_parser("search", help="full-text search of the archive, best first")
    p.add_argument("query", nargs="+", metavar="QUERY", help="words, or an FTS5 query")
    p.add_argument("--archive", type=Path, metavar="PATH", help="archive file (SQLite)")
    p.add_argument("--config", type=Path, metavar="FILE", help="briefgen.toml ([archive] path)")
    p.add_argument("--limit", type=_positive, default=20, metavar="N", help="default 20")


def search(args: argparse.Namespace) -> int:
    """Date, outlet and title of each matching article, best first (bm25)."""
    try:
        path = args.archive or load(args.config).archive
        with Archive(path, create=False) as archive:
            hits = archive.search(" ".join(args.query), limit=args.limit)
    except ConfigError as exc:
        _err(str(exc))
        return 2
    except (ArchiveError, sqlite3.Error) as exc:
        _err(str(exc))
        return 1
    for hit in hits:
        print(f"{hit.day}  {hit.outlet or '-'}  {' '.join(hit.title.split()) or '(untitled)'}")
    if not hits:
        _err("no archived article matches")
    return 0


# --- briefgen build --archive / --mail-to --------------------------------------------------


def add_build_arguments(b: argparse.ArgumentParser) -> None:
    b.add_argument(
        "--archive",
        nargs="?",
        const="",
        metavar="PATH",
        help="also build from the article archive (no PATH: [archive] path, else the default)",
    )
    b.add_argument(
        "--mail-to",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="send the written brief to ADDRESS (repeatable); SMTP settings in [mail]",
    )
    b.add_argument("--mail", action="store_true", help="send the written brief to [mail] to")


def archive_input(args: argparse.Namespace) -> Ingested:
    """The archive's articles for the build's period, as one more input (one ``sources`` entry)."""
    from briefgen.ingest import Ingested
    from briefgen.pipeline import week_bounds
    from briefgen.sources.archive import as_input

    path = Path(args.archive) if args.archive else load(args.config).archive
    start: dt.date | None = args.start
    end: dt.date | None = args.end
    if args.week:
        start, end = week_bounds(args.week)
    newest = not (args.week or args.all or start or end)
    try:
        articles, record = as_input(path, start=start, end=end, newest_week=newest)
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot read the archive {path} ({exc})") from None
    return Ingested(articles=articles, sources=[record])


@dataclass(frozen=True, slots=True)
class MailPlan:
    settings: MailSettings
    sender: str
    to: tuple[str, ...]


def mail_plan(args: argparse.Namespace) -> MailPlan | None:
    """Whom to send the brief to, checked before the build; None when no mail is asked for."""
    if not (args.mail_to or args.mail):
        return None
    settings = load(args.config).mail
    try:
        to = [check_address(a) for a in args.mail_to]
    except ValueError as exc:
        raise ConfigError(f"--mail-to: {exc}") from None
    if args.mail:
        if not settings.to:
            raise ConfigError("--mail: no recipients in [mail] to")
        to += settings.to
    if not settings.host:
        raise ConfigError("cannot send mail: no host in the [mail] table of briefgen.toml")
    sender = settings.sender or settings.user or ""
    if "@" not in sender:
        raise ConfigError("cannot send mail: set from in the [mail] table of briefgen.toml")
    return MailPlan(settings=settings, sender=sender, to=tuple(dict.fromkeys(to)))


def send_brief(plan: MailPlan, brief: Brief, written: list[Path]) -> None:
    """Mail the written files of ``brief``; raises :class:`MailError`."""
    from briefgen.mail import compose, send
    from briefgen.render.data import to_data

    try:
        message = compose(to_data(brief), files=written, sender=plan.sender, to=plan.to)
    except (OSError, ValueError) as exc:
        raise MailError(f"cannot compose the message ({exc})") from None
    send(message, plan.settings)
