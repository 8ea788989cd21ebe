"""Fetching a source URL safely: the only way Clausewatch reaches the outside world.

- http and https only; a timeout on every request; at most 3 redirects, each one
  checked again like the first URL;
- the host is resolved here and refused if any address is loopback, private,
  link-local (169.254.169.254), multicast, reserved or unspecified, unless its
  ``host:port`` is on an explicit allow-list (tests, local development); the
  connection then goes to the address that was checked (no second lookup that
  DNS rebinding could answer differently), with Host and TLS SNI set to the name;
- the body is streamed and decoded a bounded piece at a time under a size cap, so a
  gzip bomb stops at the cap without ever being inflated whole; each hop (headers and
  body) ends within connect + read timeout, however slowly the server trickles bytes;
- conditional requests (ETag / Last-Modified): a 304 is a cheap "unchanged".
"""

import ipaddress
import socket
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# At most this many decoded bytes come out of one decompression step.
_DECODE_STEP = 64 * 1024
# NAT64 (RFC 6052) carries an IPv4 address in its last 32 bits: check that one.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(Exception):
    """A fetch that failed, with a reason a person can act on."""

    def __init__(self, reason: str, *, transient: bool, http_status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.http_status = http_status


@dataclass(frozen=True)
class FetchPolicy:
    allowed_addresses: frozenset[str] = frozenset()  # "host:port" exempt from the IP check
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 3
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    user_agent: str = "Clausewatch/1.0 (+https://clausewatch.example/bot)"


@dataclass(frozen=True)
class FetchResult:
    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    duration_ms: int = 0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "application/octet-stream")


def fetch(
    url: str,
    *,
    policy: FetchPolicy,
    etag: str = "",
    last_modified: str = "",
    client: httpx.Client | None = None,
) -> FetchResult:
    started = time.monotonic()
    headers = {"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    own_client = client is None
    client = client or httpx.Client(
        timeout=httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout),
        follow_redirects=False,
        trust_env=False,
    )
    try:
        for _ in range(policy.max_redirects + 1):
            status, response_headers, body, location = _request_once(
                client, url, headers, policy
            )
            if location is None:
                return FetchResult(
                    url=url, status=status, headers=response_headers, content=body,
                    duration_ms=int((time.monotonic() - started) * 1000),
                )
            url = urljoin(url, location)
        raise FetchError(
            f"more than {policy.max_redirects} redirects, the last to {url}", transient=False
        )
    finally:
        if own_client:
            client.close()


def _request_once(client, url, headers, policy):
    """One hop: check the target, connect to the checked address, read under the cap."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise FetchError(f"{url}: only http and https URLs are fetched", transient=False)
    if not parts.hostname:
        raise FetchError(f"{url}: the URL has no host", transient=False)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = checked_address(parts.hostname, port, policy.allowed_addresses)
    netloc = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    request_headers = {**headers, "Host": parts.netloc.rpartition("@")[2]}
    # The read timeout bounds each read; this bounds the hop, however slow the trickle.
    deadline = time.monotonic() + policy.connect_timeout + policy.read_timeout
    try:
        with client.stream(
            "GET", pinned, headers=request_headers,
            extensions={"sni_hostname": parts.hostname},
        ) as response:
            return _read(response, url, policy, deadline)
    except httpx.TimeoutException:
        raise FetchError(f"{url}: timed out", transient=True) from None
    except httpx.TransportError as exc:
        raise FetchError(f"{url}: connection failed ({exc})", transient=True) from None


def _read(response: httpx.Response, url: str, policy: FetchPolicy, deadline: float):
    headers = {key.lower(): value for key, value in response.headers.items()}
    if response.status_code in REDIRECT_STATUSES and "location" in headers:
        return response.status_code, headers, b"", headers["location"]
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(
            f"{url}: too large ({declared} bytes; the limit is {policy.max_bytes})",
            transient=False,
        )
    body = bytearray()
    # The cap applies to the decoded bytes, what would be stored.
    for chunk in _decoded(response, url, headers.get("content-encoding", "")):
        body.extend(chunk)
        if len(body) > policy.max_bytes:
            raise FetchError(
                f"{url}: too large (more than {policy.max_bytes} bytes once decoded)",
                transient=False,
            )
        if time.monotonic() > deadline:
            raise FetchError(f"{url}: timed out (the body kept trickling)", transient=True)
    status = response.status_code
    if status >= 400:
        first_line = bytes(body[:2000]).decode("utf-8", "replace").strip().split("\n")[0][:200]
        raise FetchError(
            f"{url}: HTTP {status}" + (f": {first_line}" if first_line else ""),
            transient=status >= 500 or status in {408, 425, 429},
            http_status=status,
        )
    return status, headers, bytes(body), None


def _decoded(response: httpx.Response, url: str, encoding: str):
    """The body's bytes, gzip/deflate decoded at most _DECODE_STEP bytes per step.

    httpx's own decoders inflate each network chunk whole: 64 KB of a gzip bomb
    would become gigabytes in one call, before any cap could look at it.
    """
    encoding = encoding.strip().lower()
    if encoding in {"", "identity"}:
        yield from response.iter_raw()
        return
    if encoding not in {"gzip", "x-gzip", "deflate"}:
        raise FetchError(f"{url}: unsupported Content-Encoding {encoding!r}", transient=False)
    decoder = zlib.decompressobj(zlib.MAX_WBITS | (16 if "gzip" in encoding else 0))
    started = False
    try:
        for data in response.iter_raw():
            while True:
                try:
                    out = decoder.decompress(data, _DECODE_STEP)
                except zlib.error:
                    if started or encoding != "deflate":
                        raise
                    # Some servers send raw deflate (no zlib header) as "deflate".
                    decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                    out = decoder.decompress(data, _DECODE_STEP)
                started = True
                data = decoder.unconsumed_tail
                if out:
                    yield out
                if not data and len(out) < _DECODE_STEP:
                    break
        yield decoder.flush()
    except zlib.error as exc:
        raise FetchError(
            f"{url}: the {encoding} body is corrupt ({exc})", transient=False
        ) from None


def checked_address(host: str, port: int, allowed: frozenset[str]) -> str:
    """The address to connect to, once every address of ``host`` has been checked."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"DNS lookup of {host} failed ({exc})", transient=True) from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchError(f"DNS lookup of {host} returned no address", transient=True)
    exempt = f"{host}:{port}" in allowed
    for address in addresses:
        if not exempt and f"{address}:{port}" not in allowed and not _is_public(address):
            raise FetchError(
                f"refused: {host} resolves to {address}, a non-public address",
                transient=False,
            )
    return addresses[0]


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address inside IPv6 (mapped, 6to4, NAT64) is reached as that IPv4
        # address: ::ffff:127.0.0.1 or 64:ff9b::a9fe:a9fe must be refused like it.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            ip = embedded
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified or not ip.is_global
    )
