"""Reading the reply form (two buttons and a reason per person): the form lists its fields,
nothing is copied from the request by key."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request

from app.core.params import whole_number
from app.replies import services
from app.replies.enums import Answer


@dataclass
class Posted:
    person_id: int | None
    answer: Answer
    reason: str


def read_posted() -> Posted:
    """The person, the answer (``DomainError`` when it is missing) and the reason posted."""
    person_id = whole_number(request.form.get("person_id"))
    answer = services.parse_answer(request.form.get("answer"))
    return Posted(person_id, answer, request.form.get("reason", ""))
