"""The article archive: one SQLite file, every article once, its history, and full-text search.

- ``articles``: one row per article, keyed by its canonical URL (:func:`canonical_url`: scheme
  and host in lower case, no default port, no fragment, no tracking parameters such as
  ``utm_*``), with a content hash of its title and text. The id (:func:`article_id`) is derived
  from the canonical URL, so it stays the same from run to run. ``day`` is the publication date,
  or the day the article was first fetched when the source gives none; periods are selected on
  it, through an index.
- ``origin``: the source whose text the article holds (a feed whose entries carry full text, or
  the article's own page). Only that source updates the article; another feed that carries the
  same link is recorded in ``article_sources`` and leaves the text alone, so the same article
  from two feeds is stored once and does not flip between two versions.
- ``versions``: the earlier title and text of an article that changed, with the time it changed.
- ``sources``: each configured source's caching headers (``ETag``, ``Last-Modified``), when it
  was last fetched and its last error; ``errors`` keeps every error with its time.
- ``robots``: each origin's robots.txt, so the next run asks for it conditionally, or not at all
  within a day.
- ``articles_fts``: an FTS5 index over title, text and outlet (external content, kept in step
  by triggers), ranked with bm25 for ``briefgen search``.

The database runs in WAL mode and every source's writes are one transaction (articles, links,
caching headers and robots.txt together), so a fetch killed at any point leaves the archive as it
was after the last source written: nothing half-stored, and no validator saved without the
articles it stands for.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from briefgen.doc import Article, SourceRecord
from briefgen.sources.fetch import RobotsEntry

SCHEMA_VERSION = "1"
ARCHIVE_NAME = "archive.sqlite"

# Query parameters that only track the reader: dropped from canonical URLs.
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid|"
    r"_ga|_gl|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|wt\.mc_id|cmpid|ncid|"
    r"ito|ocid|sr_share|at_medium|at_campaign)$",
    re.I,
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    n INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL UNIQUE,
    link TEXT,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    outlet TEXT NOT NULL,
    published TEXT,
    day TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    origin TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_day ON articles (day);
CREATE TABLE IF NOT EXISTS versions (
    article INTEGER NOT NULL REFERENCES articles (n),
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    outlet TEXT NOT NULL,
    published TEXT,
    content_hash TEXT NOT NULL,
    replaced TEXT NOT NULL,
    PRIMARY KEY (article, version)
);
CREATE TABLE IF NOT EXISTS article_sources (
    article INTEGER NOT NULL REFERENCES articles (n),
    source TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (article, source)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sources (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_fetched TEXT,
    last_status TEXT,
    error TEXT,
    error_at TEXT
);
CREATE TABLE IF NOT EXISTS errors (
    n INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    at TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS robots (
    origin TEXT PRIMARY KEY,
    fetched REAL NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT
);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5 (
    title, text, outlet, content='articles', content_rowid='n',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text, outlet)
    VALUES (new.n, new.title, new.text, new.outlet);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text, outlet)
    VALUES ('delete', old.n, old.title, old.text, old.outlet);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF title, text, outlet ON articles
BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text, outlet)
    VALUES ('delete', old.n, old.title, old.text, old.outlet);
    INSERT INTO articles_fts (rowid, title, text, outlet)
    VALUES (new.n, new.title, new.text, new.outlet);
END;
"""


class ArchiveError(Exception):
    """The archive cannot be opened or used; the message says why, in one line."""


def default_path() -> Path:
    """``$XDG_DATA_HOME/briefgen/archive.sqlite`` (the platform's user data folder)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("briefgen")) / ARCHIVE_NAME


def canonical_url(url: str) -> str:
    """``url`` with scheme and host in lower case, no default port, user, fragment or trackers.

    The remaining query parameters are sorted, so their order does not make two articles.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and (scheme, port) not in {("http", 80), ("https", 443)}:
        host = f"{host}:{port}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    )
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def article_id(key: str) -> str:
    """The stable id of the article whose canonical URL (or key) is ``key``."""
    return "web-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def content_hash(title: str, text: str) -> str:
    normal = " ".join(title.split()) + "\n" + " ".join(text.split())
    return hashlib.sha256(normal.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Item:
    """An article as a source gives it, ready to be archived."""

    key: str  # canonical URL, or another unique key for records without one
    link: str | None  # the URL as published
    title: str
    text: str | None  # None: only carried by this source; the text comes from elsewhere
    outlet: str
    published: dt.date | None
    origin: str  # the source the text comes from


@dataclass(slots=True)
class Counts:
    new: int = 0
    updated: int = 0
    known: int = 0


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    day: str
    outlet: str
    title: str
    link: str | None
    score: float


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Archive:
    """An open archive. ``create=False`` refuses a missing file instead of making one."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise ArchiveError(f"no archive at {self.path} (briefgen fetch creates it)")
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(f"cannot open the archive {self.path}: {exc}") from None
        try:
            self._setup(create)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise ArchiveError(f"{self.path} is not a usable archive ({exc})") from None
        except ArchiveError:
            self._db.close()
            raise

    def _setup(self, create: bool) -> None:
        db = self._db
        db.execute("PRAGMA busy_timeout = 30000")
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "meta" not in tables:
            raise ArchiveError(f"{self.path} is an SQLite file but not a briefgen archive")
        if "meta" in tables:
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None or row[0] != SCHEMA_VERSION:
                found = row[0] if row else "none"
                raise ArchiveError(
                    f"{self.path}: archive schema {found}, this briefgen reads {SCHEMA_VERSION}"
                )
        elif not create:
            raise ArchiveError(f"{self.path} is empty, not an archive")
        if db.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
            raise ArchiveError(f"{self.path}: cannot switch the archive to WAL mode")
        db.execute("PRAGMA synchronous = NORMAL")  # with WAL: consistent after any crash
        db.execute("PRAGMA foreign_keys = ON")
        if "meta" not in tables:
            # One transaction: a new archive has all of its schema or none of it.
            db.executescript(
                "BEGIN IMMEDIATE;"
                + _SCHEMA
                + f"INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', '{SCHEMA_VERSION}');"
                + "COMMIT;"
            )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is kept, or none of it."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- what a fetch run reads ---------------------------------------------------------------

    def validators(self, source: str) -> tuple[str | None, str | None]:
        """The ``ETag`` and ``Last-Modified`` kept for ``source``."""
        row = self._db.execute(
            "SELECT etag, last_modified FROM sources WHERE url = ?", (source,)
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def knows(self, key: str) -> bool:
        row = self._db.execute("SELECT 1 FROM articles WHERE url = ?", (key,)).fetchone()
        return row is not None

    def robots(self) -> dict[str, RobotsEntry]:
        rows = self._db.execute(
            "SELECT origin, fetched, status, body, etag, last_modified FROM robots"
        )
        return {r[0]: RobotsEntry(*r) for r in rows}

    # --- what a fetch run writes: one transaction per source -----------------------------------

    def store(
        self,
        source: str,
        kind: str,
        items: Iterable[Item],
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        robots: Iterable[RobotsEntry] = (),
    ) -> Counts:
        """Archive what ``source`` gave, with its caching headers, in one transaction."""
        counts = Counts()
        now = _now()
        with self.transaction() as db:
            for item in items:
                outcome = self._store_item(db, item, source, now)
                if outcome == "new":
                    counts.new += 1
                elif outcome == "updated":
                    counts.updated += 1
                elif outcome == "known":
                    counts.known += 1
            self._source(db, source, kind, now, "ok", etag=etag, last_modified=last_modified)
            self._robots(db, robots)
        return counts

    def not_modified(self, source: str, kind: str, *, robots: Iterable[RobotsEntry] = ()) -> None:
        """``source`` answered 304: note when, keep its caching headers."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO sources (url, kind, last_fetched, last_status) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (url) DO UPDATE SET last_fetched = excluded.last_fetched, "
                "last_status = excluded.last_status, error = NULL, error_at = NULL",
                (source, kind, _now(), "unchanged"),
            )
            self._robots(db, robots)

    def failed(
        self, source: str, kind: str, reason: str, *, robots: Iterable[RobotsEntry] = ()
    ) -> None:
        """``source`` could not be fetched: keep the reason and the time, and its old headers."""
        now = _now()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO sources (url, kind, last_status, error, error_at) "
                "VALUES (?, ?, 'failed', ?, ?) ON CONFLICT (url) DO UPDATE SET "
                "last_status = 'failed', error = excluded.error, error_at = excluded.error_at",
                (source, kind, reason, now),
            )
            db.execute(
                "INSERT INTO errors (source, at, reason) VALUES (?, ?, ?)", (source, now, reason)
            )
            self._robots(db, robots)

    def keep_robots(self, entries: Iterable[RobotsEntry]) -> None:
        with self.transaction() as db:
            self._robots(db, entries)

    def _store_item(self, db: sqlite3.Connection, item: Item, source: str, now: str) -> str:
        row = db.execute(
            "SELECT n, content_hash, origin, version, title, text, outlet, published "
            "FROM articles WHERE url = ?",
            (item.key,),
        ).fetchone()
        outcome = "known"
        published = item.published.isoformat() if item.published else None
        if row is None:
            if item.text is None or not item.text.strip():
                return "skipped"
            cursor = db.execute(
                "INSERT INTO articles (id, url, link, title, text, outlet, published, day, "
                "content_hash, origin, first_seen, last_seen) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article_id(item.key),
                    item.key,
                    item.link,
                    item.title,
                    item.text,
                    item.outlet,
                    published,
                    published or now[:10],
                    content_hash(item.title, item.text),
                    item.origin,
                    now,
                    now,
                ),
            )
            n = cursor.lastrowid
            outcome = "new"
        else:
            n, old_hash, origin, version, *old = row
            new_hash = content_hash(item.title, item.text) if item.text else old_hash
            if item.text and origin == item.origin and new_hash != old_hash:
                db.execute(
                    "INSERT INTO versions (article, version, title, text, outlet, published, "
                    "content_hash, replaced) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (n, version, *old, old_hash, now),
                )
                db.execute(
                    "UPDATE articles SET title = ?, text = ?, outlet = ?, "
                    "published = coalesce(?, published), day = coalesce(?, day), "
                    "content_hash = ?, version = version + 1, last_seen = ? WHERE n = ?",
                    (
                        item.title,
                        item.text,
                        item.outlet,
                        published,
                        published,
                        new_hash,
                        now,
                        n,
                    ),
                )
                outcome = "updated"
            else:
                db.execute("UPDATE articles SET last_seen = ? WHERE n = ?", (now, n))
        db.execute(
            "INSERT OR IGNORE INTO article_sources (article, source, first_seen) VALUES (?, ?, ?)",
            (n, source, now),
        )
        return outcome

    @staticmethod
    def _source(
        db: sqlite3.Connection,
        source: str,
        kind: str,
        now: str,
        status: str,
        *,
        etag: str | None,
        last_modified: str | None,
    ) -> None:
        db.execute(
            "INSERT INTO sources (url, kind, etag, last_modified, last_fetched, last_status) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET kind = excluded.kind, "
            "etag = excluded.etag, last_modified = excluded.last_modified, "
            "last_fetched = excluded.last_fetched, last_status = excluded.last_status, "
            "error = NULL, error_at = NULL",
            (source, kind, etag, last_modified, now, status),
        )

    @staticmethod
    def _robots(db: sqlite3.Connection, entries: Iterable[RobotsEntry]) -> None:
        db.executemany(
            "INSERT OR REPLACE INTO robots (origin, fetched, status, body, etag, last_modified) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(e.origin, e.fetched, e.status, e.body, e.etag, e.last_modified) for e in entries],
        )

    # --- reading ------------------------------------------------------------------------------

    def newest_day(self) -> dt.date | None:
        row = self._db.execute("SELECT max(day) FROM articles").fetchone()
        return dt.date.fromisoformat(row[0]) if row and row[0] else None

    def select(self, start: dt.date | None = None, end: dt.date | None = None) -> list[Article]:
        """Articles whose day is within ``start``..``end`` (each end optional), oldest first."""
        from briefgen.ingest import InputError, article_from_record

        sql = "SELECT id, link, title, text, outlet, published, day FROM articles"
        where, args = [], []
        if start:
            where.append("day >= ?")
            args.append(start.isoformat())
        if end:
            where.append("day <= ?")
            args.append(end.isoformat())
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY day, id"
        out: list[Article] = []
        for aid, link, title, text, outlet, published, day in self._db.execute(sql, args):
            warnings = [] if published else [f"date assumed: first fetched on {day}"]
            record = {"id": aid, "title": title, "text": text, "source": outlet, "url": link}
            record["date"] = day
            try:
                article = article_from_record(record, path=self.path, warnings=warnings)
            except InputError:
                continue  # an empty text cannot be briefed
            out.append(article)
        return out

    def search(self, query: str, *, limit: int = 20) -> list[Hit]:
        """Articles matching ``query`` (FTS5 syntax, else plain words), best first."""
        if not query.strip():
            return []
        sql = (
            "SELECT a.id, a.day, a.outlet, a.title, a.link, "
            "bm25(articles_fts, 10.0, 1.0, 2.0) AS score "
            "FROM articles_fts JOIN articles a ON a.n = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY score LIMIT ?"
        )
        try:
            rows = self._db.execute(sql, (query, limit)).fetchall()
        except sqlite3.OperationalError:
            # Not a valid FTS5 query (a stray quote, a bare operator): search the words.
            words = " ".join('"' + w.replace('"', '""') + '"' for w in query.split())
            rows = self._db.execute(sql, (words, limit)).fetchall()
        return [Hit(*r) for r in rows]

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def integrity(self) -> str:
        """``ok``, or what SQLite's integrity check found."""
        rows = self._db.execute("PRAGMA integrity_check").fetchall()
        return "; ".join(str(r[0]) for r in rows)


def as_input(
    path: Path,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    newest_week: bool = False,
) -> tuple[list[Article], SourceRecord]:
    """The archive's articles for a build, and the one ``sources`` entry that stands for them.

    ``newest_week``: the ISO week of the newest article (the build's default period).
    """
    from briefgen.pipeline import week_bounds
    from briefgen.timex import iso_week

    with Archive(path, create=False) as archive:
        if newest_week:
            newest = archive.newest_day()
            if newest is not None:
                start, end = week_bounds(iso_week(newest))
        articles = archive.select(start, end)
    record = SourceRecord(
        path=str(path),
        status="included" if articles else "skipped",
        reason=None if articles else "no archived articles in the period",
        articles=[a.id for a in articles],
    )
    return articles, record
