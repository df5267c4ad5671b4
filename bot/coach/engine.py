"""The coaching conversation: plain events in, plain replies out.

The engine knows no transport and no database. Each event arrives with a
:class:`~bot.coach.ports.Store` bound to its chat (a user's 1:1 chat, or a group or
room) inside one transaction; the engine reads and writes through it and returns replies.

Commands ("ถัดไป", "แก้ข้อ 3", "ดูร่าง" …) are recognised in every state and dispatched
from a table before the state handlers. Everything else is handled by the chat's state:

```mermaid
stateDiagram-v2
    [*] --> new
    new --> choose_track: เริ่ม
    choose_track --> choose_category: บริการภาครัฐ / มีส่วนร่วม / 1, 2
    choose_track --> name_project: a category code (1.1 … 2.5)
    choose_category --> name_project: 1.1 … 2.5 / number / name
    name_project --> answering: the project's name
    answering --> answering: text (appended) / ถัดไป / ย้อนกลับ / ข้าม / ข้อ N
    answering --> finished: ถัดไป on the last question
    finished --> answering: ข้อ N / ย้อนกลับ / เลือก N
    choose_track --> new: ยกเลิก (no application yet)
    choose_category --> answering: ยกเลิก (back to the active application)
    name_project --> answering: ยกเลิก (back to the active application)
```

Two modes belong to one member rather than the whole chat, so that in a group one
officer's edit never captures another officer's message: an edit ("แก้ข้อ N": the member's
next messages replace the answer, "เพิ่ม" appends instead, "ถัดไป" finishes) and the
confirmation of "ลบข้อมูลของฉัน".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta

from bot.analysis.report import Report
from bot.rubrics import Category, Question, Rubric, RubricSet

from .messages import Choice, Event, Progress, Reply, Text, clean_text
from .ports import (Analyzer, AnswerRecord, AnswerSummary, ApplicationRecord, Conversation,
                    DraftPublisher, Store)
from .texts import Command, Texts, normalise
from . import views

NEW, CHOOSE_TRACK, CHOOSE_CATEGORY, NAME_PROJECT = "new", "choose_track", "choose_category", "name_project"
ANSWERING, FINISHED = "answering", "finished"
MAX_TITLE = 200
RESUME_AFTER = timedelta(hours=3)


@dataclass
class Turn:
    """One event being handled: the event, its chat's store and conversation."""

    event: Event
    store: Store
    conversation: Conversation
    replies: list[Reply] = field(default_factory=list)

    @property
    def user(self) -> str:
        """Return the id of the member who acted ('' when LINE did not say)."""
        return self.event.user_id or ""

    @property
    def at(self):  # type: ignore[no-untyped-def]
        """Return when the event happened."""
        return self.event.timestamp

    def member_state(self, key: str) -> dict:
        """Return this member's entry in a per-member context table (e.g. "edits")."""
        return dict((self.conversation.context.get(key) or {}).get(self.user) or {})

    def set_member_state(self, key: str, value: dict | None) -> None:
        """Set or clear this member's entry in a per-member context table."""
        table = dict(self.conversation.context.get(key) or {})
        if value:
            table[self.user] = value
        else:
            table.pop(self.user, None)
        self.conversation.context[key] = table


Handler = Callable[["Coach", Turn, Command], list[Reply]]


class Coach:
    """The conversation engine."""

    def __init__(self, rubrics: RubricSet, texts: Texts, *, analyzer: Analyzer | None = None,
                 word_count: Callable[[str], int] = lambda text: len(text.split()),
                 publisher: DraftPublisher | None = None,
                 resume_after: timedelta = RESUME_AFTER) -> None:
        self.rubrics = rubrics
        self.texts = texts
        self.analyzer = analyzer
        self.word_count = word_count
        self.publisher = publisher
        self.resume_after = resume_after

    # Entry point ----------------------------------------------------------------------

    def handle(self, event: Event, store: Store) -> list[Reply]:
        """Handle one event and return the replies to send."""
        turn = Turn(event=event, store=store, conversation=store.conversation())
        reminder = self._reminder(turn)
        replies = self._dispatch(turn)
        if reminder is not None and replies:
            replies.insert(0, reminder)
        store.save_conversation(turn.conversation, at=event.timestamp)
        return replies[:5]

    def _dispatch(self, turn: Turn) -> list[Reply]:
        kind = turn.event.kind
        if kind == "follow":
            return [self._greeting("greeting")]
        if kind == "join":
            return [self._greeting("group_greeting")]
        if kind == "member_joined":
            return [Text(self.texts.get("member_welcome"))]
        if kind in ("unfollow", "leave"):
            return []
        if kind == "unsupported":
            return [Text(self.texts.get("unsupported"), choices=self._answer_choices(turn))]
        text = clean_text((turn.event.text if kind == "text" else turn.event.postback) or "")
        if not text.strip():
            return [Text(self.texts.get("empty_message"))]
        return self._on_text(turn, text)

    def _on_text(self, turn: Turn, text: str) -> list[Reply]:
        command = self.texts.command(text)
        if turn.member_state("confirm_delete"):
            turn.set_member_state("confirm_delete", None)
            if command is not None and command.name == "confirm":
                return self._delete_user_data(turn)
            notice = Text(self.texts.get("delete_kept"))
            if command is not None and command.name == "cancel":
                return [notice]
            return [notice, *self._on_text(turn, text)]
        if command is not None:
            return COMMANDS[command.name](self, turn, command)
        if turn.member_state("edits"):
            return self._edit_text(turn, text)
        return STATES.get(turn.conversation.state, Coach._state_new)(self, turn, text)

    def _reminder(self, turn: Turn) -> Text | None:
        """Remind a returning officer where they left off."""
        last = turn.conversation.updated_at
        if (last is None or turn.event.kind not in ("text", "postback")
                or turn.at - last < self.resume_after
                or turn.conversation.state not in (ANSWERING, FINISHED)):
            return None
        application = self._application(turn)
        if application is None:
            return None
        return Text(self.texts.get("welcome_back", title=application.title,
                                   category=application.category,
                                   number=application.current_question))

    # Lookups --------------------------------------------------------------------------

    def _application(self, turn: Turn) -> ApplicationRecord | None:
        if turn.conversation.application_id is None:
            return None
        application = turn.store.application(turn.conversation.application_id)
        if application is None:
            turn.conversation.application_id = None
        return application

    def _rubric(self, application: ApplicationRecord) -> Rubric:
        return self.rubrics.get(application.track, application.year)

    def _questions(self, application: ApplicationRecord) -> tuple[Question, ...]:
        return self._rubric(application).questions_for(application.category)

    def _category(self, application: ApplicationRecord) -> Category:
        return self._rubric(application).category(application.category)

    def _analyse(self, application: ApplicationRecord, question: Question,
                 text: str) -> Report | None:
        if self.analyzer is None or not text.strip():
            return None
        return self.analyzer(text, question, self._rubric(application), application.category)

    def _reports(self, application: ApplicationRecord,
                 answers: dict[int, AnswerRecord]) -> dict[int, Report]:
        reports = {}
        for question in self._questions(application):
            answer = answers.get(question.number)
            if answer is not None and answer.parts:
                report = self._analyse(application, question, answer.text)
                if report is not None:
                    reports[question.number] = report
        return reports

    # Choices --------------------------------------------------------------------------

    def _choice(self, command: str, number: int | None = None, *,
                label: str | None = None) -> Choice:
        label = self.texts.label(label or command)
        word = self.texts.word(command)
        if number is None:
            return Choice(label, word)
        return Choice(label.format(number=number), f"{word} {number}")

    def _answer_choices(self, turn: Turn) -> tuple[Choice, ...]:
        if turn.conversation.state == ANSWERING:
            return tuple(self._choice(c) for c in ("next", "skip", "back", "progress", "draft",
                                                   "help"))
        if turn.conversation.state == FINISHED:
            return tuple(self._choice(c) for c in ("draft", "progress", "list", "help"))
        return tuple(self._choice(c) for c in ("start", "list", "help"))

    def _greeting(self, key: str) -> Text:
        return Text(self.texts.get(key), choices=(self._choice("start"), self._choice("list"),
                                                  self._choice("help")))

    # States ---------------------------------------------------------------------------

    def _state_new(self, turn: Turn, text: str) -> list[Reply]:
        """Greet an officer who has not started yet."""
        return [self._greeting("greeting")]

    def _state_choose_track(self, turn: Turn, text: str) -> list[Reply]:
        """Take the award branch (or a category code straight away)."""
        category = self._match_category(text, tracks=self.rubrics.tracks(), by_index=False)
        if category is not None:
            rubric, chosen = category
            return self._category_chosen(turn, rubric, chosen)
        rubric = self._match_track(text)
        if rubric is None:
            return [self._track_prompt(retry=True)]
        turn.conversation.state = CHOOSE_CATEGORY
        turn.conversation.context["track"] = rubric.track
        return [self._category_prompt(rubric)]

    def _state_choose_category(self, turn: Turn, text: str) -> list[Reply]:
        """Take the category by code, number or name."""
        rubric = self._chosen_rubric(turn)
        matched = self._match_category(text, tracks=[rubric], by_index=True)
        if matched is None:
            matched = self._match_category(text, tracks=self.rubrics.tracks(), by_index=False)
        if matched is None:
            return [self._category_prompt(rubric, retry=True)]
        return self._category_chosen(turn, *matched)

    def _state_name_project(self, turn: Turn, text: str) -> list[Reply]:
        """Take the project's name and ask the first question."""
        title = " ".join(text.split())
        if len(title) > MAX_TITLE:
            return [Text(self.texts.get("title_too_long", max=MAX_TITLE))]
        context = turn.conversation.context
        rubric = self.rubrics.get(context["track"], int(context["year"]))
        application = turn.store.create_application(
            track=rubric.track, year=rubric.year, category=context["category"], title=title,
            created_by=turn.event.user_id, at=turn.at)
        for key in ("track", "year", "category"):
            context.pop(key, None)
        turn.conversation.application_id = application.id
        turn.conversation.state = ANSWERING
        first = self._questions(application)[0]
        turn.store.set_current_question(application.id, first.number, at=turn.at)
        intro = Text(self.texts.get("application_created", title=title,
                                    code=application.category,
                                    category=self._category(application).name,
                                    count=len(self._questions(application)),
                                    total=rubric.total_points))
        return [intro, self._ask(turn, application, first.number)]

    def _state_answering(self, turn: Turn, text: str) -> list[Reply]:
        """Append the message to the current answer and acknowledge it briefly."""
        application = self._application(turn)
        if application is None:
            turn.conversation.state = NEW
            return [self._greeting("greeting")]
        number = application.current_question
        text = text.strip()
        summary = turn.store.append_part(application.id, number, author=turn.event.user_id,
                                         text=text, words=self.word_count(text), at=turn.at)
        return [self._acknowledge(turn, application, summary)]

    def _state_finished(self, turn: Turn, text: str) -> list[Reply]:
        """Explain that every question has been reached, and what to do next."""
        return [Text(self.texts.get("finished_hint"), choices=self._answer_choices(turn))]

    # Matching -------------------------------------------------------------------------

    def _match_track(self, text: str) -> Rubric | None:
        folded = normalise(text)
        tracks = self.rubrics.tracks()
        if folded.isdigit() and 1 <= int(folded) <= len(tracks):
            return tracks[int(folded) - 1]
        for rubric in tracks:
            names = {normalise(n) for n in (rubric.name, rubric.name_en, rubric.track,
                                            *rubric.aliases)}
            # Officers also type what a chip shows, e.g. "1 บริการภาครัฐ".
            names.add(normalise(self.texts.label("track_" + rubric.track)))
            if folded in names:
                return rubric
        return None

    def _match_category(self, text: str, *, tracks: list[Rubric],
                        by_index: bool) -> tuple[Rubric, Category] | None:
        folded = normalise(text)
        for rubric in tracks:
            for index, category in enumerate(rubric.categories, start=1):
                names = {normalise(n) for n in (category.code, category.name, category.name_en,
                                                *category.aliases)}
                names.add(normalise(f"{category.code} {category.name}"))
                # A chip's label may be shortened with "…": its code still leads.
                typed_label = folded.startswith(category.code + " ")
                if folded in names or typed_label or (by_index and folded == str(index)):
                    return rubric, category
        return None

    def _chosen_rubric(self, turn: Turn) -> Rubric:
        track = turn.conversation.context.get("track")
        for rubric in self.rubrics.tracks():
            if rubric.track == track:
                return rubric
        return self.rubrics.tracks()[0]

    # Prompts --------------------------------------------------------------------------

    def _track_prompt(self, *, retry: bool = False) -> Text:
        lines = [self.texts.get("choose_track_retry" if retry else "choose_track")]
        choices = []
        for index, rubric in enumerate(self.rubrics.tracks(), start=1):
            codes = f"{rubric.categories[0].code}–{rubric.categories[-1].code}"
            lines.append(self.texts.get("track_row", index=index, name=rubric.name, codes=codes))
            choices.append(Choice(self.texts.label("track_" + rubric.track), str(index)))
        return Text("\n".join(lines), choices=(*choices, self._choice("cancel")))

    def _category_prompt(self, rubric: Rubric, *, retry: bool = False) -> Text:
        lines = [self.texts.get("choose_category_retry" if retry else "choose_category",
                                track=rubric.name)]
        choices = []
        for category in rubric.categories:
            lines.append(self.texts.get("category_row", code=category.code, name=category.name))
            choices.append(Choice(_short(f"{category.code} {category.name}"), category.code))
        return Text("\n".join(lines), choices=(*choices, self._choice("cancel")))

    def _category_chosen(self, turn: Turn, rubric: Rubric, category: Category) -> list[Reply]:
        context = turn.conversation.context
        context.update(track=rubric.track, year=rubric.year, category=category.code)
        turn.conversation.state = NAME_PROJECT
        lines = [self.texts.get("category_chosen", code=category.code, name=category.name,
                                description=category.description)]
        lines += [self.texts.get("category_hint_line", hint=hint) for hint in category.hints]
        lines += ["", self.texts.get("name_project")]
        return [Text("\n".join(lines), choices=(self._choice("cancel"),))]

    def _ask(self, turn: Turn, application: ApplicationRecord, number: int) -> Text:
        """Show question ``number`` with its dimension, points and guidance."""
        questions = self._questions(application)
        position = next(i for i, q in enumerate(questions, start=1) if q.number == number)
        answer = turn.store.answer(application.id, number)
        body = views.question_text(self.texts, self._rubric(application),
                                   self._category(application), questions[position - 1],
                                   position, len(questions), answer)
        return Text(body, choices=self._answer_choices(turn))

    def _acknowledge(self, turn: Turn, application: ApplicationRecord,
                     summary: AnswerSummary) -> Text:
        """Say briefly that the part was kept, with the answer's length against the expected."""
        question = self._rubric(application).question(summary.question)
        key = "ack_short" if summary.words < question.min_words else "ack"
        return Text(self.texts.get(key, number=summary.question, parts=summary.parts,
                                   words=summary.words, expected=question.min_words),
                    choices=self._answer_choices(turn))

    # Moving between questions -----------------------------------------------------------

    def _go(self, turn: Turn, application: ApplicationRecord, number: int,
            before: list[Reply] | None = None) -> list[Reply]:
        turn.store.set_current_question(application.id, number, at=turn.at)
        turn.conversation.state = ANSWERING
        return [*(before or []), self._ask(turn, application, number)]

    def _neighbour(self, application: ApplicationRecord, step: int) -> int | None:
        numbers = [q.number for q in self._questions(application)]
        try:
            index = numbers.index(application.current_question) + step
        except ValueError:
            return numbers[0]
        return numbers[index] if 0 <= index < len(numbers) else None

    def _findings_reply(self, turn: Turn, application: ApplicationRecord,
                        number: int) -> tuple[Text | None, bool]:
        """Say what the answer to ``number`` is missing; tell whether anything is."""
        answer = turn.store.answer(application.id, number)
        if answer is None or not answer.parts:
            return None, False
        question = self._rubric(application).question(number)
        report = self._analyse(application, question, answer.text)
        if report is None:
            return None, False
        text = views.findings_text(self.texts, question, report)
        if text is None:
            return Text(self.texts.get("answer_looks_good", number=number,
                                       words=report.words)), False
        return Text(text), True

    def _finish(self, turn: Turn, application: ApplicationRecord,
                before: list[Reply]) -> list[Reply]:
        turn.conversation.state = FINISHED
        answers = turn.store.answers(application.id)
        missing = [q.number for q in self._questions(application)
                   if q.number not in answers or not answers[q.number].parts]
        if missing:
            text = self.texts.get("finished_with_gaps", gaps=", ".join(map(str, missing)))
            choices = tuple(self._choice("goto", n) for n in missing[:8])
            choices += (self._choice("draft"), self._choice("progress"))
        else:
            text = self.texts.get("finished_all")
            choices = (self._choice("draft"), self._choice("progress"), self._choice("list"))
        return [*before, Text(text, choices=choices)]

    # Commands -------------------------------------------------------------------------

    def _need_application(self, turn: Turn) -> ApplicationRecord | list[Reply]:
        application = self._application(turn)
        if application is None:
            return [Text(self.texts.get("no_active_application"),
                         choices=(self._choice("start"), self._choice("list")))]
        return application

    def _leave_modes(self, turn: Turn) -> None:
        turn.set_member_state("edits", None)

    def cmd_start(self, turn: Turn, command: Command) -> list[Reply]:
        """Begin a new application: ask for the branch."""
        self._leave_modes(turn)
        turn.conversation.state = CHOOSE_TRACK
        return [self._track_prompt()]

    def cmd_next(self, turn: Turn, command: Command) -> list[Reply]:
        """Finish the current answer (or edit) and go to the next question."""
        if turn.member_state("edits"):
            return self._finish_edit(turn)
        application = self._need_application(turn)
        if isinstance(application, list):
            return application
        if turn.conversation.state != ANSWERING:
            return self._go(turn, application, application.current_question)
        finished = application.current_question
        findings, weak = self._findings_reply(turn, application, finished)
        before = [findings] if findings is not None else []
        following = self._neighbour(application, +1)
        if following is None:
            return self._finish(turn, application, before)
        replies = self._go(turn, application, following, before)
        if weak:
            asked = replies[-1]
            replies[-1] = Text(asked.as_text(), choices=(
                self._choice("goto", finished, label="goto_add"), self._choice("edit", finished),
                *self._answer_choices(turn)[:4]))
        return replies

    def cmd_back(self, turn: Turn, command: Command) -> list[Reply]:
        """Go to the previous question."""
        self._leave_modes(turn)
        application = self._need_application(turn)
        if isinstance(application, list):
            return application
        if turn.conversation.state == FINISHED:
            return self._go(turn, application, application.current_question)
        previous = self._neighbour(application, -1)
        if previous is None:
            return self._go(turn, application, application.current_question,
                            [Text(self.texts.get("already_first"))])
        return self._go(turn, application, previous)

    def cmd_skip(self, turn: Turn, command: Command) -> list[Reply]:
        """Leave the current question for later and go on."""
        self._leave_modes(turn)
        application = self._need_application(turn)
        if isinstance(application, list):
            return application
        turn.store.mark_skipped(application.id, application.current_question, at=turn.at)
        following = self._neighbour(application, +1)
        note = Text(self.texts.get("skipped", number=application.current_question))
        if following is None:
            return self._finish(turn, application, [note])
        return self._go(turn, application, following, [note])

    def cmd_goto(self, turn: Turn, command: Command) -> list[Reply]:
        """Jump to question N."""
        self._leave_modes(turn)
        application = self._need_application(turn)
        if isinstance(application, list):
            return application
        if not self._valid_question(application, command.number):
            return [self._no_such_question(application, command.number)]
        return self._go(turn, application, int(command.number or 0))

    def _valid_question(self, application: ApplicationRecord, number: int | None) -> bool:
        return number in {q.number for q in self._questions(application)}

    def _no_such_question(self, application: ApplicationRecord, number: int | None) -> Text:
        numbers = [q.number for q in self._questions(application)]
        return Text(self.texts.get("no_such_question", number=number, first=numbers[0],
                                   last=numbers[-1]))

    def cmd_edit(self, turn: Turn, command: Command) -> list[Reply]:
        """Show answer N; this member's next message replaces it."""
        application = self._need_application(turn)
        if isinstance(application, list):
            return application
        if not self._valid_question(application, command.number):
            return [self._no_such_question(application, command.number)]
        number = int(command.number or 0)
        turn.set_member_state("edits", {"question": number, "mode": "replace",
                                        "application": application.id, "written": False})
        answer = turn.store.answer(application.id, number)
        question = self._rubric(application).question(number)
        current = answer.text if answer is not None and answer.parts else self.texts.get(
            "edit_empty")
        return [Text(self.texts.get("edit_show", number=number, question=question.text,
                                    answer=current)),
                Text(self.texts.get("edit_prompt", number=number),
                     choices=(self._choice("append"), self._choice("cancel")))]

    def cmd_append(self, turn: Turn, command: Command) -> list[Reply]:
        """Switch this member's edit to adding to the answer instead of replacing it."""
        edit = turn.member_state("edits")
        if not edit:
            return [Text(self.texts.get("append_outside_edit"),
                         choices=self._answer_choices(turn))]
        edit["mode"] = "append"
        turn.set_member_state("edits", edit)
        return [Text(self.texts.get("append_mode", number=edit["question"]),
                     choices=(self._choice("next"), self._choice("cancel")))]

    def _edit_text(self, turn: Turn, text: str) -> list[Reply]:
        edit = turn.member_state("edits")
        application = turn.store.application(edit["application"])
        if application is None:
            turn.set_member_state("edits", None)
            return self._on_text(turn, text)
        number = int(edit["question"])
        text = text.strip()
        write = turn.store.append_part
        key = "edit_appended"
        if edit["mode"] == "replace" and not edit.get("written"):
            write, key = turn.store.replace_answer, "edit_replaced"
        summary = write(application.id, number, author=turn.event.user_id, text=text,
                        words=self.word_count(text), at=turn.at)
        edit["written"] = True
        edit["mode"] = "append"
        turn.set_member_state("edits", edit)
        return [Text(self.texts.get(key, number=number, parts=summary.parts),
                     choices=(self._choice("next"), self._choice("cancel")))]

    def _finish_edit(self, turn: Turn) -> list[Reply]:
        edit = turn.member_state("edits")
        turn.set_member_state("edits", None)
        application = turn.store.application(edit["application"])
        if application is None:
            return [Text(self.texts.get("no_active_application"))]
        number = int(edit["question"])
        replies: list[Reply] = [Text(self.texts.get("edit_done", number=number))]
        findings, _ = self._findings_reply(turn, application, number)
        if findings is not None:
            replies.append(findings)
        if turn.conversation.application_id == application.id and \
                turn.conversation.state == ANSWERING:
            replies.append(self._ask(turn, application, application.current_question))
        return replies

    def cmd_progress(self, turn: Turn, command: Command) -> list[Reply]:
        """Show answered, warned, skipped and empty questions per dimension, with points."""
        application = self._need_application(turn)
        if isinstance(application, list):
            return application
        answers = turn.store.answers(application.id)
        progress = views.progress_view(
            self.texts, self._rubric(application), application, self._questions(application),
            answers, self._reports(application, answers), self._answer_choices(turn))
        return [progress]

    def cmd_draft(self, turn: Turn, command: Command) -> list[Reply]:
        """Deliver the compiled draft: links (or files) when a publisher is set, else text."""
        application = self._need_application(turn)
        if isinstance(application, list):
            return application
        answers = turn.store.answers(application.id)
        if self.publisher is not None:
            replies = self.publisher(application, answers, chat_id=turn.conversation.chat_id)
            return [*replies[:-1], _with_choices(replies[-1], self._answer_choices(turn))]
        text = views.draft_text(self.texts, self._rubric(application),
                                self._category(application), application,
                                self._questions(application), answers)
        return [Text(text, choices=self._answer_choices(turn))]

    def cmd_list(self, turn: Turn, command: Command) -> list[Reply]:
        """List this chat's applications."""
        applications = turn.store.applications()
        answered = {}
        for application in applications:
            answers = turn.store.answers(application.id)
            questions = self._questions(application)
            done = sum(1 for q in questions if answers.get(q.number) and answers[q.number].parts)
            answered[application.id] = (done, len(questions))
        return [views.applications_text(self.texts, applications,
                                        turn.conversation.application_id, answered)]

    def cmd_open(self, turn: Turn, command: Command) -> list[Reply]:
        """Switch to application N of the list."""
        self._leave_modes(turn)
        applications = turn.store.applications()
        index = int(command.number or 0)
        if not 1 <= index <= len(applications):
            return [Text(self.texts.get("no_such_application", number=index,
                                        count=len(applications)),
                         choices=(self._choice("list"),))]
        application = applications[index - 1]
        turn.conversation.application_id = application.id
        for key in ("track", "year", "category"):
            turn.conversation.context.pop(key, None)
        note = Text(self.texts.get("application_opened", title=application.title,
                                   category=application.category))
        return self._go(turn, application, application.current_question, [note])

    def cmd_cancel(self, turn: Turn, command: Command) -> list[Reply]:
        """Leave an edit or a choice without changing anything."""
        if turn.member_state("edits"):
            edit = turn.member_state("edits")
            turn.set_member_state("edits", None)
            key = "edit_cancelled_after_write" if edit.get("written") else "edit_cancelled"
            return [Text(self.texts.get(key, number=edit["question"]),
                         choices=self._answer_choices(turn))]
        if turn.conversation.state in (CHOOSE_TRACK, CHOOSE_CATEGORY, NAME_PROJECT):
            for key in ("track", "year", "category"):
                turn.conversation.context.pop(key, None)
            application = self._application(turn)
            if application is None:
                turn.conversation.state = NEW
                return [Text(self.texts.get("cancelled_setup"),
                             choices=(self._choice("start"), self._choice("help")))]
            return self._go(turn, application, application.current_question,
                            [Text(self.texts.get("cancelled_back"))])
        return [Text(self.texts.get("nothing_to_cancel"), choices=self._answer_choices(turn))]

    def cmd_delete(self, turn: Turn, command: Command) -> list[Reply]:
        """Ask this member to confirm deleting all of their data."""
        turn.set_member_state("confirm_delete", {"asked": True})
        key = "delete_confirm_group" if turn.event.in_group else "delete_confirm"
        return [Text(self.texts.get(key), choices=(self._choice("confirm"),
                                                   self._choice("cancel")))]

    def cmd_confirm(self, turn: Turn, command: Command) -> list[Reply]:
        """Answer a "ยืนยัน" that confirms nothing."""
        return [Text(self.texts.get("nothing_to_confirm"), choices=self._answer_choices(turn))]

    def _delete_user_data(self, turn: Turn) -> list[Reply]:
        turn.store.delete_user_data(turn.user)
        if not turn.event.in_group:
            turn.conversation = Conversation(chat_id=turn.conversation.chat_id,
                                             chat_type=turn.conversation.chat_type, state=NEW,
                                             application_id=None)
            return [Text(self.texts.get("deleted"))]
        return [Text(self.texts.get("deleted_group"))]

    def cmd_help(self, turn: Turn, command: Command) -> list[Reply]:
        """List the commands."""
        return [Text(self.texts.get("help"), choices=self._answer_choices(turn))]

    def cmd_resume(self, turn: Turn, command: Command) -> list[Reply]:
        """Show the question the chat is on (the rich menu's "ทำต่อ")."""
        application = self._application(turn)
        if application is None:
            applications = turn.store.applications()
            if not applications:
                return [self._greeting("greeting")]
            application = applications[-1]
            turn.conversation.application_id = application.id
        if turn.conversation.state == FINISHED:
            return self._finish(turn, application, [])
        return self._go(turn, application, application.current_question)


def _with_choices(reply: Reply, choices: tuple[Choice, ...]) -> Reply:
    """Return ``reply`` with quick-reply choices, unless it has its own."""
    if getattr(reply, "choices", ()) or isinstance(reply, Progress):
        return reply
    return replace(reply, choices=choices)


def _short(label: str, limit: int = 20) -> str:
    """Fit a quick-reply label into LINE's 20 characters."""
    return label if len(label) <= limit else label[:limit - 1] + "…"


COMMANDS: dict[str, Handler] = {
    "start": Coach.cmd_start,
    "next": Coach.cmd_next,
    "back": Coach.cmd_back,
    "skip": Coach.cmd_skip,
    "goto": Coach.cmd_goto,
    "edit": Coach.cmd_edit,
    "append": Coach.cmd_append,
    "progress": Coach.cmd_progress,
    "draft": Coach.cmd_draft,
    "list": Coach.cmd_list,
    "open": Coach.cmd_open,
    "cancel": Coach.cmd_cancel,
    "delete": Coach.cmd_delete,
    "confirm": Coach.cmd_confirm,
    "help": Coach.cmd_help,
    "resume": Coach.cmd_resume,
}

STATES: dict[str, Callable[[Coach, Turn, str], list[Reply]]] = {
    NEW: Coach._state_new,
    CHOOSE_TRACK: Coach._state_choose_track,
    CHOOSE_CATEGORY: Coach._state_choose_category,
    NAME_PROJECT: Coach._state_name_project,
    ANSWERING: Coach._state_answering,
    FINISHED: Coach._state_finished,
}
