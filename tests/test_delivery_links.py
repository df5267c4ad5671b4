"""Signed draft links: valid, tampered, expired, another application's, deleted."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta

import pytest

from bot.coach.ports import ApplicationRecord
from bot.delivery import DraftLinks, LinkError

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
BASE64URL = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"


def application(id_: int = 7, owner: str = "Uofficer", created: datetime = T0):
    return ApplicationRecord(id=id_, owner_id=owner, track="public_service", year=2564,
                             category="1.1", title="ทดสอบ", current_question=1,
                             created_by=owner, created_at=created, updated_at=created)


@pytest.fixture
def links() -> DraftLinks:
    return DraftLinks("test-secret", "https://coach.example.go.th/")


def test_a_link_reads_back_as_its_own_application(links):
    app = application()
    claims = links.read(links.token(app))
    assert (claims.application_id, claims.owner_id) == (7, "Uofficer")
    assert DraftLinks.matches(claims, app)


def test_urls_open_in_an_external_browser_and_fit_line(links):
    urls = links.urls(application())
    assert sorted(urls) == ["clean/docx", "clean/pdf", "clean/txt", "preview",
                            "working/docx", "working/pdf", "working/txt"]
    for url in urls.values():
        assert url.startswith("https://coach.example.go.th/d/")
        assert url.endswith("?openExternalBrowser=1")
        assert len(url) <= 1000
    assert "/clean/pdf?" in urls["clean/pdf"]
    assert "/working/docx?" in urls["working/docx"]


def test_one_token_opens_both_editions(links):
    urls = links.urls(application())
    tokens = {url.split("/d/")[1].split("?")[0].split("/")[0] for url in urls.values()}
    assert len(tokens) == 1


@pytest.mark.parametrize("position", [0, 10, -3, -1])
def test_a_tampered_link_is_refused(links, position):
    token = links.token(application())
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
        links.read(other.token(application()))
    assert refused.value.status == 403


def test_an_expired_link_is_gone(monkeypatch):
    links = DraftLinks("test-secret", "https://x", max_age=timedelta(days=7))
    token = links.token(application())
    import itsdangerous.timed as timed
    later = timed.time.time() + 7 * 86400 + 60
    monkeypatch.setattr(timed.time, "time", lambda: later)
    with pytest.raises(LinkError) as refused:
        links.read(token)
    assert refused.value.status == 410


def test_no_link_opens_another_application(links):
    mine, theirs = application(7, "Ua"), application(8, "Ub")
    claims = links.read(links.token(mine))
    assert not DraftLinks.matches(claims, theirs)
    assert links.token(mine) != links.token(theirs)


def test_a_link_does_not_open_a_new_application_that_reused_the_id(links):
    old = application(7, "Ua", created=T0)
    reused = application(7, "Ua", created=T0 + timedelta(days=1))
    assert not DraftLinks.matches(links.read(links.token(old)), reused)


def test_a_group_application_link_is_bound_to_the_group(links):
    claims = links.read(links.token(application(9, "Cgroup")))
    assert claims.owner_id == "Cgroup"
    assert not DraftLinks.matches(claims, application(9, "Uofficer"))


def test_a_secret_key_is_required():
    with pytest.raises(ValueError, match="SECRET_KEY"):
        DraftLinks("", "https://x")
