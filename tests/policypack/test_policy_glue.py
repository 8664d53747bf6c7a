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
    assert sum("'exemptions' must be a list" in m for m, _ in reports) == 1
    assert [u for _, u in reports] == [None, None]


class _Response:
    """The SDK's per-request response: every policy's reporter of one request appends to it."""

    def __init__(self) -> None:
        self.diagnostics: list[str] = []


def _reporter(response: _Response | None, sink: list[str]):
    """A reporter shaped like the SDK's (a closure over the request's response), or a plain callable."""
    if response is None:
        return lambda message, urn=None: sink.append(message)

    def report_violation(message: str, urn: str | None = None) -> None:
        response.diagnostics.append(message)
        sink.append(message)

    return report_violation


def _finding(level: str):
    from cognito_s3_guard.findings import Finding

    return Finding("bucket-hardening", level, "missing", "urn:x", bucket_label="bucket 'b'", role_label="r")


def test_a_finding_waits_for_the_policy_at_its_level_within_one_request():
    from cognito_s3_guard import dispatch
    from cognito_s3_guard.config import PolicyConfig

    for shaped in (True, False):  # the SDK's closure, and the fallback when it cannot be found
        one, two = (_Response(), _Response()) if shaped else (None, None)
        first: list[str] = []
        second: list[str] = []
        request = dispatch.join("cognito-s3-advisories", PolicyConfig(), _reporter(one, first))
        request.add([_finding("mandatory")])
        assert first == [] and second == []  # cognito-bucket-access has not joined yet
        dispatch.join("cognito-bucket-access", PolicyConfig(), _reporter(one, second))
        assert first == [] and [m.split("]")[0] for m in second] == ["[bucket-hardening"]
        # The next request starts afresh: nothing pending, no reporter of the last one.
        nxt = dispatch.join("cognito-s3-advisories", PolicyConfig(), _reporter(two, []))
        assert nxt is not request and nxt.pending == [] and set(nxt.reporters) == {"cognito-s3-advisories"}
