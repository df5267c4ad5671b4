"""What a message means: a command, a near miss of one, courtesy, or text for the answer.

Pure: :func:`classify` reads only the message and the wording (``recognition:`` and
``commands:`` in ``conversations/th.yaml``). The rules, in the order they are tried:

1. **Command.** The whole message is a command word (``Texts.command``: case, spaces,
   Thai digits and trailing punctuation folded). Failing that, polite particles and fillers
   are peeled off, one at a time and longest first: the ``trailing`` words from the end,
   then the ``leading`` words from the start, with emoji and punctuation at either end, at
   most :data:`MAX_PEELS` times, and after each peel the rest must again be a command word
   *as a whole*. So "next + polite particle" or "ok next" run the command, while a
   sentence that merely begins with a command word stays text: only particles are peeled.
2. **Yes or no.** The peeled message is one of the ``yes`` or ``no`` words: an answer to
   the bot's "did you mean …?" question, which the engine uses only when one is pending.
3. **Courtesy.** Peeled of particles and fillers the message is empty (a lone particle),
   a ``courtesy`` word (thanks, okay, noted …), laughter (three or more 5s, Thai "555"),
   or only emoji. It is never written into an answer.
4. **Near miss.** A short message (its core at most :data:`NEAR_MISS_MAX` code points,
   the whole at most :data:`SHORT_MESSAGE`) that is one small typo from a command word:
   within optimal-string-alignment distance 1 of a word of at least :data:`ONE_EDIT`
   code points, 2 of a word of at least :data:`TWO_EDITS` (a transposition counts as one
   edit). Thai spells tone marks and vowels as code points of their own, so a missing or
   extra tone mark, a wrong vowel or a neighbouring key is one edit; a four-code-point Thai
   word is only two or three letters with marks, and one edit from it reaches many real
   words, hence the bound of five. A number may follow a numbered command's word (a typo
   of "edit 3"); any other digit makes the message text. Deleting data and confirming it
   are never suggested.
5. **Text.** Everything else: what the officer wrote for the answer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .texts import COMMANDS, MAX_ARGUMENT, NUMBERED, TAKES_TEXT, Command, Texts, normalise

#: How many particles or fillers may be peeled off one message.
MAX_PEELS = 4
#: A near miss is at most this long once peeled, and the message at most SHORT_MESSAGE.
NEAR_MISS_MAX = 15
SHORT_MESSAGE = 24
#: Command words this long (in code points) admit one typo; TWO_EDITS long, two.
ONE_EDIT, TWO_EDITS = 5, 9
#: A typo is never taken for these: a slip must not lead towards deleting data.
NEVER_SUGGESTED = frozenset({"delete", "confirm"})

#: Code points that dress emoji: joiner, variation selectors, keycap, skin tones (Sk).
_EMOJI_PARTS = frozenset({0x200D, 0xFE0E, 0xFE0F, 0x20E3})
_NUMBERED_TYPO = re.compile(r"(?P<word>\D+?)\s*(?P<number>\d{1,4})")
_LAUGHTER = re.compile(r"5{3,}")

Kind = Literal["command", "near_miss", "courtesy", "text"]


@dataclass(frozen=True)
class Heard:
    """What a message was taken to mean.

    ``command`` is the command to run (kind "command"); ``suggestion`` the command a near
    miss is one typo from; ``reply`` tells whether the message reads as yes or no.
    """

    kind: Kind
    command: Command | None = None
    suggestion: Command | None = None
    reply: Literal["yes", "no"] | None = None


@dataclass(frozen=True)
class Vocabulary:
    """The words recognition matches, folded once per wording."""

    leading: tuple[str, ...]
    trailing: tuple[str, ...]
    courtesy: frozenset[str]
    yes: frozenset[str]
    no: frozenset[str]
    #: (word, command name, takes a number), in the order of COMMANDS.
    commands: tuple[tuple[str, str, bool], ...]


@lru_cache(maxsize=4)
def vocabulary(texts: Texts) -> Vocabulary:
    """Return the words of ``texts`` that recognition matches, longest particles first."""
    words = texts.recognition
    order = {name: index for index, name in enumerate(COMMANDS)}
    commands = sorted(((word, name, name in NUMBERED) for word, name in texts.command_words()
                       if name not in NEVER_SUGGESTED), key=lambda entry: order[entry[1]])
    return Vocabulary(
        leading=tuple(sorted(words.leading, key=len, reverse=True)),
        trailing=tuple(sorted(words.trailing, key=len, reverse=True)),
        courtesy=frozenset(words.courtesy), yes=frozenset(words.yes), no=frozenset(words.no),
        commands=tuple(commands))


@lru_cache(maxsize=256)
def classify(text: str, texts: Texts) -> Heard:
    """Tell what a message means: a command, a near miss, courtesy or text.

    Kept for the last messages (a Heard is frozen): the service asks before the chat's lock
    whether the event needs analysis, and the engine asks again inside it.
    """
    command = texts.command(text) or command_with_text(text, texts)
    if command is not None:
        return Heard("command", command=command)
    words = vocabulary(texts)
    steps = peelings(text, words)
    for step in steps:
        # An empty rest is no command: "?" folds to "" and would read as help.
        command = texts.command(step) if step else None
        # Free text follows a command only when the message starts with its word.
        if command is not None and command.argument is None:
            return Heard("command", command=command)
    reply = _reply(steps, words)
    if reply is not None:
        return Heard("text", reply=reply)
    if is_courtesy(text, steps, words):
        return Heard("courtesy")
    if len(text.strip()) <= SHORT_MESSAGE:
        suggestion = near_command(steps[-1], words)
        if suggestion is not None:
            return Heard("near_miss", suggestion=suggestion)
    return Heard("text")


def command_with_text(text: str, texts: Texts) -> Command | None:
    """Recognise "<word> <free text>": the message starts with the word, then a space.

    The text is one line of at most :data:`MAX_ARGUMENT` characters, so that an answer
    that merely begins with the word ("agency" is common Thai) stays an answer; polite
    particles standing after a space at its end are dropped, attached ones
    kept (a province may end like one). An award year is four digits.
    """
    for word, name in _words_taking_text(texts):
        pattern = r"\s*" + r"\s+".join(map(re.escape, word.split())) + r"\s+(?P<rest>.+)"
        found = re.fullmatch(pattern, text, flags=re.IGNORECASE | re.DOTALL)
        if found is None:
            continue
        rest = _without_particles(found["rest"].strip(), vocabulary(texts))
        if name == "award_year":
            rest = normalise(rest)
            if not (rest.isascii() and rest.isdigit() and len(rest) == 4):
                return None
        if not rest or "\n" in rest or len(rest) > MAX_ARGUMENT:
            return None
        return Command(name, argument=rest)
    return None


@lru_cache(maxsize=4)
def _words_taking_text(texts: Texts) -> tuple[tuple[str, str], ...]:
    """Return the words of commands that take free text, longest first."""
    return tuple(sorted(((word, name) for word, name in texts.command_words()
                         if name in TAKES_TEXT), key=lambda pair: -len(pair[0])))


def _without_particles(text: str, words: Vocabulary) -> str:
    """Drop polite particles standing as words of their own at the end of ``text``."""
    parts = text.split(" ")
    while len(parts) > 1 and normalise(parts[-1]) in words.trailing:
        parts.pop()
    return " ".join(parts).strip()


def _reply(steps: list[str], words: Vocabulary) -> Literal["yes", "no"] | None:
    """Return "yes" or "no" when some peeling of the message is a yes or no word."""
    if any(step in words.yes for step in steps):
        return "yes"
    if any(step in words.no for step in steps):
        return "no"
    return None


def peelings(text: str, words: Vocabulary) -> list[str]:
    """Return the message and what is left after each peel, the message first."""
    steps = [_trim(text)]
    for _ in range(MAX_PEELS):
        current = steps[-1]
        peeled = _peel(current, words)
        if peeled is None:
            break
        steps.append(peeled)
    return steps


def _peel(text: str, words: Vocabulary) -> str | None:
    """Peel one particle from the end, or else one filler from the start."""
    for particle in words.trailing:
        if text.endswith(particle):
            return _trim(text[:-len(particle)])
    for filler in words.leading:
        if text.startswith(filler):
            return _trim(text[len(filler):])
    return None


def _trim(text: str) -> str:
    """Fold the text as commands are folded, and drop emoji at either end."""
    folded = normalise(text)
    start, end = 0, len(folded)
    while start < end and (is_emoji(folded[start]) or folded[start].isspace()):
        start += 1
    while end > start and (is_emoji(folded[end - 1]) or folded[end - 1].isspace()):
        end -= 1
    return normalise(folded[start:end])


def is_emoji(char: str) -> bool:
    """Tell whether a code point is (part of) an emoji or a pictographic symbol."""
    return (ord(char) in _EMOJI_PARTS
            or unicodedata.category(char) in ("So", "Sk"))


def is_courtesy(text: str, steps: list[str], words: Vocabulary) -> bool:
    """Tell whether a message is thanks, an acknowledgement, laughter, a particle or emoji."""
    if any(step in words.courtesy or _LAUGHTER.fullmatch(step) for step in steps):
        return True
    if steps[-1]:
        return False
    # Nothing is left: a lone particle was peeled, or the message held emoji and punctuation.
    return len(steps) > 1 or any(is_emoji(char) for char in text)


def near_command(core: str, words: Vocabulary) -> Command | None:
    """Return the command a short message is one small typo from, if any."""
    if not core or len(core) > NEAR_MISS_MAX:
        return None
    number: int | None = None
    if any(char.isdigit() for char in core):
        typo = _NUMBERED_TYPO.fullmatch(core)
        if typo is None or not typo["number"].isascii():
            return None
        core, number = typo["word"].strip(), int(typo["number"])
    best: tuple[int, str] | None = None
    for word, name, numbered in words.commands:
        if numbered != (number is not None):
            continue
        distance = edit_distance(core, word, limit=allowed_edits(word))
        if distance <= allowed_edits(word) and (best is None or distance < best[0]):
            best = (distance, name)
    return Command(best[1], number) if best is not None else None


def allowed_edits(word: str) -> int:
    """Return how many typos a command word of this length admits."""
    if len(word) >= TWO_EDITS:
        return 2
    return 1 if len(word) >= ONE_EDIT else 0


def edit_distance(first: str, second: str, *, limit: int) -> int:
    """Return the optimal-string-alignment distance, or ``limit + 1`` once it is exceeded."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous: list[int] = []
    row = list(range(len(second) + 1))
    for i, char in enumerate(first, start=1):
        before, previous, row = previous, row, [i] + [0] * len(second)
        for j, other in enumerate(second, start=1):
            cost = char != other
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char == second[j - 2] and first[i - 2] == other:
                row[j] = min(row[j], before[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
    return min(row[-1], limit + 1)
