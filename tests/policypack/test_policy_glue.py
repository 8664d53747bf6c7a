"""The thin SDK glue: an internal failure is reported (never raised, never silent), and the collector
state is restored after every analysis."""

from __future__ import annotations

import gc

from cognito_s3_guard.findings import MANDATORY_RULES
from cognito_s3_guard.policies._report import report_findings


class _Args:
    def __init__(self, resources, config=None):
        self.resources = resources
        self._config = config or {}

    def get_config(self):
        return self._config


class _Exploding:
    def __iter__(self):
        raise RuntimeError("odd input")


def test_an_internal_error_is_reported_not_raised_and_gc_is_restored():
    reports: list[tuple[str, str | None]] = []
    report_findings(_Args(_Exploding()), lambda m, u=None: reports.append((m, u)), MANDATORY_RULES)
    [(message, urn)] = reports
    assert message.startswith(
        "[internal-error] the pack could not analyze this stack (RuntimeError: odd input)"
    )
    assert "nothing was verified" in message and urn is None
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_bad_config_values_are_ignored_not_fatal():
    reports: list[str] = []
    report_findings(
        _Args([], {"exemptions": "not-a-list", "disabledRules": 3}), reports.append, MANDATORY_RULES
    )
    assert reports == []
