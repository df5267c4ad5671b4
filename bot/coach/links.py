"""Draft links that stop opening: the revoke command, members who left, a chat that ended.

A link opens a chat's draft for as long as it has not expired, for whoever holds it (it
may have been forwarded), so a chat can take its links back:

- the revoke command revokes every link of the chat it is typed in. In a group any member
  may type it, including one LINE does not name: every member can read the draft and ask
  for new links anyway, and revoking only takes access away, so nobody gains by it;
- a member who leaves a group or room loses the links they asked for there (links other
  members asked for keep working; revoke them all with the command if they were shared);
- the bot removed from a group or blocked in a 1:1 chat revokes every link of that chat;
- delete my data revokes the member's links everywhere (:meth:`Store.delete_user_data`).

The draft command issues new links (:mod:`bot.coach.overview`).
"""

from __future__ import annotations

from .messages import Reply, Text
from .texts import Command
from .turn import Turn


def cmd_revoke_links(turn: Turn, command: Command) -> list[Reply]:
    """Revoke every draft link of this chat and say how many stopped opening."""
    count = turn.store.revoke_links(at=turn.at)
    key = "links_revoked" if count else "links_none"
    return [Text(turn.texts.get(key, count=count), choices=turn.answer_choices())]


def on_someone_left(turn: Turn) -> list[Reply]:
    """Revoke the links of members who left, or all when the bot was blocked or removed.

    LINE gives these events no reply token, and nobody who left is there to be told.
    """
    if turn.event.kind != "member_left":
        turn.store.revoke_links(at=turn.at)
    elif turn.event.members:
        turn.store.revoke_links(at=turn.at, members=turn.event.members)
    return []
