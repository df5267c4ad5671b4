"""The command line: ``python -m bot chat | export | rubrics | analyze | db | …``.

The terminal chat is the third transport over the same engine and database as the LINE
webhook and the browser simulator: one message per line in, the replies out, with
quick-reply choices shown as ``[label]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TextIO

from bot.coach.messages import Card, Event, Reply
from bot.coach.texts import default_texts

DEFAULT_USER = "local-officer"
#: The formats ``python -m bot draft`` writes (kept equal to bot.draft.FORMATS by a test).
DRAFT_FORMATS = ("docx", "pdf", "txt")
#: The editions ``python -m bot draft --edition`` writes (kept equal to bot.draft.EDITIONS).
DRAFT_EDITIONS = ("clean", "working")


def render(reply: Reply) -> str:
    """Write one reply as terminal text, choices and buttons as ``[label]``."""
    lines = [reply.as_text()]
    if isinstance(reply, Card):
        lines = [reply.title, reply.body]
        lines += [f"[{b.label}] {b.url}" if b.url else f"[{b.label}]" for b in reply.buttons]
    choices = getattr(reply, "choices", ())
    if choices:
        lines.append(" ".join(f"[{c.label}]" for c in choices))
        # A fill-in chip: the command that opens its answer, then the sentence to complete.
        lines += [f"[{c.label}] {c.text} \u2192 {c.fill_in}" for c in choices if c.fill_in]
    return "\n".join(line for line in lines if line)


def chat_event(text: str, *, user: str, group: str | None) -> Event:
    """Build the event for one line typed in the terminal."""
    return Event(user_id=user, chat_id=group or user, chat_type="group" if group else "user",
                 kind="text", timestamp=datetime.now(UTC), text=text)


def run_chat(lines: Iterable[str], out: TextIO, *, process: Callable[[Event], list[Reply]],
             user: str, group: str | None, prompt: bool, echo: bool = False) -> None:
    """Hold the conversation: one message per line until the input ends.

    With ``echo`` (input piped from a file) each message is written as ``> message`` before
    the bot's answer, so the output reads as a transcript.
    """
    if prompt:
        out.write(f"{default_texts().cli.prompt}\n> ")
        out.flush()
    for line in lines:
        text = line.rstrip("\n")
        if text.strip():
            if echo:
                out.write(f"> {text}\n")
            for reply in process(chat_event(text, user=user, group=group)):
                out.write(render(reply) + "\n\n")
        if prompt:
            out.write("> ")
        out.flush()
    if prompt:
        out.write("\n")


def cmd_chat(args: argparse.Namespace) -> int:
    """Chat with the bot in the terminal."""
    from bot.analysis import analyze
    from bot.delivery import FilePublisher
    from bot.rubrics import default_rubrics
    from bot.service import CoachService

    publisher = FilePublisher(args.drafts, default_texts(), rubrics=default_rubrics(),
                              analyzer=analyze)
    service = CoachService.create(args.database, publisher=publisher)
    try:
        run_chat(sys.stdin, sys.stdout, process=lambda e: service.process(e).replies,
                 user=args.user, group=args.group, prompt=sys.stdin.isatty(),
                 echo=not sys.stdin.isatty())
    except KeyboardInterrupt:
        sys.stdout.write("\n")
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    """Write one application's draft as DOCX, PDF or text, clean or working edition."""
    from bot.analysis import analyze, warm_up
    from bot.delivery import compile_draft
    from bot.draft import build
    from bot.rubrics import default_rubrics
    from bot.store import Database, export_owner, load_application

    database = Database(args.database)
    database.upgrade()
    owned = export_owner(database, args.group or args.user)["applications"]
    if not owned:
        print("no applications for that owner", file=sys.stderr)
        return 1
    if args.application is not None and not 1 <= args.application <= len(owned):
        print(f"no application {args.application}: there are {len(owned)}", file=sys.stderr)
        return 1
    chosen = owned[(args.application or len(owned)) - 1]
    loaded = load_application(database, chosen["id"])
    assert loaded is not None
    warm_up()
    draft = compile_draft(*loaded, rubrics=default_rubrics(), analyzer=analyze)
    with open(args.output, "wb") as handle:
        handle.write(build(draft, args.format, edition=args.edition))
    print(args.output)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Print an owner's applications as JSON."""
    from bot.store import Database, export_owner

    database = Database(args.database)
    database.upgrade()
    print(json.dumps(export_owner(database, args.group or args.user), ensure_ascii=False,
                     indent=2))
    return 0


def cmd_rubrics(args: argparse.Namespace) -> int:
    """Print the loaded rubrics."""
    from bot.rubrics import default_rubrics

    rubrics = default_rubrics()
    if args.json:
        print(rubrics.to_json())
        return 0
    wording = default_texts().cli
    for rubric in rubrics:
        print(wording.rubric.format(year=rubric.year, track=rubric.track, name=rubric.name,
                                    points=rubric.total_points))
        for category in rubric.categories:
            print(f"  {category.code} {category.name}")
        for dimension in rubric.dimensions:
            count = sum(1 for q in rubric.questions if q.dimension == dimension.number)
            print("  " + wording.rubric_dimension.format(
                number=dimension.number, name=dimension.name, points=dimension.points,
                count=count))
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    """Apply the database migrations."""
    from bot.store import Database

    database = Database(args.database)
    database.upgrade()
    print(f"database is up to date: {database.engine.url.render_as_string(hide_password=True)}")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    """Apply the retention policy once and print how many rows of each kind went."""
    import os

    from bot.purging import settings_notifier
    from bot.store import Database
    from bot.store.retention import purge, retention_policy

    try:
        policy = retention_policy(os.environ)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    database = Database(args.database)
    database.upgrade()
    report = purge(database, policy, notify=settings_notifier(default_texts(), os.environ))
    database.dispose()
    print("\n".join(report.lines()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Describe the command line."""
    texts = default_texts()
    parser = argparse.ArgumentParser(prog="python -m bot", description=texts.bot_name)
    parser.add_argument("--database", default=None,
                        help="database URL (default: DATABASE_URL or instance/lertrat.sqlite3)")
    sub = parser.add_subparsers(dest="command", required=True)

    chat = sub.add_parser("chat", help="chat with the bot in the terminal")
    chat.add_argument("--user", default=DEFAULT_USER, help="your user id")
    chat.add_argument("--group", default=None, help="chat as a member of this group id")
    chat.add_argument("--drafts", default="drafts",
                      help=f"folder where {texts.word('draft')} writes the files")
    chat.set_defaults(run=cmd_chat)

    draft = sub.add_parser("draft", help="write an application's draft to a file")
    draft.add_argument("--user", required=True)
    draft.add_argument("--group", default=None)
    draft.add_argument("--application", type=int, default=None,
                       help=f"the N of '{texts.word('list')}' (default: the newest)")
    draft.add_argument("--format", choices=DRAFT_FORMATS, required=True)
    draft.add_argument("--edition", choices=DRAFT_EDITIONS, default="clean",
                       help="clean: nothing from the coach, ready to circulate and submit "
                            "(default); working: with the coach's counts and findings")
    draft.add_argument("-o", "--output", required=True)
    draft.set_defaults(run=cmd_draft)

    export = sub.add_parser("export", help="print an owner's applications")
    export.add_argument("--user", required=True)
    export.add_argument("--group", default=None)
    export.add_argument("--format", choices=["json"], default="json")
    export.set_defaults(run=cmd_export)

    rubrics = sub.add_parser("rubrics", help="print the loaded rubrics")
    rubrics.add_argument("--json", action="store_true")
    rubrics.set_defaults(run=cmd_rubrics)

    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"])
    db.set_defaults(run=cmd_db)

    purge = sub.add_parser("purge", help="delete what the retention policy no longer keeps "
                                         "(RETENTION_* settings); prints counts")
    purge.set_defaults(run=cmd_purge)

    sub.add_parser("analyze", help="analyse answers (see: python -m bot analyze --help)")
    sub.add_parser("richmenu", help="build and upload the LINE rich menu")
    sub.add_parser("sender", help="deliver the outbox's replies through LINE in a process of "
                                  "its own (see: python -m bot sender --help)")
    sub.add_parser("serve", help="try the bot in a browser, without LINE "
                                 "(see: python -m bot serve --help)")
    return parser


def _delegated(argv: list[str]) -> Callable[[list[str]], int] | None:
    """Return the entry point of a sub-command that parses its own arguments."""
    if argv[:1] == ["analyze"]:
        from bot.analysis.cli import main as analyze_main
        return analyze_main
    if argv[:1] == ["serve"]:
        from bot.simulator import main as serve_main
        return serve_main
    if argv[:1] == ["richmenu"]:
        from bot.web.richmenu import main as richmenu_main
        return richmenu_main
    if argv[:1] == ["sender"]:
        from bot.outbox.cli import main as sender_main
        return sender_main
    return None


def _database_after_serve(argv: list[str]) -> list[str]:
    """Move a ``--database URL`` given before ``serve`` (or ``sender``) after it, where that
    command reads it."""
    if argv[:1] == ["--database"] and argv[2:3] in (["serve"], ["sender"]):
        return [argv[2], *argv[3:], "--database", argv[1]]
    if argv[:1] and argv[0].startswith("--database=") and argv[1:2] in (["serve"], ["sender"]):
        return [argv[1], *argv[2:], argv[0]]
    return argv


def main(argv: list[str]) -> int:
    """Run one command."""
    argv = _database_after_serve(argv)
    delegated = _delegated(argv)
    if delegated is not None:
        return delegated(argv[1:])
    args = build_parser().parse_args(argv)
    return args.run(args)
