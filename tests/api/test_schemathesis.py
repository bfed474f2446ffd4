"""Every operation of /api/v1/openapi.json against the app itself (schemathesis 4, in-process
through WSGI): no 500s, every response conforms to the document (status code documented,
body valid against its schema, content type), and malformed parameters (negative cases) are
refused with a documented 400.

The operations are read from the running app's document, so endpoints that other domains
describe later are covered without editing this file. (schemathesis' pytest plugin,
``from_fixture``, does not run under pytest 9, so each operation's Hypothesis test is run
here from ``operation.as_strategy``.) Examples are few and derandomized: fast, and the same
result every run; the demo data gives the responses real content."""

from __future__ import annotations

import json

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

MAX_EXAMPLES = 25

# Rules across parameters that JSON Schema cannot state, so a schema-valid request may still
# be refused with 400 for them (the operation's description says so). Every other refusal of
# a schema-valid request is a failure (schemathesis' positive_data_acceptance, done here).
CROSS_PARAMETER_RULES = {
    ("to", "'to' must be on or after 'from'."),
    ("to", "'to' must be less than 366 days after 'from'."),
    ("cursor", "'cursor' must be a next_cursor given by this API."),
}

SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    found, errors = [], []
    for result in schema.get_all_operations():
        try:
            found.append(result.ok())
        except Exception as error:  # an operation the document describes badly
            errors.append(error)
    assert not errors, errors
    return found


def test_every_operation_conforms_to_the_document(app, demo):
    ops = operations(app)
    assert {op.label for op in ops} >= {
        "GET /medals",
        "GET /schedule",
        "GET /venues",
        "GET /venues/{venue_id}",
    }
    failures = []
    for operation in ops:
        for mode in GenerationMode:

            @SETTINGS
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case):
                response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
                assert response.status_code < 500
                if mode is GenerationMode.POSITIVE and 400 <= response.status_code < 500:
                    body = json.loads(response.content)
                    assert response.status_code == 404 or (
                        (body.get("parameter"), body.get("detail")) in CROSS_PARAMETER_RULES
                    ), f"schema-valid request refused: {response.status_code} {body}"

            try:
                check()
            except (Exception, BaseExceptionGroup) as error:  # collect all, report together
                failures.append(f"{operation.label} ({mode.value}): {error}")
    assert not failures, "\n\n".join(failures)


def test_document_is_openapi_3_1(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert "get" in document["paths"]["/medals"]
