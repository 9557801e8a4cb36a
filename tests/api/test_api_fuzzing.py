"""Schemathesis against the API: every operation, with values drawn from its OpenAPI
description, answers as the description says (never a 500, a response of the declared shape).

Each operation's cases are generated and checked inside one ordinary test (schemathesis's own
pytest plugin does not run under this pytest), in the test's database with the seed-like
archive. One check is left out: that every value matching the description is accepted. A day
of the form 1946-02-31 matches the date filters' pattern and is refused with a 400 saying it is
not in the calendar, which no pattern can describe (tests/api/test_api.py checks that 400).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from schemathesis.specs.openapi.checks import positive_data_acceptance


@pytest.fixture
def keep_the_test_connection():
    """Keep the test's transaction open across requests, as Django's test client does: the
    WSGI handler would otherwise close the connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_answers_as_its_description_says(
    archive, settings, keep_the_test_connection
):
    settings.API_THROTTLE_RATES = {"anon": "100000/minute", "user": "100000/minute"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @examples(
            max_examples=30,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_described(case):
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        answers_as_described()
