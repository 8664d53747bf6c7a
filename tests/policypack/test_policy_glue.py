"""The thin SDK glue: an internal failure is reported (never raised, never silent), the collector state
is restored after every analysis, and a config of the wrong shape is reported, not fatal."""

from __future__ import annotations

import gc

from cognito_s3_guard.policies import POLICIES_BY_NAME


class _Args:
    def __init__(self, resources, config=None):
        self.resources = resources
        self._config = config or {}

    def get_config(self):
        return self._config


class _Exploding:
    def __iter__(self):
        raise RuntimeError("odd input")


def _validate(policy: str, args: _Args) -> list[tuple[str, str | None]]:
    reports: list[tuple[str, str | None]] = []
    POLICIES_BY_NAME[policy].validate(args, lambda m, u=None: reports.append((m, u)))
    return reports


def test_an_internal_error_is_reported_not_raised_and_gc_is_restored():
    [(message, urn)] = _validate("cognito-bucket-access", _Args(_Exploding()))
    assert message.startswith(
        "[internal-error] the pack could not analyze this stack (RuntimeError: odd input)"
    )
    assert "nothing was verified" in message and urn is None
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_bad_config_values_are_reported_not_fatal():
    reports = _validate("cognito-bucket-access", _Args([], {"exemptions": "not-a-list", "rules": 3}))
    assert [m.split(":")[0] for m, _ in reports] == ["[invalid-config] policy 'cognito-bucket-access'"] * 2
    assert "'exemptions' must be a list" in reports[1][0] or "'exemptions' must be a list" in reports[0][0]
