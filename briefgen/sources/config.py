"""The ``[sources]``, ``[fetch]``, ``[archive]`` and ``[mail]`` tables of briefgen.toml.

The file is found and parsed by :func:`briefgen.render.read_config`, as for ``[render]``; this
module only checks the tables. Relative paths are taken from the config file's folder. An
unknown key or a value of the wrong type is a :class:`ConfigError` naming the file and the key.

```toml
[sources]
feeds = ["https://example.org/world.rss"]
pages = ["https://example.org/2025/09/16/article.html"]
folders = ["~/news/inbox"]

[fetch]
allow_private = false      # true to fetch from private, loopback, link-local addresses
allow_networks = []        # or only these networks, e.g. ["10.20.0.0/16"]
timeout = 15               # seconds, per connect and per read
max_bytes = 5000000        # largest body read
delay = 1.0                # seconds between two requests to the same host
max_redirects = 5
workers = 4                # hosts fetched at the same time

[archive]
path = "~/briefs/archive.sqlite"

[mail]
host = "smtp.example.org"
port = 587
starttls = true
user = "desk@example.org"
password_env = "BRIEFGEN_SMTP_PASSWORD"
from = "desk@example.org"
to = ["team@example.org"]
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from briefgen.mail import MailSettings, check_address
from briefgen.sources.archive import default_path
from briefgen.sources.fetch import (
    DEFAULT_DELAY,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_REDIRECTS,
    DEFAULT_TIMEOUT,
    Policy,
)

DEFAULT_WORKERS = 4

_KEYS = {
    "sources": {"feeds", "pages", "folders"},
    "fetch": {
        "allow_private",
        "allow_networks",
        "timeout",
        "max_bytes",
        "delay",
        "max_redirects",
        "workers",
    },
    "archive": {"path"},
    "mail": {"host", "port", "starttls", "user", "password_env", "from", "to", "timeout"},
}


class ConfigError(ValueError):
    """briefgen.toml cannot be used; the message names the file and the setting."""


@dataclass(frozen=True, slots=True)
class Settings:
    file: Path | None
    feeds: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    folders: tuple[Path, ...] = ()
    policy: Policy = field(default_factory=Policy)
    workers: int = DEFAULT_WORKERS
    archive: Path = field(default_factory=default_path)
    mail: MailSettings = field(default_factory=MailSettings)

    @property
    def has_sources(self) -> bool:
        return bool(self.feeds or self.pages or self.folders)


def load(path: Path | None = None, *, archive: Path | None = None) -> Settings:
    """The settings in ``path`` (default: as for ``[render]``); ``archive`` overrides the file."""
    from briefgen.config import read_config

    if path is not None and not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        found, data = read_config(path)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return parse(data, file=found, archive=archive)


def parse(data: dict[str, Any], *, file: Path | None, archive: Path | None = None) -> Settings:
    """:class:`Settings` from an already parsed config (``file``: where it came from)."""
    where = str(file) if file else "briefgen.toml"
    base = file.parent if file else Path.cwd()
    tables: dict[str, dict[str, Any]] = {}
    for name, known in _KEYS.items():
        table = data.get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: [{name}] must be a table")
        unknown = sorted(set(table) - known)
        if "password" in unknown and name == "mail":
            raise ConfigError(
                f"{where}: [mail] password is not read from the file; put it in an environment "
                "variable and name that variable in password_env"
            )
        if unknown:
            raise ConfigError(f"{where}: unknown [{name}] setting {unknown[0]!r}")
        tables[name] = table
    check = _Checker(where)
    src, fetch, arch, mail = tables["sources"], tables["fetch"], tables["archive"], tables["mail"]

    feeds = tuple(
        dict.fromkeys(check.url(u, "sources", "feeds") for u in check.strings(src, "feeds"))
    )
    pages = tuple(
        dict.fromkeys(check.url(u, "sources", "pages") for u in check.strings(src, "pages"))
    )
    folders = tuple(
        dict.fromkeys(_path(f, base) for f in check.strings(src, "folders", section="sources"))
    )
    timeout = check.number(fetch, "timeout", DEFAULT_TIMEOUT)
    max_bytes = check.integer(fetch, "max_bytes", DEFAULT_MAX_BYTES)
    max_redirects = check.integer(fetch, "max_redirects", DEFAULT_MAX_REDIRECTS, low=0)
    delay = check.number(fetch, "delay", DEFAULT_DELAY, low=0.0)
    allow_private = check.boolean(fetch, "allow_private", False)
    networks = tuple(check.strings(fetch, "allow_networks", section="fetch"))
    try:
        policy = Policy(
            timeout=timeout,
            max_bytes=max_bytes,
            max_redirects=max_redirects,
            delay=delay,
            allow_private=allow_private,
            allow_networks=networks,
        )
    except ValueError as exc:
        raise ConfigError(f"{where}: [fetch] {exc}") from None
    workers = check.integer(fetch, "workers", DEFAULT_WORKERS, section="fetch")

    if archive is None and "path" in arch:
        if not isinstance(arch["path"], str) or not arch["path"].strip():
            raise ConfigError(f"{where}: [archive] path must be a non-empty string")
        archive = _path(arch["path"], base)
    return Settings(
        file=file,
        feeds=feeds,
        pages=pages,
        folders=folders,
        policy=policy,
        workers=workers,
        archive=archive or default_path(),
        mail=_mail(mail, check),
    )


def _mail(table: dict[str, Any], check: _Checker) -> MailSettings:
    to = table.get("to", [])
    if isinstance(to, str):
        to = [to]
    try:
        recipients = tuple(
            check_address(a) for a in check.strings({"to": to}, "to", section="mail")
        )
        sender = table.get("from")
        if sender is not None:
            if not isinstance(sender, str):
                raise ValueError("from must be a string")
            sender = check_address(sender)
    except ValueError as exc:
        raise ConfigError(f"{check.where}: [mail] {exc}") from None
    port = table.get("port")
    if port is not None and (not isinstance(port, int) or isinstance(port, bool)):
        raise ConfigError(f"{check.where}: [mail] port must be a whole number")
    if port is not None and not 0 < port < 65536:
        raise ConfigError(f"{check.where}: [mail] port must be between 1 and 65535")
    for key in ("host", "user", "password_env"):
        if key in table and not isinstance(table[key], str):
            raise ConfigError(f"{check.where}: [mail] {key} must be a string")
    return MailSettings(
        host=table.get("host") or None,
        port=port,
        starttls=check.boolean(table, "starttls", True, section="mail"),
        user=table.get("user") or None,
        password_env=table.get("password_env") or None,
        sender=sender,
        to=recipients,
        timeout=check.number(table, "timeout", 30.0, section="mail"),
    )


def _path(text: str, base: Path) -> Path:
    return (base / Path(text).expanduser()).resolve()


@dataclass(frozen=True, slots=True)
class _Checker:
    where: str

    def fail(self, section: str, key: str, what: str) -> ConfigError:
        return ConfigError(f"{self.where}: [{section}] {key} must be {what}")

    def strings(self, table: dict[str, Any], key: str, *, section: str = "sources") -> list[str]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(section, key, "a list of non-empty strings")
        return [v.strip() for v in value]

    def url(self, url: str, section: str, key: str) -> str:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"{self.where}: [{section}] {key}: not an http(s) URL: {url!r}")
        return url

    def boolean(
        self, table: dict[str, Any], key: str, default: bool, *, section: str = "fetch"
    ) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(section, key, "true or false")
        return value

    def number(
        self,
        table: dict[str, Any],
        key: str,
        default: float,
        *,
        low: float | None = None,
        section: str = "fetch",
    ) -> float:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(section, key, "a number")
        if (low is None and value <= 0) or (low is not None and value < low):
            raise self.fail(section, key, "positive" if low is None else f"at least {low:g}")
        return float(value)

    def integer(
        self,
        table: dict[str, Any],
        key: str,
        default: int,
        *,
        low: int = 1,
        section: str = "fetch",
    ) -> int:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise self.fail(section, key, f"a whole number of at least {low}")
        return value
