"""The seam between the domains and app/notices (which sits at the top and reads every
domain): a domain's edit route asks how many people a change would tell and may keep this
save quiet, without importing the notices package.

- ``affected_count(kind, id)``: the number of people who would be told about a change to
  that record now (app/notices registers the counter at start-up; 0 without it);
- ``keep_quiet(session)``: the organiser unticked "tell the people affected" (a typo fix):
  the notices hook writes nothing for this transaction.
"""

from __future__ import annotations

from collections.abc import Callable

QUIET = "notices_quiet"

_counter: Callable[[str, int], int] | None = None


def register_counter(counter: Callable[[str, int], int]) -> None:
    global _counter
    _counter = counter


def affected_count(kind: str, subject_id: int | None) -> int:
    if _counter is None or subject_id is None:
        return 0
    return _counter(kind, subject_id)


def keep_quiet(session) -> None:
    session.info[QUIET] = True


def is_quiet(session) -> bool:
    return bool(session.info.get(QUIET))
