"""Turn the engine's replies into LINE messages that stay within LINE's limits.

The engine returns plain replies of any size; this module alone fits them to LINE, whatever
they are, and loses no text doing so:

- at most 5 messages per call: neighbouring texts are merged (blank line between them), then
  bubbles fall back to their text alternative and are merged too; only text beyond what five
  full messages can carry (25,000 UTF-16 units) is cut, with "…" and a warning in the log;
- a text message holds at most 5,000 UTF-16 units: a longer text is split at a paragraph
  break, else a line break, else a space, never inside a Thai character cluster;
- quick replies go under the last message, at most 13: the last choices are cut, with a
  warning;
- action labels are at most 20 characters (quick reply) or 40 (Flex button) and message-action
  texts at most 300, counted as LINE counts them, in grapheme clusters; a longer one is cut
  and ends with "…" (a cut action text is logged, as tapping it sends the cut text);
- a chip with a fill-in sentence becomes a postback action that opens the keyboard with the
  sentence filled in (``inputOption`` openKeyboard, ``fillInText`` at most 300 clusters, never
  cut silently: a longer one is left out and logged); its ``data`` is the chip's text (at most
  300 characters) and its ``displayText``, which LINE requires on a quick-reply postback, the
  label;
- a Flex alt text is at most 400 UTF-16 units, a bubble at most 30,000 bytes of JSON (else the
  text alternative is sent), a URI at most 1,000 characters with scheme http, https, line or
  tel (else the card is sent as text, links written out).

LINE counts text in UTF-16 code units (an emoji outside the BMP counts 2), except action
labels and texts, which it counts in grapheme clusters (a Thai consonant with its vowel and
tone marks counts 1). The SDK checks a few of these limits (5 messages, 13 quick-reply items)
by raising, and none of the others, which LINE then enforces by refusing the whole call.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from linebot.v3.messaging import (
    Action,
    ClipboardAction,
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexMessage,
    FlexText,
    MentionSubstitutionObject,
    Message,
    MessageAction,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
    TextMessageV2,
    URIAction,
    UserMentionTarget,
)

from bot.coach.messages import Button, Card, Choice, Progress, Reply, Text

from .progress_card import progress_bubble

log = logging.getLogger("bot.web")

MAX_MESSAGES = 5
MAX_TEXT = 5000
MAX_QUICK_REPLIES = 13
MAX_QUICK_REPLY_LABEL = 20
MAX_FLEX_BUTTON_LABEL = 40
MAX_ACTION_TEXT = 300
MAX_URI = 1000
MAX_CLIPBOARD = 1000
#: Postback data, displayText and fillInText: at most 300 (data in characters, the others in
#: grapheme clusters).
MAX_POSTBACK_DATA = 300
MAX_FILL_IN = 300
#: LINE's reference gave 400 for altText and, as our notes read it now, gives 1,500: 400 fits both.
MAX_ALT_TEXT = 400
MAX_BUBBLE_BYTES = 30_000
#: A reply about one member's message starts by mentioning them (text message v2).
MENTION_KEY = "member"
MENTION_PREFIX = "{" + MENTION_KEY + "} "
URI_SCHEMES = ("http", "https", "line", "tel")
ELLIPSIS = "…"
#: Characters that join the cluster before them whatever the Unicode version: nonspacing and
#: enclosing marks (Thai vowel and tone marks among them), ZWNJ and ZWJ.
_EXTENDING_CATEGORIES = ("Mn", "Me")
_JOINERS = "\u200c\u200d"


def utf16_len(text: str) -> int:
    """Count ``text`` the way LINE counts message texts: in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def cluster_starts(text: str) -> list[int]:
    """Return where each grapheme cluster of ``text`` starts, counting no fewer than LINE does.

    A cluster is a character and the marks and joiners that follow it. Spacing marks (such
    as Thai SARA AM) and emoji sequences count as several clusters here although newer
    Unicode joins them: counting more than LINE can only make a cut earlier, never too late.
    """
    starts: list[int] = []
    previous_is_control = True
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        extends = category in _EXTENDING_CATEGORIES or char in _JOINERS
        if not extends or previous_is_control:
            starts.append(index)
        previous_is_control = category in ("Cc", "Zl", "Zp", "Cs") or (
            category == "Cf" and char not in _JOINERS)
    return starts


def cluster_len(text: str) -> int:
    """Count ``text`` the way LINE counts action labels and texts: in grapheme clusters."""
    return len(cluster_starts(text))


def truncate_clusters(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` grapheme clusters, ending with "…" when anything was cut."""
    starts = cluster_starts(text)
    if len(starts) <= limit:
        return text
    return text[:starts[limit - 1]].rstrip() + ELLIPSIS


def truncate(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` UTF-16 units, ending with "…" when anything was cut."""
    if utf16_len(text) <= limit:
        return text
    cut = _back_off_combining(text, _fitting_prefix(text, limit - 1))
    return text[:cut].rstrip() + ELLIPSIS


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` UTF-16 units, at paragraphs, then lines."""
    chunks: list[str] = []
    rest = text.strip()
    while utf16_len(rest) > limit:
        end = _fitting_prefix(rest, limit)
        cut, skip = _break_point(rest, end)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut + skip:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def _fitting_prefix(text: str, limit: int) -> int:
    """Return how many code points of ``text`` fit in ``limit`` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _break_point(text: str, end: int) -> tuple[int, int]:
    """Find where to cut ``text[:end]``: the last paragraph or line break or space past half."""
    for separator in ("\n\n", "\n", " "):
        position = text.rfind(separator, end // 2, end)
        if position > 0:
            return position, len(separator)
    return _back_off_combining(text, end) or end, 0


def _back_off_combining(text: str, end: int) -> int:
    """Move a cut left so that no Thai vowel or tone mark is separated from its consonant."""
    while 0 < end < len(text) and (unicodedata.combining(text[end])
                                   or unicodedata.category(text[end]) in ("Mn", "Mc", "Me")
                                   or text[end] in "\u200d\ufe0f"):
        end -= 1
    return end


@dataclass(frozen=True)
class _Part:
    """One message to be: plain text, or a Flex bubble with its text alternative."""

    text: str
    bubble: FlexBubble | None = None
    mention: str | None = None
    quote_token: str | None = None

    def to_message(self) -> Message:
        """Build the SDK message: a mention makes it a text message v2."""
        if self.bubble is not None:
            return FlexMessage(alt_text=truncate(self.text, MAX_ALT_TEXT), contents=self.bubble)
        if self.mention and _can_mention(self.text):
            return TextMessageV2(
                text=MENTION_PREFIX + self.text, quote_token=self.quote_token,
                substitution={MENTION_KEY: MentionSubstitutionObject(
                    mentionee=UserMentionTarget(user_id=self.mention))})
        return TextMessage(text=self.text, quote_token=self.quote_token)

    def as_text_parts(self) -> list[_Part]:
        """Return this part as text messages (a bubble falls back to its text alternative)."""
        if self.bubble is None:
            return [self]
        return [_Part(chunk) for chunk in split_text(self.text)]


def _can_mention(text: str) -> bool:
    """Tell whether ``text`` can carry the mention: v2 reads every brace as a placeholder."""
    return "{" not in text and "}" not in text and \
        utf16_len(MENTION_PREFIX + text) <= MAX_TEXT


def _text_parts(reply: Text) -> list[_Part]:
    """Split a text reply; only its first message mentions the member and quotes."""
    chunks = split_text(reply.text)
    return [_Part(chunk, mention=reply.mention if index == 0 else None,
                  quote_token=reply.quote_token if index == 0 else None)
            for index, chunk in enumerate(chunks)]


def to_messages(replies: Sequence[Reply]) -> list[Message]:
    """Turn the engine's replies into at most five LINE messages, quick replies on the last."""
    parts = _fit([part for reply in replies for part in _parts(reply)], MAX_MESSAGES)
    messages = [part.to_message() for part in parts]
    quick_reply = build_quick_reply(_last_choices(replies))
    if messages and quick_reply is not None:
        messages[-1].quick_reply = quick_reply
    return messages


def _parts(reply: Reply) -> list[_Part]:
    """Render one reply as one or more parts."""
    if isinstance(reply, Text):
        return _text_parts(reply)
    if isinstance(reply, Card):
        return _flex_or_text(card_bubble(reply), reply.as_text())
    if isinstance(reply, Progress):
        # The extra line is part of the text alternative and drawn inside the bubble.
        return _flex_or_text(progress_bubble(reply), reply.as_text())
    raise TypeError(f"unknown reply type {type(reply).__name__}")


def _flex_or_text(bubble: FlexBubble | None, text: str) -> list[_Part]:
    """Use the bubble when it is valid and small enough, else the text alternative."""
    if not text.strip():
        return []
    if bubble is None or _bubble_size(bubble) > MAX_BUBBLE_BYTES:
        return [_Part(chunk) for chunk in split_text(text)]
    return [_Part(text.strip(), bubble)]


def _bubble_size(bubble: FlexBubble) -> int:
    """Measure a bubble's JSON the way LINE limits it (bytes of compact UTF-8 JSON)."""
    return len(json.dumps(bubble.to_dict(), ensure_ascii=False, separators=(",", ":")).encode())


def _fit(parts: list[_Part], limit: int) -> list[_Part]:
    """Merge parts until there are at most ``limit``: texts first, then bubbles as text."""
    if len(parts) <= limit:
        return parts
    parts = _merge_texts(parts)
    if len(parts) > limit:
        parts = _merge_texts([text for part in parts for text in part.as_text_parts()])
    if len(parts) > limit:
        log.warning("reply too long: %d text messages cut to %d", len(parts), limit)
        tail = "\n\n".join(part.text for part in parts[limit - 1:])
        parts = parts[:limit - 1] + [_Part(truncate(tail, MAX_TEXT))]
    return parts


def _merge_texts(parts: list[_Part]) -> list[_Part]:
    """Join neighbouring text parts while the joined text stays within the text limit."""
    merged: list[_Part] = []
    for part in parts:
        previous = merged[-1] if merged else None
        if previous and previous.bubble is None and part.bubble is None:
            joined = previous.text + "\n\n" + part.text
            if utf16_len(joined) <= MAX_TEXT:
                merged[-1] = _Part(joined, mention=previous.mention or part.mention,
                                   quote_token=previous.quote_token or part.quote_token)
                continue
        merged.append(part)
    return merged


def _last_choices(replies: Sequence[Reply]) -> tuple[Choice, ...]:
    """Return the choices of the last reply that offers any (LINE shows the last message's)."""
    for reply in reversed(replies):
        if reply.choices:
            return reply.choices
    return ()


def build_quick_reply(choices: Sequence[Choice]) -> QuickReply | None:
    """Build at most 13 quick-reply chips (the first ones), labels and texts cut to fit.

    The same chips come again and again (a question's, a menu's), each two SDK models checked
    field by field: the last 256 sets are kept, built (only read after this, never changed;
    a chip's cut text is logged when first built), except chips that copy text to the
    clipboard (it may be an answer), built each time.
    """
    usable = tuple(choice for choice in choices if choice.label.strip() or choice.text.strip())
    if len(usable) < len(choices):
        log.warning("%d quick replies without label or text left out",
                    len(choices) - len(usable))
    if len(usable) > MAX_QUICK_REPLIES:
        log.warning("quick replies cut from %d to %d", len(usable), MAX_QUICK_REPLIES)
    chips = usable[:MAX_QUICK_REPLIES]
    return _quick_reply(chips) if any(c.clipboard for c in chips) else _kept_quick_reply(chips)


def _quick_reply(choices: tuple[Choice, ...]) -> QuickReply | None:
    """Build the chips, each with a label or a text (see :func:`build_quick_reply`)."""
    items = [QuickReplyItem(action=_choice_action(choice)) for choice in choices]
    return QuickReply(items=items) if items else None


_kept_quick_reply = lru_cache(maxsize=256)(_quick_reply)


def _choice_action(choice: Choice) -> Action:
    """Build a chip's action: a missing label shows the text, a missing text sends the label.

    A chip with clipboard text copies it (at most 1,000 characters, as LINE allows); one with
    a fill-in sentence opens the keyboard with it (:func:`_fill_in_action`).
    """
    if choice.clipboard:
        return ClipboardAction(label=truncate_clusters(choice.label, MAX_QUICK_REPLY_LABEL),
                               clipboard_text=choice.clipboard[:MAX_CLIPBOARD])
    label = choice.label if choice.label.strip() else choice.text
    text = choice.text if choice.text.strip() else choice.label
    if choice.fill_in:
        action = _fill_in_action(label, text, choice.fill_in)
        if action is not None:
            return action
    return _message_action(label, text, label_limit=MAX_QUICK_REPLY_LABEL)


def _fill_in_action(label: str, data: str, fill_in: str) -> PostbackAction | None:
    """Build a postback that opens the keyboard with ``fill_in``; None if it cannot fit.

    The tap sends ``data`` (the chip's command) as a postback, so nothing is written into an
    answer until the officer sends the completed sentence. A fill-in sentence or data longer
    than LINE takes would be cut where the officer cannot see it: the chip then sends its
    command as a message instead, and the log says so.
    """
    if cluster_len(fill_in) > MAX_FILL_IN or len(data) > MAX_POSTBACK_DATA:
        log.warning("a fill-in chip did not fit LINE's limits; sent as a message action")
        return None
    shown = truncate_clusters(label, MAX_QUICK_REPLY_LABEL)
    return PostbackAction(label=shown, data=data, display_text=shown,
                          input_option="openKeyboard", fill_in_text=fill_in)


def _message_action(label: str, text: str, *, label_limit: int) -> MessageAction:
    """Build an action that sends ``text``, label and text cut to LINE's limits."""
    if cluster_len(text) > MAX_ACTION_TEXT:
        log.warning("an action's text was cut to %d characters", MAX_ACTION_TEXT)
    return MessageAction(label=truncate_clusters(label, label_limit),
                         text=truncate_clusters(text, MAX_ACTION_TEXT))


def card_bubble(card: Card) -> FlexBubble | None:
    """Render a card as a bubble: title, body and a footer of buttons; None if a link is bad."""
    buttons = [_button(button, primary=index == 0) for index, button in enumerate(card.buttons)
               if button.url or button.text]
    if None in buttons:
        return None
    body = [FlexText(text=card.title, weight="bold", size="lg", wrap=True)
            ] if card.title.strip() else []
    if card.body.strip():
        body.append(FlexText(text=card.body, size="sm", wrap=True))
    if not body:
        return None
    footer = FlexBox(layout="vertical", spacing="sm", contents=buttons) if buttons else None
    return FlexBubble(body=FlexBox(layout="vertical", spacing="md", contents=body), footer=footer)


def _button(button: Button, *, primary: bool) -> FlexButton | None:
    """Render a card button: a link opens its URL, otherwise the button sends its text."""
    label = button.label or button.text or ""
    action: URIAction | MessageAction
    if button.url:
        if not is_usable_uri(button.url):
            log.warning("card link unusable in LINE (scheme or length); card sent as text")
            return None
        action = URIAction(label=truncate_clusters(label, MAX_FLEX_BUTTON_LABEL), uri=button.url)
    else:
        action = _message_action(label, button.text or "", label_limit=MAX_FLEX_BUTTON_LABEL)
    return FlexButton(action=action, style="primary" if primary else "secondary",
                      height="sm")


def is_usable_uri(uri: str) -> bool:
    """Tell whether LINE accepts ``uri`` in a URI action (scheme and length)."""
    return len(uri) <= MAX_URI and urlsplit(uri).scheme in URI_SCHEMES
