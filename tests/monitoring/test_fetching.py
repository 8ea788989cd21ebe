"""fetch(): the only way out to the web. Pure (no database), against a local server."""

import time
import tracemalloc
import zlib

import pytest

from monitoring.fetching import FetchError, FetchPolicy, _is_public, checked_address, fetch
from tests.monitoring.conftest import LocalServer, Reply, gzip_of_zeros, html, redirect

MB = 1024 * 1024


def policy_for(server, **overrides) -> FetchPolicy:
    return FetchPolicy(allowed_addresses=frozenset({server.address}), **overrides)


def refused(url: str, policy: FetchPolicy) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url, policy=policy)
    return caught.value


def test_a_page_comes_back_with_its_body_and_headers(local_server):
    reply = html("We keep data.", etag='"v1"', headers={"Last-Modified": "Mon, 06 Jan 2025"})
    url = local_server.route("/privacy", reply)
    result = fetch(url, policy=policy_for(local_server))
    assert result.status == 200
    assert result.content == b"<html><body>We keep data.</body></html>"
    assert result.media_type == "text/html; charset=utf-8"
    assert result.headers["etag"] == '"v1"'
    assert result.headers["last-modified"] == "Mon, 06 Jan 2025"
    assert result.url == url
    sent = local_server.requests[0].headers
    assert sent["host"] == local_server.address
    assert sent["user-agent"].startswith("Clausewatch/")


def test_a_matching_etag_is_a_304_without_a_body(local_server):
    url = local_server.route("/privacy", html("We keep data.", etag='"v1"'))
    result = fetch(url, policy=policy_for(local_server), etag='"v1"', last_modified="Mon")
    assert result.not_modified and result.content == b""
    sent = local_server.requests[0].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == "Mon"


def test_three_redirects_are_followed_each_rechecked(local_server):
    local_server.route("/a", redirect("/b", 301))
    local_server.route("/b", redirect(local_server.url("/c"), 307))
    local_server.route("/c", redirect("/final", 308))
    local_server.route("/final", html("Arrived."))
    result = fetch(local_server.url("/a"), policy=policy_for(local_server))
    assert result.status == 200 and result.url == local_server.url("/final")


def test_a_fourth_redirect_is_refused(local_server):
    for here, there in [("/a", "/b"), ("/b", "/c"), ("/c", "/d"), ("/d", "/e")]:
        local_server.route(here, redirect(there))
    local_server.route("/e", html("Too far."))
    error = refused(local_server.url("/a"), policy_for(local_server))
    assert not error.transient
    assert "more than 3 redirects" in error.reason
    assert local_server.hits("/e") == 0


def test_a_redirect_to_the_metadata_address_is_refused(local_server):
    local_server.route("/a", redirect("http://169.254.169.254/latest/meta-data/"))
    error = refused(local_server.url("/a"), policy_for(local_server))
    assert not error.transient
    assert "169.254.169.254" in error.reason and "non-public" in error.reason


def test_a_redirect_to_a_loopback_port_off_the_allow_list_is_refused(local_server):
    other = LocalServer()  # listening, but not on the allow-list
    try:
        other.route("/admin", html("Internal admin."))
        local_server.route("/a", redirect(other.url("/admin")))
        error = refused(local_server.url("/a"), policy_for(local_server))
        assert not error.transient and "non-public" in error.reason
        assert other.hits("/admin") == 0
    finally:
        other.close()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/policy.txt"])
def test_only_http_and_https_are_fetched(url):
    error = refused(url, FetchPolicy())
    assert not error.transient and "only http and https" in error.reason


def test_a_redirect_to_a_file_url_is_refused(local_server):
    local_server.route("/a", redirect("file:///etc/passwd"))
    error = refused(local_server.url("/a"), policy_for(local_server))
    assert "only http and https" in error.reason


def test_a_declared_length_over_the_cap_is_refused_before_reading(local_server):
    url = local_server.route("/big", Reply(body=bytes(2 * MB), content_type="text/plain"))
    error = refused(url, policy_for(local_server, max_bytes=MB))
    assert not error.transient and f"{2 * MB} bytes" in error.reason


def test_a_chunked_body_without_length_stops_at_the_cap(local_server):
    url = local_server.route(
        "/endless",
        Reply(chunked=True, content_type="text/plain", raw_chunks=(bytes(64 * 1024),) * 200),
    )
    error = refused(url, policy_for(local_server, max_bytes=MB))
    assert not error.transient and f"more than {MB} bytes" in error.reason


def test_a_gzip_bomb_stops_at_the_cap_without_inflating_it_all(local_server):
    bomb = gzip_of_zeros(50 * MB)
    assert len(bomb) < 100 * 1024
    url = local_server.route(
        "/bomb", Reply(body=bomb, content_type="text/html", headers={"Content-Encoding": "gzip"})
    )
    tracemalloc.start()
    try:
        error = refused(url, policy_for(local_server, max_bytes=MB))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not error.transient and "once decoded" in error.reason
    assert peak < 8 * MB, f"decoding allocated {peak / MB:.0f} MB for a 1 MB cap"


def test_a_gzipped_page_is_decoded(local_server):
    url = local_server.route("/privacy", html("Compressed policy.", gzip=True))
    result = fetch(url, policy=policy_for(local_server))
    assert result.content == b"<html><body>Compressed policy.</body></html>"


def test_a_large_gzipped_page_is_decoded_whole_across_many_steps(local_server):
    text = b"".join(b"<p>Clause %d: we keep data %d days.</p>" % (n, n % 97) for n in range(70000))
    assert len(text) > 2 * MB
    url = local_server.route("/long", Reply(body=text, gzip=True))
    assert fetch(url, policy=policy_for(local_server)).content == text


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_is_decoded_with_or_without_its_zlib_header(local_server, wbits):
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = compressor.compress(b"<p>Deflated policy.</p>") + compressor.flush()
    url = local_server.route("/d", Reply(body=body, headers={"Content-Encoding": "deflate"}))
    assert fetch(url, policy=policy_for(local_server)).content == b"<p>Deflated policy.</p>"


@pytest.mark.parametrize(
    ("encoding", "says"), [("gzip", "corrupt"), ("br", "unsupported Content-Encoding")]
)
def test_an_undecodable_body_is_a_permanent_failure(local_server, encoding, says):
    url = local_server.route(
        "/x", Reply(body=b"this is not compressed", headers={"Content-Encoding": encoding})
    )
    error = refused(url, policy_for(local_server))
    assert not error.transient and says in error.reason


def test_a_server_slower_than_the_read_timeout_is_a_transient_failure(local_server):
    url = local_server.route("/slow", html("Late.", delay=3))
    started = time.monotonic()
    error = refused(url, policy_for(local_server, read_timeout=1))
    assert time.monotonic() - started < 2.5
    assert error.transient and "timed out" in error.reason


def test_a_body_trickling_forever_is_cut_by_the_read_timeout_in_total(local_server):
    """A read timeout bounds each read; a server sending a byte just in time must
    not hold a worker far beyond it."""
    url = local_server.route(
        "/trickle",
        Reply(chunked=True, body=b"<p>", raw_chunks=(b"x",) * 100, chunk_pause=0.3),
    )
    started = time.monotonic()
    error = refused(url, policy_for(local_server, connect_timeout=1, read_timeout=1))
    assert time.monotonic() - started < 4
    assert error.transient and "timed out" in error.reason


def test_http_500_is_transient_with_the_first_line_of_the_body(local_server):
    reply = Reply(status=500, body=b"Database on fire\nstack trace...", content_type="text/plain")
    url = local_server.route("/down", reply)
    error = refused(url, policy_for(local_server))
    assert error.transient and error.http_status == 500
    assert error.reason.endswith("HTTP 500: Database on fire")


def test_http_403_is_permanent_with_the_first_line_of_the_body(local_server):
    reply = Reply(status=403, body=b"Bots are not welcome\n<more>", content_type="text/plain")
    url = local_server.route("/blocked", reply)
    error = refused(url, policy_for(local_server))
    assert not error.transient and error.http_status == 403
    assert error.reason.endswith("HTTP 403: Bots are not welcome")


def test_a_dns_failure_is_transient_and_says_dns():
    error = refused("https://no-such-platform.invalid/privacy", FetchPolicy())
    assert error.transient and "DNS" in error.reason and "no-such-platform.invalid" in error.reason


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254",
        "0.0.0.0",  # noqa: S104 (an address to refuse, not one to bind)
        "100.64.0.1", "224.0.0.1", "::1", "::", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
        "::ffff:169.254.169.254", "::ffff:10.0.0.1",
        # IPv4 addresses embedded in IPv6: NAT64 and 6to4 reach them through a gateway.
        "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1", "2002:7f00:1::",
        "2002:a9fe:a9fe::1",
    ],
)
def test_non_public_addresses_are_not_public(address):
    assert not _is_public(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::1111", "::ffff:8.8.8.8",
                                     "64:ff9b::808:808", "2002:808:808::1"])
def test_public_addresses_are_public(address):
    assert _is_public(address)


@pytest.mark.parametrize("host", ["::1", "::ffff:127.0.0.1", "127.0.0.1", "localhost"])
def test_checked_address_refuses_loopback_in_every_spelling(host):
    with pytest.raises(FetchError) as caught:
        checked_address(host, 80, frozenset())
    assert not caught.value.transient and "non-public" in caught.value.reason


def test_the_allow_list_exempts_exactly_one_host_and_port():
    assert checked_address("127.0.0.1", 8080, frozenset({"127.0.0.1:8080"})) == "127.0.0.1"
    with pytest.raises(FetchError):
        checked_address("127.0.0.1", 8081, frozenset({"127.0.0.1:8080"}))
