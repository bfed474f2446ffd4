"""The registry of reply subjects: each domain tells what one occurrence of its subject is
(title, when, where, whether it is cancelled) and who is expected there.

A domain registers a loader for its kind from its own ``replies.py`` (as it registers a busy
source), so this seam never imports a domain. A loader answers None when the subject does not
exist or has no occurrence at that start."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Subject:
    kind: str  # "performance", "event", "session"
    id: int
    occurrence_start: datetime  # the key of the occurrence (a session's original start)
    title: str
    start: datetime  # when it happens now (a moved session's new start)
    end: datetime
    venue: str  # the place's name, or "" when none is set
    cancelled: bool
    page_endpoint: str  # the signed-in page (for links from the reply page)
    page_args: dict = field(default_factory=dict)
    expected_person_ids: frozenset[int] = field(default_factory=frozenset)


Loader = Callable[[int, datetime], Subject | None]

LOADERS: dict[str, Loader] = {}


def register(kind: str, loader: Loader) -> Loader:
    LOADERS[kind] = loader
    return loader


def load(kind: str, subject_id: int, occurrence_start: datetime) -> Subject | None:
    loader = LOADERS.get(kind)
    return loader(subject_id, occurrence_start) if loader is not None else None
