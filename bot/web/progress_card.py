"""The progress card: a Flex bubble with a bar per dimension, the colours' key and the summary.

The counts under each bar and the closing lines are the engine's words, the same as in the
progress reply's text alternative; this only lays them out.
"""

from __future__ import annotations

from linebot.v3.messaging import FlexBox, FlexBubble, FlexText

from bot.coach.messages import DimensionProgress, Progress
from bot.coach.texts import default_texts

COLOR_DONE = "#2E7D32"
COLOR_WARNED = "#F9A825"
COLOR_TRACK = "#E0E0E0"
COLOR_MUTED = "#777777"


def _say(key: str, **values: object) -> str:
    """Return the progress bubble's wording from conversations/th.yaml (progress_bubble_*)."""
    return default_texts().get(f"progress_bubble_{key}", **values)




def progress_bubble(progress: Progress) -> FlexBubble | None:
    """Render the progress view: a title, a bar per dimension, the colours' key, the summary.

    The counts under each bar and the closing lines are the engine's words, the same as in
    the text alternative; this only lays them out.
    """
    if not progress.dimensions:
        return None
    contents: list = [FlexText(text=progress.title, weight="bold", size="lg", wrap=True)
                      ] if progress.title.strip() else []
    contents += [_dimension_box(dimension) for dimension in progress.dimensions]
    contents.append(_colour_key())
    if progress.extra.strip():
        contents.append(FlexText(text=progress.extra, size="xs", color=COLOR_MUTED, wrap=True))
    contents += [FlexText(text=line, size="sm", weight="bold", wrap=True,
                          color=COLOR_WARNED if index == 0 and len(progress.summary) > 1
                          else None)
                 for index, line in enumerate(progress.summary) if line.strip()]
    return FlexBubble(size="mega", body=FlexBox(layout="vertical", spacing="lg", contents=contents))


def _colour_key() -> FlexBox:
    """Say what the bar's colours mean: answered, answered to strengthen, not answered."""
    items = []
    for key, colour in (("done", COLOR_DONE), ("warned", COLOR_WARNED), ("empty", COLOR_TRACK)):
        items.append(FlexBox(layout="horizontal", spacing="xs", flex=0, contents=[
            FlexBox(layout="vertical", width="10px", height="10px", background_color=colour,
                    corner_radius="2px", offset_top="3px", contents=[]),
            FlexText(text=_say(f"key_{key}"), size="xxs", color=COLOR_MUTED, flex=0),
        ]))
    return FlexBox(layout="horizontal", spacing="md", contents=items)


def _dimension_box(dimension: DimensionProgress) -> FlexBox:
    """Render one dimension: header line, bar of answered questions, and the counts under it."""
    header = FlexBox(layout="horizontal", spacing="sm", contents=[
        FlexText(text=f"{dimension.number}. {dimension.name}", size="sm", weight="bold",
                 wrap=True, flex=1),
        FlexText(text=_say("points", points=dimension.points), size="xs", color=COLOR_MUTED,
                 align="end", flex=0),
    ])
    contents: list = [header, _bar(dimension)]
    if dimension.summary.strip():
        contents.append(FlexText(text=dimension.summary, size="xxs", color=COLOR_MUTED,
                                 wrap=True))
    return FlexBox(layout="vertical", spacing="xs", contents=contents)


def _bar(dimension: DimensionProgress) -> FlexBox:
    """Draw a bar: green for answers without findings, amber for answers to strengthen."""
    segments = [(dimension.answered, COLOR_DONE), (dimension.warned, COLOR_WARNED)]
    inner = []
    for count, color in segments:
        percent = _percent(count, dimension.questions)
        if percent:
            inner.append(FlexBox(layout="vertical", width=f"{percent}%", height="6px",
                                 background_color=color, contents=[]))
    return FlexBox(layout="horizontal", height="6px", background_color=COLOR_TRACK,
                   corner_radius="3px", contents=inner)


def _percent(count: int, total: int) -> int:
    """Return ``count`` as a whole percentage of ``total`` (0 when there is no total)."""
    return max(0, min(100, round(100 * count / total))) if total else 0
