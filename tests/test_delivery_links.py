"""Signed draft links: a random link id, signed; tampered, expired, old-format and opaque tokens."""

from __future__ import annotations

import json
import string
from datetime import timedelta

import pytest
from itsdangerous import base64_decode

from bot.coach.link_ports import new_link_id
from bot.delivery import DraftLinks, LinkError

BASE64URL = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
LINE_USER = "U" + "0123456789abcdef" * 2  # LINE ids: U/C/R and 32 hex digits
LINE_GROUP = "C" + "fedcba9876543210" * 2


@pytest.fixture
def links() -> DraftLinks:
    return DraftLinks("test-secret", "https://coach.example.go.th/")


def payload_of(token: str) -> bytes:
    """Decode a token's payload the way anyone holding the link could."""
    return base64_decode(token.split(".")[0])


def test_a_link_reads_back_as_its_own_link_id(links):
    link_id = new_link_id()
    assert links.read(links.token(link_id)) == link_id


def test_link_ids_are_random_and_url_safe():
    ids = {new_link_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 22 and set(i) <= set(BASE64URL) for i in ids)


def test_a_tokens_payload_is_the_link_id_and_nothing_else(links):
    link_id = new_link_id()
    token = links.token(link_id)
    assert json.loads(payload_of(token)) == link_id
    for secret in (LINE_USER, LINE_GROUP, "Uofficer", '"a"', '"o"'):
        assert secret.encode() not in payload_of(token)
        assert secret not in token


def test_urls_open_in_an_external_browser_and_fit_line(links):
    urls = links.urls(new_link_id())
    assert sorted(urls) == ["clean/docx", "clean/pdf", "clean/txt", "preview",
                            "working/docx", "working/pdf", "working/txt"]
    for url in urls.values():
        assert url.startswith("https://coach.example.go.th/d/")
        assert url.endswith("?openExternalBrowser=1")
        assert len(url) <= 1000
    assert "/clean/pdf?" in urls["clean/pdf"]
    assert "/working/docx?" in urls["working/docx"]


def test_one_token_opens_both_editions(links):
    urls = links.urls(new_link_id())
    tokens = {url.split("/d/")[1].split("?")[0].split("/")[0] for url in urls.values()}
    assert len(tokens) == 1


@pytest.mark.parametrize("position", [0, 10, -3, -1])
def test_a_tampered_link_is_refused(links, position):
    token = links.token(new_link_id())
    # The last character of unpadded base64 carries only its top bits of data: move it by 16
    # places in the alphabet so the signature's bytes change, not just the unused low bits.
    index = BASE64URL.index(token[position])
    changed = token[:position] + BASE64URL[(index + 16) % 64] + \
        (token[position + 1:] if position != -1 else "")
    with pytest.raises(LinkError) as refused:
        links.read(changed)
    assert refused.value.status == 403


def test_a_link_signed_with_another_key_is_refused(links):
    other = DraftLinks("another-secret", "https://coach.example.go.th")
    with pytest.raises(LinkError) as refused:
        links.read(other.token(new_link_id()))
    assert refused.value.status == 403


def test_an_expired_link_is_gone(monkeypatch):
    links = DraftLinks("test-secret", "https://x", max_age=timedelta(days=7))
    token = links.token(new_link_id())
    import itsdangerous.timed as timed
    later = timed.time.time() + 7 * 86400 + 60
    monkeypatch.setattr(timed.time, "time", lambda: later)
    with pytest.raises(LinkError) as refused:
        links.read(token)
    assert (refused.value.status, refused.value.reason) == (410, "expired")


def test_the_lifetime_is_told_in_whole_days():
    assert DraftLinks("k", "https://x", max_age=timedelta(days=3)).days == 3


def test_a_token_of_the_old_kind_is_revoked_not_opened(links):
    old = links.serializer.dumps({"a": 7, "o": LINE_USER, "t": 1764000000.0})
    with pytest.raises(LinkError) as refused:
        links.read(old)
    assert (refused.value.status, refused.value.reason) == (410, "revoked")


@pytest.mark.parametrize("payload", ["short", 7, None, ["x"], {"l": "x"}, "a" * 40, "ก" * 22])
def test_a_signed_payload_that_is_no_link_id_is_refused(links, payload):
    with pytest.raises(LinkError) as refused:
        links.read(links.serializer.dumps(payload))
    assert (refused.value.status, refused.value.reason) == (403, "invalid")


def test_a_secret_key_is_required():
    with pytest.raises(ValueError, match="SECRET_KEY"):
        DraftLinks("", "https://x")
