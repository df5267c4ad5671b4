"""The security headers every response of the app carries: pages, downloads, JSON, fonts.

A draft preview and its files are personal data opened from a link in LINE's in-app browser
(often on a shared or lent phone), so nothing is stored by the browser or a proxy
(``Cache-Control: no-store``), the link never leaves in a ``Referer`` (a preview's token is in
its URL), no other site may frame a page, the browser never guesses a type, and a search
engine that reaches a forwarded link indexes nothing.

The content security policy allows what the pages use and nothing more: no page loads
anything from another origin; the simulator's page runs its one script file and calls its
own API (it sets :data:`bot.simulator.routes.PAGE_POLICY` itself, which is kept); the draft
pages run no script at all. Inline style stays allowed: the preview is a self-contained page
with a ``<style>`` block built by :mod:`bot.draft.preview`, and with every fetch limited to
this origin an injected style could send nothing elsewhere.

Fonts, the simulator's CSS and script and its rich-menu image are the same for everyone and
hold nothing personal: they keep their own caching (a month for the fonts), the rest is
``no-store``.
"""

from __future__ import annotations

from flask import Flask, Response, request

#: The policy of every response that does not set its own.
POLICY = ("default-src 'none'; img-src 'self' data:; font-src 'self'; "
          "style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
          "frame-ancestors 'none'")
#: Headers every response carries, whatever it is.
ALWAYS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
          "X-Frame-Options": "DENY", "X-Robots-Tag": "noindex, nofollow"}
#: Endpoints whose successful answers hold nothing personal and may be cached.
CACHEABLE_ENDPOINTS = frozenset({"drafts.font", "simulator.static", "simulator.rich_menu_image"})
#: HSTS for a year, sent only on HTTPS (the proxy says so through X-Forwarded-Proto).
HSTS = "max-age=31536000"


def init_app(app: Flask) -> None:
    """Add the headers to every response ``app`` sends."""
    app.after_request(secure)


def secure(response: Response) -> Response:
    """Set the security and caching headers on ``response``."""
    headers = response.headers
    headers.update(ALWAYS)
    headers.setdefault("Content-Security-Policy", POLICY)
    if not (request.endpoint in CACHEABLE_ENDPOINTS and response.status_code < 400):
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response
