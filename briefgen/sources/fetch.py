"""A polite, safe HTTP(S) fetcher, standard library only.

One :class:`Fetcher` per fetch run. Each :meth:`Fetcher.get`:

- accepts ``http`` and ``https`` URLs only, and never downgrades from https to http;
- asks robots.txt first (fetched once per origin, kept 24 hours, ``Crawl-delay`` honoured up to
  :data:`MAX_CRAWL_DELAY`), as the ``briefgen`` user agent;
- waits its turn per host (``delay`` seconds between two requests to the same host, robots.txt
  included), so a feed whose entries are fetched one by one does not hammer its server;
- sends ``If-None-Match`` / ``If-Modified-Since`` when validators are given, so an unchanged
  source costs a 304;
- resolves the host itself and connects only to addresses that are allowed, then checks the
  address the socket is actually connected to: private, loopback, link-local, multicast,
  reserved and unspecified addresses are refused unless ``allow_private`` (or the address is in
  ``allow_networks``). Every hop of a redirect is a new connection and is checked again, so
  neither a redirect nor DNS rebinding reaches an internal address. Proxy settings from the
  environment are ignored for the same reason;
- verifies TLS with the default context (certificate and host name), with no fallback;
- follows at most ``max_redirects`` redirects itself, and stops at a loop;
- gives up after ``timeout`` seconds on a connect or a read, and after ``4 * timeout`` for the
  whole response (a watchdog shuts the socket), and stops reading past ``max_bytes`` (after
  gzip decoding, so a compressed bomb is cut too).

Every failure is a :class:`FetchError` whose message is one line fit for the user.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

DEFAULT_TIMEOUT = 15.0
DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_MAX_REDIRECTS = 5
DEFAULT_DELAY = 1.0
MAX_CRAWL_DELAY = 30.0
ROBOTS_TTL = 24 * 3600.0  # RFC 9309: a cached robots.txt should not be used for longer
ROBOTS_MAX_BYTES = 500_000  # RFC 9309 asks crawlers to parse at least 500 KiB
ROBOTS_AGENT = "briefgen"
_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


def user_agent() -> str:
    from briefgen.version import __version__

    return f"briefgen/{__version__} (weekly news brief; honours robots.txt)"


class FetchError(Exception):
    """A URL could not be fetched; the message says why, in one line."""


class Refused(FetchError):
    """The fetch was refused by policy (robots.txt, a private address, a scheme)."""


@dataclass(frozen=True, slots=True)
class Policy:
    """How politely and how defensively to fetch."""

    timeout: float = DEFAULT_TIMEOUT  # seconds for a connect, and for each read
    max_bytes: int = DEFAULT_MAX_BYTES  # largest body read (decoded)
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    delay: float = DEFAULT_DELAY  # seconds between two requests to the same host
    allow_private: bool = False  # allow private, loopback, link-local ... addresses
    allow_networks: tuple[str, ...] = ()  # networks allowed even when allow_private is off
    user_agent: str = field(default_factory=user_agent)

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.max_bytes <= 0 or self.max_redirects < 0 or self.delay < 0:
            raise ValueError("timeout and max_bytes must be positive, delay not negative")
        for net in self.allow_networks:
            ipaddress.ip_network(net, strict=False)  # ValueError when malformed

    @property
    def total_timeout(self) -> float:
        """The longest one response may take, headers and body together."""
        return 4 * self.timeout

    def address_allowed(self, address: str) -> bool:
        """Whether connecting to ``address`` (an IP address as text) is allowed."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if self.allow_private:
            return True
        candidates: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
        if isinstance(ip, ipaddress.IPv6Address):
            # IPv4 addresses carried inside IPv6 ones reach the same hosts.
            embedded = [ip.ipv4_mapped, ip.sixtofour, ip.teredo[1] if ip.teredo else None]
            candidates += [e for e in embedded if e is not None]
        return all(_public(c) or self._listed(c) for c in candidates)

    def _listed(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(ip in ipaddress.ip_network(net, strict=False) for net in self.allow_networks)


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # the final URL, after redirects
    status: int  # 200 (or another 2xx), or 304 when the validators still hold
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(slots=True)
class RobotsEntry:
    """One origin's robots.txt as last fetched: kept in the archive between runs."""

    origin: str  # scheme://host[:port]
    fetched: float  # wall-clock time (epoch seconds)
    status: int  # 200: rules in body; 4xx: no rules (everything allowed)
    body: str = ""
    etag: str | None = None
    last_modified: str | None = None
    _parser: RobotFileParser | None = field(default=None, repr=False, compare=False)

    def parser(self) -> RobotFileParser:
        if self._parser is None:
            parser = RobotFileParser()
            # No robots.txt (a 4xx) is no rules: an empty parse allows everything.
            parser.parse(self.body.splitlines() if self.status == 200 else [])
            parser.modified()  # marks it read: can_fetch answers False until then
            self._parser = parser
        return self._parser


@dataclass(slots=True)
class _Hop:
    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes = b""


class Fetcher:
    """Fetches URLs one at a time per host under a :class:`Policy`; safe to share across threads.

    ``robots`` seeds the robots.txt cache (entries kept from earlier runs); new or refreshed
    entries are handed out by :meth:`take_robots_updates`, for the caller to keep.
    """

    def __init__(
        self,
        policy: Policy | None = None,
        *,
        robots: dict[str, RobotsEntry] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy or Policy()
        self._context = ssl.create_default_context()
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}
        self._crawl_delay: dict[str, float] = {}
        self._robots: dict[str, RobotsEntry] = dict(robots or {})
        self._robots_failed: dict[str, str] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._updates: dict[str, RobotsEntry] = {}
        self._sleep = sleep
        self.requests = 0  # requests sent, robots.txt included

    # --- public -------------------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = PAGE_ACCEPT,
    ) -> Response:
        """The body of ``url`` (or a 304 when ``etag``/``last_modified`` still hold)."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._follow(url, headers, robots=True, max_bytes=self.policy.max_bytes)

    def take_robots_updates(self) -> list[RobotsEntry]:
        """robots.txt entries fetched since the last call, to be kept for the next run."""
        with self._lock:
            updates, self._updates = list(self._updates.values()), {}
        return updates

    # --- redirects and robots.txt -------------------------------------------------------------

    def _follow(
        self, url: str, headers: dict[str, str], *, robots: bool, max_bytes: int
    ) -> Response:
        current = _checked_url(url)
        seen = {current}
        for _ in range(self.policy.max_redirects + 1):
            if robots:
                self._check_robots(current)
            hop = self._request(current, headers, max_bytes=max_bytes)
            if hop.status in _REDIRECTS:
                location = hop.headers.get("Location")
                if not location:
                    raise FetchError(f"HTTP {hop.status} redirect without a Location")
                target = _checked_url(urljoin(current, location.strip()))
                if urlsplit(current).scheme == "https" and urlsplit(target).scheme == "http":
                    raise Refused(f"redirect from https to plain http refused ({target})")
                if target in seen:
                    raise FetchError(f"redirect loop at {target}")
                seen.add(target)
                current = target
                continue
            if hop.status == 304:
                return self._response(current, hop)
            if not 200 <= hop.status < 300 or hop.status in (204, 205, 206):
                raise FetchError(f"HTTP {hop.status} {hop.reason}".strip())
            return self._response(current, hop)
        raise FetchError(f"more than {self.policy.max_redirects} redirects")

    @staticmethod
    def _response(url: str, hop: _Hop) -> Response:
        return Response(
            url=url,
            status=hop.status,
            body=hop.body,
            etag=hop.headers.get("ETag"),
            last_modified=hop.headers.get("Last-Modified"),
            content_type=hop.headers.get("Content-Type", ""),
        )

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:  # one robots.txt request per origin, even with several threads
            entry = self._robots.get(origin)
            failed = self._robots_failed.get(origin)
            if failed is None and (entry is None or time.time() - entry.fetched > ROBOTS_TTL):
                try:
                    entry = self._fetch_robots(origin, entry)
                except FetchError as exc:
                    failed = f"robots.txt unreachable ({exc})"
                    self._robots_failed[origin] = failed
        if entry is None:
            # RFC 9309: when robots.txt cannot be reached (and no earlier copy is kept), assume
            # everything is disallowed.
            raise Refused(failed or "robots.txt unreachable")
        parser = entry.parser()
        delay = parser.crawl_delay(ROBOTS_AGENT)
        if delay:
            with self._lock:
                self._crawl_delay[(parts.hostname or "").lower()] = min(
                    float(delay), MAX_CRAWL_DELAY
                )
        if not parser.can_fetch(ROBOTS_AGENT, url):
            raise Refused("disallowed by robots.txt")

    def _fetch_robots(self, origin: str, old: RobotsEntry | None) -> RobotsEntry:
        headers = {"Accept": "text/plain, */*;q=0.5"}
        if old and old.etag:
            headers["If-None-Match"] = old.etag
        if old and old.last_modified:
            headers["If-Modified-Since"] = old.last_modified
        try:
            got = self._follow(
                f"{origin}/robots.txt", headers, robots=False, max_bytes=ROBOTS_MAX_BYTES
            )
        except FetchError as exc:
            status = _status_of(str(exc))
            if status is None or status >= 500 or status == 429:
                raise
            # 4xx (404 most often): no robots.txt, so no rules.
            entry = RobotsEntry(origin=origin, fetched=time.time(), status=status)
        else:
            if got.not_modified and old is not None:
                entry = RobotsEntry(
                    origin, time.time(), old.status, old.body, old.etag, old.last_modified
                )
            else:
                body = got.body.decode("utf-8", "replace").lstrip("\ufeff")
                entry = RobotsEntry(origin, time.time(), 200, body, got.etag, got.last_modified)
        with self._lock:
            self._robots[origin] = entry
            self._updates[origin] = entry
        return entry

    # --- one request ---------------------------------------------------------------------------

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot.get(host, now))
            gap = max(self.policy.delay, self._crawl_delay.get(host, 0.0))
            self._next_slot[host] = slot + gap
            self.requests += 1
        if slot > now:
            self._sleep(slot - now)

    def _request(self, url: str, headers: dict[str, str], *, max_bytes: int) -> _Hop:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._wait_turn(host.lower())
        conn: http.client.HTTPConnection
        if parts.scheme == "https":
            conn = _TLSConnection(host, port, self.policy, self._context)
        else:
            conn = _Connection(host, port, self.policy)
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            if conn.sock is not None:
                with contextlib.suppress(OSError):
                    conn.sock.shutdown(socket.SHUT_RDWR)

        watchdog = threading.Timer(self.policy.total_timeout, expire)
        watchdog.daemon = True
        watchdog.start()
        try:
            conn.putrequest("GET", target, skip_accept_encoding=True)
            for name, value in {
                "User-Agent": self.policy.user_agent,
                "Accept-Encoding": "gzip",
                "Connection": "close",
                **headers,
            }.items():
                conn.putheader(name, value)
            conn.endheaders()
            resp = conn.getresponse()
            hop = _Hop(resp.status, resp.reason or "", resp.headers)
            if resp.status == 200 or (200 < resp.status < 300 and resp.status not in (204, 205)):
                hop.body = _read_body(resp, max_bytes=max_bytes, expired=expired)
            return hop
        except FetchError:
            raise
        except Exception as exc:
            if expired.is_set():
                limit = self.policy.total_timeout
                raise FetchError(f"timed out: no full response in {limit:g} s") from None
            raise FetchError(_describe(exc, self.policy.timeout)) from None
        finally:
            watchdog.cancel()
            conn.close()


def _read_body(
    resp: http.client.HTTPResponse, *, max_bytes: int, expired: threading.Event
) -> bytes:
    length = resp.headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise FetchError(f"too large: {int(length)} bytes, over the {max_bytes}-byte limit")
    encoding = (resp.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip"):
        raise FetchError(f"unsupported content encoding {encoding!r}")
    inflate = zlib.decompressobj(wbits=31) if encoding != "identity" else None
    parts: list[bytes] = []
    size = 0
    while True:
        if expired.is_set():
            raise FetchError("timed out while reading the body")
        chunk = resp.read1(_CHUNK)
        if not chunk:
            break
        pending = chunk
        while pending:
            if inflate is None:
                out, pending = pending, b""
            else:
                try:
                    out = inflate.decompress(pending, max_bytes - size + 1)
                except zlib.error as exc:
                    raise FetchError(f"bad gzip data ({exc})") from None
                pending = inflate.unconsumed_tail
            size += len(out)
            if size > max_bytes:
                raise FetchError(f"too large: over the {max_bytes}-byte limit")
            parts.append(out)
            if inflate is not None and not out and pending:
                break
    return b"".join(parts)


def _status_of(message: str) -> int | None:
    if message.startswith("HTTP "):
        code = message[5:8]
        return int(code) if code.isdigit() else None
    return None


def _checked_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise Refused(f"only http and https URLs are fetched, not {parts.scheme or 'this'!r}")
    try:
        host, _ = parts.hostname, parts.port  # port: ValueError when not a number
    except ValueError:
        raise FetchError("invalid port in the URL") from None
    if not host:
        raise FetchError("no host in the URL")
    return parts._replace(scheme=parts.scheme.lower(), fragment="").geturl()


def _describe(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, TimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not valid ({exc.verify_message or exc.reason})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error ({exc.reason or exc})"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(exc, http.client.HTTPException):
        return f"bad HTTP response ({type(exc).__name__}: {exc})"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


# --- connections that check the address they reach --------------------------------------------


def peer_address(sock: socket.socket) -> str:
    """The IP address ``sock`` is connected to (a seam for tests)."""
    return str(sock.getpeername()[0])


def open_socket(host: str, port: int, policy: Policy) -> socket.socket:
    """A TCP socket connected to ``host``, only ever to an allowed address."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {host} ({exc.strerror})") from None
    refused: list[str] = []
    error: OSError | None = None
    for family, kind, proto, _, address in infos:
        ip = str(address[0])
        if not policy.address_allowed(ip):
            refused.append(ip)
            continue
        sock = socket.socket(family, kind, proto)
        sock.settimeout(policy.timeout)
        try:
            sock.connect(address)
            peer = peer_address(sock)
        except OSError as exc:
            sock.close()
            error = exc
            continue
        if not policy.address_allowed(peer):
            sock.close()
            raise Refused(_refusal(host, peer))
        return sock
    if refused and error is None:
        raise Refused(_refusal(host, refused[0]))
    if error is None:
        raise FetchError(f"cannot resolve {host} (no address)")
    raise FetchError(f"cannot connect to {host}: {_describe(error, policy.timeout)}")


def _refusal(host: str, ip: str) -> str:
    return (
        f"refused: {host} is at {ip}, a private, loopback, link-local or reserved address "
        "([fetch] allow_private = true allows it)"
    )


class _Connection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, policy: Policy) -> None:
        super().__init__(host, port, timeout=policy.timeout)
        self._policy = policy

    def connect(self) -> None:
        self.sock = open_socket(self.host, self.port, self._policy)


class _TLSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, policy: Policy, context: ssl.SSLContext) -> None:
        super().__init__(host, port, timeout=policy.timeout, context=context)
        self._policy = policy
        self._tls = context

    def connect(self) -> None:
        sock = open_socket(self.host, self.port, self._policy)
        try:
            self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise
