"""Load the award rubrics from ``rubrics/<year>/<track>.yaml``.

A rubric is content, not code: one YAML file per award track and year carries the
categories, the scoring dimensions with their points, and the questions with their
weights, guidance and check flags. A new year is added by adding files.

Every file is validated on load; a malformed file raises :class:`RubricError` naming
the file and the field, so a typo in the content fails at start-up, not mid-conversation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

#: The award rounds follow Thailand's calendar.
BANGKOK = timezone(timedelta(hours=7))


def coming_award_round(at: datetime) -> int:
    """Return the award round applied for at a moment: next year, in the Buddhist era."""
    return at.astimezone(BANGKOK).year + 1 + 543

RUBRICS_DIR = Path(__file__).resolve().parent.parent / "rubrics"

#: Check flags a question may carry; bot.analysis decides what each one means.
QUESTION_FLAGS = frozenset(
    {"statistics", "before_after", "beneficiaries", "sdg", "evaluation", "participation"}
)
#: Limit units a question may carry.
LIMIT_UNITS = frozenset({"pages", "chars", "words"})


class RubricError(ValueError):
    """A rubric file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class Limit:
    """A length limit on one answer, e.g. one A4 page."""

    unit: str
    max: int


@dataclass(frozen=True)
class Question:
    """One criterion question of the nomination form."""

    number: int
    text: str
    dimension: int | None
    weight: float
    min_words: int
    guidance: str
    flags: frozenset[str] = frozenset()
    limit: Limit | None = None
    categories: tuple[str, ...] = ()

    def applies_to(self, category: str) -> bool:
        """Tell whether this question is asked in ``category``."""
        return not self.categories or category in self.categories

    def has(self, flag: str) -> bool:
        """Tell whether the question carries the check flag ``flag``."""
        return flag in self.flags


@dataclass(frozen=True)
class Dimension:
    """A scoring dimension with its points."""

    number: int
    name: str
    points: int


@dataclass(frozen=True)
class CategoryCheck:
    """A category-specific check: a code, the questions it applies to, its parameters."""

    code: str
    questions: tuple[int, ...]
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Category:
    """An award category, e.g. 1.1 service innovation."""

    code: str
    name: str
    description: str
    aliases: tuple[str, ...] = ()
    name_en: str = ""
    hints: tuple[str, ...] = ()
    checks: tuple[CategoryCheck, ...] = ()


@dataclass(frozen=True)
class ParticipationLevel:
    """A participation level the memo names (Inform, Consult, Involve, Collaborate)."""

    code: str
    name: str
    name_en: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Rubric:
    """One award track in one year: categories, dimensions and questions."""

    track: str
    year: int
    name: str
    name_en: str
    aliases: tuple[str, ...]
    description: str
    categories: tuple[Category, ...]
    dimensions: tuple[Dimension, ...]
    questions: tuple[Question, ...]
    participation_levels: tuple[ParticipationLevel, ...] = ()
    source: str = ""
    notes: tuple[str, ...] = ()

    @property
    def total_points(self) -> int:
        """Sum the points of all dimensions."""
        return sum(d.points for d in self.dimensions)

    def category(self, code: str) -> Category:
        """Return the category with ``code`` or raise KeyError."""
        for category in self.categories:
            if category.code == code:
                return category
        raise KeyError(code)

    def dimension(self, number: int) -> Dimension:
        """Return the dimension with ``number`` or raise KeyError."""
        for dimension in self.dimensions:
            if dimension.number == number:
                return dimension
        raise KeyError(number)

    def question(self, number: int) -> Question:
        """Return the question with ``number`` or raise KeyError."""
        for question in self.questions:
            if question.number == number:
                return question
        raise KeyError(number)

    def questions_for(self, category: str) -> tuple[Question, ...]:
        """Return the questions asked in ``category``, in order."""
        return tuple(q for q in self.questions if q.applies_to(category))

    def checks_for(self, category: str, question: int) -> tuple[CategoryCheck, ...]:
        """Return the category-specific checks that apply to one question."""
        try:
            checks = self.category(category).checks
        except KeyError:
            return ()
        return tuple(c for c in checks if question in c.questions)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready description of the rubric."""
        data = asdict(self)
        for q in data["questions"]:
            q["flags"] = sorted(q["flags"])
        data["total_points"] = self.total_points
        return data


class _Reader:
    """Read typed fields from a YAML mapping, naming file and field on error."""

    def __init__(self, path: Path) -> None:
        """Read fields of the file at ``path``."""
        self.path = path

    def fail(self, where: str, message: str) -> RubricError:
        """Return the error for field ``where``, naming the file."""
        return RubricError(f"{self.path}: field '{where}': {message}")

    def get(self, data: Any, key: str, where: str, kind: type | tuple[type, ...], *,
            required: bool = True, default: Any = None) -> Any:
        """Return ``data[key]`` checked to be of ``kind``, or ``default`` when optional."""
        if not isinstance(data, dict):
            raise self.fail(where, "expected a mapping")
        if key not in data or data[key] is None:
            if required:
                raise self.fail(f"{where}.{key}" if where else key, "is missing")
            return default
        value = data[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.fail(f"{where}.{key}" if where else key,
                            f"expected {names}, got {type(value).__name__}")
        if isinstance(value, str) and required and not value.strip():
            raise self.fail(f"{where}.{key}" if where else key, "is empty")
        return value

    def strings(self, data: Any, key: str, where: str) -> tuple[str, ...]:
        """Return the optional list of strings ``data[key]`` as a tuple."""
        values = self.get(data, key, where, list, required=False, default=[])
        for i, value in enumerate(values):
            if not isinstance(value, str):
                raise self.fail(f"{where}.{key}[{i}]", "expected a string")
        return tuple(values)


def _read_question(r: _Reader, data: Any, where: str, dimension: int | None,
                   category_codes: set[str]) -> Question:
    """Read one question, checking its flags, limit, categories and weight."""
    flags = r.strings(data, "flags", where)
    unknown = set(flags) - QUESTION_FLAGS
    if unknown:
        raise r.fail(f"{where}.flags", f"unknown flag(s) {sorted(unknown)}; "
                                       f"known: {sorted(QUESTION_FLAGS)}")
    limit = None
    raw_limit = r.get(data, "limit", where, dict, required=False)
    if raw_limit is not None:
        unit = r.get(raw_limit, "unit", f"{where}.limit", str)
        if unit not in LIMIT_UNITS:
            raise r.fail(f"{where}.limit.unit", f"must be one of {sorted(LIMIT_UNITS)}")
        limit = Limit(unit=unit, max=r.get(raw_limit, "max", f"{where}.limit", int))
    categories = r.strings(data, "categories", where)
    for code in categories:
        if code not in category_codes:
            raise r.fail(f"{where}.categories", f"no category '{code}' in this file")
    weight = r.get(data, "weight", where, float)
    if weight < 0:
        raise r.fail(f"{where}.weight", "must not be negative")
    return Question(
        number=r.get(data, "number", where, int),
        text=r.get(data, "text", where, str).strip(),
        dimension=dimension,
        weight=weight,
        min_words=r.get(data, "min_words", where, int),
        guidance=r.get(data, "guidance", where, str).strip(),
        flags=frozenset(flags),
        limit=limit,
        categories=categories,
    )


def _read_category(r: _Reader, data: Any, where: str) -> Category:
    """Read one category with its category-specific checks."""
    checks = []
    for j, raw in enumerate(r.get(data, "checks", where, list, required=False, default=[])):
        cw = f"{where}.checks[{j}]"
        questions = r.get(raw, "questions", cw, list)
        if not all(isinstance(n, int) for n in questions):
            raise r.fail(f"{cw}.questions", "expected a list of question numbers")
        params = {k: v for k, v in raw.items() if k not in ("code", "questions")}
        checks.append(CategoryCheck(code=r.get(raw, "code", cw, str),
                                    questions=tuple(questions), params=params))
    return Category(
        code=str(r.get(data, "code", where, str)),
        name=r.get(data, "name", where, str).strip(),
        description=r.get(data, "description", where, str).strip(),
        aliases=r.strings(data, "aliases", where),
        name_en=r.get(data, "name_en", where, str, required=False, default=""),
        hints=r.strings(data, "hints", where),
        checks=tuple(checks),
    )


def _check_whole(r: _Reader, rubric: Rubric) -> None:
    """Check what spans the file: unique numbers and codes, weights that add up."""
    numbers = [q.number for q in rubric.questions]
    if len(set(numbers)) != len(numbers):
        raise r.fail("dimensions[].questions[].number", "question numbers must be unique")
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        raise r.fail("dimensions[].questions[].number", "questions must be numbered 1..N")
    codes = [c.code for c in rubric.categories]
    if len(set(codes)) != len(codes):
        raise r.fail("categories[].code", "category codes must be unique")
    for dimension in rubric.dimensions:
        weights = sum(q.weight for q in rubric.questions if q.dimension == dimension.number)
        if abs(weights - dimension.points) > 1e-6:
            raise r.fail(f"dimensions[{dimension.number - 1}]",
                         f"question weights add up to {weights:g}, not {dimension.points} points")
    for category in rubric.categories:
        for check in category.checks:
            for n in check.questions:
                if n not in numbers:
                    raise r.fail(f"categories[{category.code}].checks", f"no question {n}")


def load_rubric(path: Path) -> Rubric:
    """Load and validate one rubric file."""
    r = _Reader(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RubricError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RubricError(f"{path}: expected a mapping at the top level")
    categories = tuple(_read_category(r, c, f"categories[{i}]")
                       for i, c in enumerate(r.get(data, "categories", "", list)))
    codes = {c.code for c in categories}
    dimensions, questions = [], []
    for i, raw in enumerate(r.get(data, "dimensions", "", list)):
        where = f"dimensions[{i}]"
        dimension = Dimension(number=r.get(raw, "number", where, int),
                              name=r.get(raw, "name", where, str).strip(),
                              points=r.get(raw, "points", where, int))
        dimensions.append(dimension)
        for j, q in enumerate(r.get(raw, "questions", where, list)):
            questions.append(
                _read_question(r, q, f"{where}.questions[{j}]", dimension.number, codes))
    additional = r.get(data, "additional_questions", "", list, required=False, default=[])
    for j, q in enumerate(additional):
        questions.append(_read_question(r, q, f"additional_questions[{j}]", None, codes))
    levels = tuple(
        ParticipationLevel(code=r.get(p, "code", f"participation_levels[{i}]", str),
                           name=r.get(p, "name", f"participation_levels[{i}]", str),
                           name_en=r.get(p, "name_en", f"participation_levels[{i}]", str),
                           keywords=r.strings(p, "keywords", f"participation_levels[{i}]"))
        for i, p in enumerate(r.get(data, "participation_levels", "", list,
                                    required=False, default=[])))
    rubric = Rubric(
        track=r.get(data, "track", "", str),
        year=r.get(data, "year", "", int),
        name=r.get(data, "name", "", str).strip(),
        name_en=r.get(data, "name_en", "", str).strip(),
        aliases=r.strings(data, "aliases", ""),
        description=r.get(data, "description", "", str).strip(),
        categories=categories,
        dimensions=tuple(dimensions),
        questions=tuple(sorted(questions, key=lambda q: q.number)),
        participation_levels=levels,
        source=r.get(data, "source", "", str, required=False, default=""),
        notes=r.strings(data, "notes", ""),
    )
    if path.stem != rubric.track:
        raise r.fail("track", f"'{rubric.track}' does not match the file name '{path.stem}'")
    if path.parent.name != str(rubric.year):
        raise r.fail("year", f"{rubric.year} does not match the folder '{path.parent.name}'")
    _check_whole(r, rubric)
    return rubric


class RubricSet:
    """All rubrics that were loaded, by track and year."""

    def __init__(self, rubrics: Iterable[Rubric]) -> None:
        """Index ``rubrics`` by track and year; refuse an empty set."""
        self._by_key = {(r.track, r.year): r for r in rubrics}
        if not self._by_key:
            raise RubricError("no rubric files were found")

    def __iter__(self) -> Iterator[Rubric]:
        """Iterate over the rubrics by year, then track."""
        return iter(sorted(self._by_key.values(), key=lambda r: (r.year, r.track)))

    @property
    def latest_year(self) -> int:
        """Return the newest year for which a rubric exists."""
        return max(year for _, year in self._by_key)

    def tracks(self, year: int | None = None) -> list[Rubric]:
        """Return the rubrics of one year (the newest by default), in a stable order."""
        year = self.latest_year if year is None else year
        rubrics = [r for r in self if r.year == year]
        return sorted(rubrics, key=lambda r: r.categories[0].code if r.categories else r.track)

    def get(self, track: str, year: int) -> Rubric:
        """Return the rubric of ``track`` in ``year`` or raise KeyError."""
        return self._by_key[(track, year)]

    def to_json(self) -> str:
        """Return every loaded rubric as JSON."""
        payload = {"rubrics": [r.to_dict() for r in self]}
        return json.dumps(payload, ensure_ascii=False, indent=2)


def load_rubrics(directory: Path = RUBRICS_DIR) -> RubricSet:
    """Load and validate every ``<year>/<track>.yaml`` under ``directory``."""
    return RubricSet(load_rubric(p) for p in sorted(directory.glob("*/*.yaml")))


@lru_cache(maxsize=1)
def default_rubrics() -> RubricSet:
    """Return the project's rubrics, loaded once per process."""
    return load_rubrics()
