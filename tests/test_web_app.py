"""The app factory: settings, health, proxies, and one LINE client per process."""

from __future__ import annotations

import os

import pytest
from flask import Blueprint, request
from line_support import FakeLine, post_events, text_event, web_config

import bot.store
from bot.web import ConfigError, blueprints, create_app
from bot.web.config import load_settings

ENV_KEY = "Zt5Hq1mW8xK3cV0nL7rB2yP9sD4fJ6gA1eUoRiTkMwN"
REQUIRED = ["LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "PUBLIC_BASE_URL", "SECRET_KEY"]
ENVIRONMENT = {"LINE_CHANNEL_SECRET": "env-secret", "LINE_CHANNEL_ACCESS_TOKEN": "env-token",
               "PUBLIC_BASE_URL": "https://coach.example.go.th/", "SECRET_KEY": ENV_KEY,
               "DATABASE_URL": "sqlite:////tmp/env.sqlite3"}


@pytest.fixture
def app(sqlite_url, httpserver):
    line = FakeLine(httpserver)
    line.accept_all()
    app = create_app(web_config(sqlite_url, line.url))
    yield app
    app.extensions["coaching"].database.dispose()


# Settings -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", REQUIRED)
def test_a_missing_setting_is_named_in_the_error(name):
    environment = {key: value for key, value in ENVIRONMENT.items() if key != name}
    with pytest.raises(ConfigError, match=f"missing setting {name}"):
        load_settings(environ=environment)


def test_create_app_names_a_missing_variable_before_touching_the_database(monkeypatch):
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError, match="LINE_CHANNEL_SECRET"):
        create_app()


def test_settings_come_from_the_environment():
    settings = load_settings(environ=dict(ENVIRONMENT, LINE_API_HOST="http://127.0.0.1:9",
                                          LINE_TIMEOUT="2.5"))
    assert {k: settings[k] for k in ("LINE_CHANNEL_SECRET", "PUBLIC_BASE_URL", "DATABASE_URL",
                                    "LINE_API_HOST", "LINE_TIMEOUT", "MAX_CONTENT_LENGTH")} == {
        "LINE_CHANNEL_SECRET": "env-secret", "PUBLIC_BASE_URL": "https://coach.example.go.th",
        "DATABASE_URL": "sqlite:////tmp/env.sqlite3", "LINE_API_HOST": "http://127.0.0.1:9",
        "LINE_TIMEOUT": 2.5, "MAX_CONTENT_LENGTH": 1024 * 1024}


def test_a_config_dict_overrides_the_environment():
    settings = load_settings({"LINE_CHANNEL_SECRET": "dict-secret", "TESTING": True},
                             environ=ENVIRONMENT)
    assert (settings["LINE_CHANNEL_SECRET"], settings["SECRET_KEY"], settings["TESTING"]) == (
        "dict-secret", ENV_KEY, True)


def test_the_database_defaults_to_the_store_default(monkeypatch):
    monkeypatch.setattr(bot.store, "default_database_url", lambda: "sqlite:////tmp/default.sqlite3")
    environment = {k: v for k, v in ENVIRONMENT.items() if k != "DATABASE_URL"}
    assert load_settings(environ=environment)["DATABASE_URL"] == "sqlite:////tmp/default.sqlite3"


@pytest.mark.parametrize("value", ["soon", "0", "-1"])
def test_an_invalid_timeout_is_named_in_the_error(value):
    with pytest.raises(ConfigError, match="LINE_TIMEOUT"):
        load_settings(environ=dict(ENVIRONMENT, LINE_TIMEOUT=value))


def test_the_app_signs_with_the_secret_given_to_the_factory(app):
    assert post_events(app.test_client(), text_event("เริ่ม")).status_code == 200


# Health ---------------------------------------------------------------------------------------

def test_health_is_ready_when_the_database_answers_and_is_up_to_date(app):
    response = app.test_client().get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ready"})


def test_health_is_unavailable_when_the_database_does_not_answer(app, monkeypatch):
    def broken() -> bool:
        raise bot.store.StoreError("database error: OperationalError")
    monkeypatch.setattr(app.extensions["coaching"].database, "is_up_to_date", broken)
    response = app.test_client().get("/healthz")
    assert (response.status_code, response.json) == (503, {"status": "database unavailable"})


def test_health_is_unavailable_when_the_schema_is_out_of_date(app, monkeypatch):
    monkeypatch.setattr(app.extensions["coaching"].database, "is_up_to_date", lambda: False)
    response = app.test_client().get("/healthz")
    assert (response.status_code, response.json) == (
        503, {"status": "database schema out of date"})


# Extending and deploying ---------------------------------------------------------------------

def test_the_webhook_health_draft_and_editor_pages_are_registered_blueprints(app):
    assert [bp.name for bp in blueprints()] == ["health", "webhook", "drafts", "editor"]
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert rules >= {"/callback", "/healthz", "/d/<token>", "/e/<token>"}


def test_urls_behind_an_https_proxy_are_https(app):
    where = Blueprint("where", __name__)
    where.add_url_rule("/where", "where", lambda: request.url)
    app.register_blueprint(where)
    response = app.test_client().get("/where", headers={
        "X-Forwarded-Proto": "https", "X-Forwarded-Host": "coach.example.go.th"})
    assert response.text == "https://coach.example.go.th/where"


def test_the_sdk_is_pointed_at_the_configured_line_host(app, httpserver):
    sender = app.extensions["line"].sender
    assert sender.configuration.host == httpserver.url_for("").rstrip("/")


def test_one_line_client_per_process_and_a_new_one_after_fork(app, monkeypatch):
    sender = app.extensions["line"].sender
    first = sender.api
    same = sender.api
    monkeypatch.setattr(os, "getpid", lambda: -1)  # as a forked worker sees it
    assert (same is first, sender.api is first) == (True, False)
