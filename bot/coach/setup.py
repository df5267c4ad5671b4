"""Setting up an application: the award branch, the category, the project's name."""

from __future__ import annotations

from bot.rubrics import Category, Rubric, RubricSet

from . import details, limiting, views
from .answering import ask, go
from .messages import Choice, Reply, Text
from .texts import Command, Texts, normalise
from .turn import ANSWERING, CHOOSE_CATEGORY, CHOOSE_TRACK, NAME_PROJECT, NEW, Turn

#: The longest project name kept; a longer one is refused with the limit said.
MAX_TITLE = 200
#: How long a category chip's label may be before its "…", counted as LINE counts labels
#: (20 grapheme clusters): the engine cuts it between two words, never inside one.
CHIP_CHARS = 19


def cmd_start(turn: Turn, command: Command) -> list[Reply]:
    """Begin a new application: ask for the branch (unless the chat has as many as it may)."""
    refused = limiting.new_application_refused(turn)
    if refused is not None:
        return [refused]
    turn.edit = None
    turn.state = CHOOSE_TRACK
    return [track_prompt(turn)]


def state_choose_track(turn: Turn, text: str) -> list[Reply]:
    """Take the award branch (or a category code straight away)."""
    rubrics = turn.coach.rubrics
    category = match_category(text, tracks=rubrics.tracks(), by_index=False)
    if category is not None:
        return category_chosen(turn, *category)
    rubric = match_track(rubrics, turn.texts, text)
    if rubric is None:
        return [track_prompt(turn, retry=True)]
    turn.state = CHOOSE_CATEGORY
    turn.conversation.context["track"] = rubric.track
    return [category_prompt(turn, rubric)]


def state_choose_category(turn: Turn, text: str) -> list[Reply]:
    """Take the category by code, number or name."""
    rubric = chosen_rubric(turn)
    matched = match_category(text, tracks=[rubric], by_index=True)
    if matched is None:
        matched = match_category(text, tracks=turn.coach.rubrics.tracks(), by_index=False)
    if matched is None:
        return [category_prompt(turn, rubric, retry=True)]
    return category_chosen(turn, *matched)


def state_name_project(turn: Turn, text: str) -> list[Reply]:
    """Take the project's name, create the application and ask the first question."""
    title = " ".join(text.split())
    if len(title) > MAX_TITLE:
        return [Text(turn.texts.get("title_too_long", max=MAX_TITLE))]
    refused = limiting.new_application_refused(turn)  # another member's came first
    if refused is not None:
        return [refused, *cancel_setup(turn)]
    context = turn.conversation.context
    rubric = turn.coach.rubrics.get(context["track"], int(context["year"]))
    application = turn.store.create_application(
        track=rubric.track, year=rubric.year, category=context["category"], title=title,
        created_by=turn.event.user_id, at=turn.at)
    turn.forget_setup()
    turn.conversation.application_id = application.id
    turn.state = ANSWERING
    questions = turn.questions(application)
    turn.move(application, questions[0].number)
    intro = Text(turn.texts.get("application_created", title=title, code=application.category,
                                category=turn.category(application).name,
                                count=len(questions), total=rubric.total_points))
    return details.on_created(turn, application, intro,
                              ask(turn, application, questions[0].number))


def cancel_setup(turn: Turn) -> list[Reply]:
    """Drop the choices of an application not yet created and go back to the active one."""
    turn.forget_setup()
    application = turn.application()
    if application is None:
        turn.state = NEW
        return [Text(turn.texts.get("cancelled_setup"),
                     choices=(turn.choice("start"), turn.choice("help")))]
    return go(turn, application, application.current_question,
              [Text(turn.texts.get("cancelled_back"))])


# Matching -------------------------------------------------------------------------------

def match_track(rubrics: RubricSet, texts: Texts, text: str) -> Rubric | None:
    """Return the branch named, numbered or labelled by ``text``."""
    folded = normalise(text)
    tracks = rubrics.tracks()
    # isdecimal, not isdigit: "፩" and "²" are digits that int() refuses (a 500 for LINE).
    if folded.isdecimal() and 1 <= int(folded) <= len(tracks):
        return tracks[int(folded) - 1]
    for rubric in tracks:
        names = {normalise(n) for n in (rubric.name, rubric.name_en, rubric.track,
                                        *rubric.aliases)}
        # Officers also type what a chip shows, e.g. "1 บริการภาครัฐ".
        names.add(normalise(texts.label("track_" + rubric.track)))
        if folded in names:
            return rubric
    return None


def match_category(text: str, *, tracks: list[Rubric],
                   by_index: bool) -> tuple[Rubric, Category] | None:
    """Return the category named by ``text``: its code, name, chip label or list number."""
    folded = normalise(text)
    for rubric in tracks:
        for index, category in enumerate(rubric.categories, start=1):
            names = {normalise(n) for n in (category.code, category.name, category.name_en,
                                            *category.aliases)}
            names.add(normalise(f"{category.code} {category.name}"))
            # A chip's label may be shortened with "…" by LINE's limit: its code still leads.
            typed_label = folded.startswith(category.code + " ")
            if folded in names or typed_label or (by_index and folded == str(index)):
                return rubric, category
    return None


def chosen_rubric(turn: Turn) -> Rubric:
    """Return the branch chosen earlier in the setup (the first one if none was)."""
    track = turn.conversation.context.get("track")
    for rubric in turn.coach.rubrics.tracks():
        if rubric.track == track:
            return rubric
    return turn.coach.rubrics.tracks()[0]


# Prompts --------------------------------------------------------------------------------

def track_prompt(turn: Turn, *, retry: bool = False) -> Text:
    """Ask for the award branch, listing each with its category codes."""
    texts = turn.texts
    lines = [texts.get("choose_track_retry" if retry else "choose_track")]
    choices = []
    for index, rubric in enumerate(turn.coach.rubrics.tracks(), start=1):
        codes = f"{rubric.categories[0].code}–{rubric.categories[-1].code}"
        lines.append(texts.get("track_row", index=index, name=rubric.name, codes=codes))
        choices.append(Choice(texts.label("track_" + rubric.track), str(index)))
    return Text("\n".join(lines), choices=(*choices, turn.choice("cancel")))


def category_prompt(turn: Turn, rubric: Rubric, *, retry: bool = False) -> Text:
    """Ask for the category of ``rubric``'s branch."""
    texts = turn.texts
    lines = [texts.get("choose_category_retry" if retry else "choose_category",
                       track=rubric.name)]
    choices = []
    for category in rubric.categories:
        lines.append(texts.get("category_row", code=category.code, name=category.name))
        label = views.preview(f"{category.code} {category.name}", CHIP_CHARS,
                              measure=views.clusters)
        choices.append(Choice(label, category.code))
    return Text("\n".join(lines), choices=(*choices, turn.choice("cancel")))


def category_chosen(turn: Turn, rubric: Rubric, category: Category) -> list[Reply]:
    """Keep the chosen category, say what it rewards, and ask for the project's name."""
    turn.conversation.context.update(track=rubric.track, year=rubric.year,
                                     category=category.code)
    turn.state = NAME_PROJECT
    texts = turn.texts
    lines = [texts.get("category_chosen", code=category.code, name=category.name,
                       description=category.description)]
    lines += [texts.get("category_hint_line", hint=hint) for hint in category.hints]
    lines += ["", texts.get("name_project")]
    return [Text("\n".join(lines), choices=(turn.choice("cancel"),))]
