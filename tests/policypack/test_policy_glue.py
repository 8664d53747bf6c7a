"""The thin SDK glue: an internal failure is reported (never raised, never silent), the collector state
is restored after every analysis, and a config of the wrong shape is reported, not fatal."""

from __future__ import annotations

import gc
import json

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


def test_the_request_is_found_past_a_reporter_variable_not_yet_set():
    """The SDK's reporter may close over variables that are not set yet (an empty closure cell): the
    request's response is still found behind them, so two requests stay apart and one request is one."""
    from cognito_s3_guard import dispatch
    from cognito_s3_guard.config import PolicyConfig

    def reporter(response: _Response):
        def report_violation(message: str, urn: str | None = None) -> None:
            a_later_value.append(message)
            response.diagnostics.append(message)

        return report_violation
        a_later_value: list[str] = []

    one, two = _Response(), _Response()
    report = reporter(one)
    assert [c.cell_contents is one for c in report.__closure__[1:]] == [True]  # the empty cell comes first
    first = dispatch.join("cognito-s3-advisories", PolicyConfig(), report)
    assert dispatch.join("cognito-s3-advisories", PolicyConfig(), reporter(one)) is first
    assert dispatch.join("cognito-bucket-access", PolicyConfig(), reporter(two)) is not first


def test_a_finding_is_reported_once_per_request_however_often_it_is_found():
    from cognito_s3_guard import dispatch
    from cognito_s3_guard.config import PolicyConfig

    sink: list[str] = []
    request = dispatch.join("cognito-s3-advisories", PolicyConfig(), _reporter(_Response(), sink))
    request.add([_finding("advisory"), _finding("advisory")])
    request.add([_finding("advisory")])
    assert [m.split("]")[0] for m in sink] == ["[bucket-hardening"]


class _PoolArgs:
    """What the SDK hands a resource policy: the resource's type, URN, name, inputs and the config."""

    def __init__(self, resource_type: str, props, config=None, name: str = "pool") -> None:
        self.resource_type, self.props, self._config, self.name = resource_type, props, config or {}, name
        self.urn = f"urn:pulumi:test::files::{resource_type}::{name}"

    def get_config(self):
        return self._config


POOL_TYPE = "aws:cognito/identityPool:IdentityPool"
CLASSIC = {"allowClassicFlow": True, "allowUnauthenticatedIdentities": False}


def test_the_resource_policy_judges_identity_pools_only():
    assert _validate("identity-pool-settings", _PoolArgs(POOL_TYPE, CLASSIC)) != []
    assert _validate("identity-pool-settings", _PoolArgs("aws:s3/bucket:Bucket", CLASSIC)) == []


def test_the_resource_policy_reports_a_bad_config_and_still_judges_with_the_default():
    reports = _validate("identity-pool-settings", _PoolArgs(POOL_TYPE, CLASSIC, {"allowGuests": "yes"}))
    assert [m.split("]")[0] for m, _ in reports] == ["[invalid-config", "[identity-pool-settings"]
    assert [u for _, u in reports] == [None, None]


def test_the_resource_policy_applies_its_exemptions():
    for exemption in ("pool", f"urn:pulumi:test::files::{POOL_TYPE}::pool", "identity-pool-settings:pool"):
        args = _PoolArgs(POOL_TYPE, CLASSIC, {"exemptions": [exemption]})
        assert _validate("identity-pool-settings", args) == [], exemption


class _ExplodingArgs(_PoolArgs):
    @property
    def props(self):
        raise RuntimeError("odd props")

    @props.setter
    def props(self, value) -> None:
        pass


def test_the_resource_policy_reports_an_internal_error_naming_the_resource():
    [(message, urn)] = _validate("identity-pool-settings", _ExplodingArgs(POOL_TYPE, CLASSIC))
    assert message.startswith("[internal-error] the pack could not check resource 'pool' (RuntimeError: ")
    assert urn is None


def test_a_rules_configured_level_is_the_level_of_its_findings_and_disabled_reports_nothing(check):
    """In-process, the level a config gives a rule is on each of its findings (the protocol routes them)."""
    from pack_builder import StackBuilder, full_pattern

    b = StackBuilder(preview=False)
    full_pattern(b, with_bucket_policy=False)
    access = "cognito-bucket-access"
    v = check(b.capture(), {access: {"rules": {"granting-bucket-policy": "advisory"}}})
    assert [f.level for f in v.rule("granting-bucket-policy")] == ["advisory"] and v.mandatory == []
    v = check(b.capture(), {access: {"rules": {"granting-bucket-policy": "disabled"}}})
    assert v.rule("granting-bucket-policy") == [] and v.mandatory == []


def test_a_rule_disabled_by_a_config_read_from_json_text_reports_nothing(check):
    """A level read from JSON text (a fresh string, not the literal in the pack) disables the rule."""
    from pack_builder import StackBuilder, full_pattern

    b = StackBuilder(preview=False)
    full_pattern(b, with_bucket_policy=False)
    assert check(b.capture()).rule("granting-bucket-policy") != []
    text = '{"cognito-bucket-access": {"rules": {"granting-bucket-policy": "disabled"}}}'
    v = check(b.capture(), json.loads(text))
    assert v.rule("granting-bucket-policy") == [] and v.mandatory == []


def _random_in_the_trust_chain(depends_on_pool: bool):
    from pack_builder import StackBuilder

    from offline.model import UNKNOWN

    b = StackBuilder(preview=True)
    pool = b.pool()
    rnd = b.add("random:index/randomString:RandomString", "suffix", {"length": 8}, computed={"result": "x"},
                deps={"keepers": [pool.urn]} if depends_on_pool else None)  # fmt: skip
    role = b.role("auth-role", trust_doc=UNKNOWN, deps={"assumeRolePolicy": [rnd.urn]})
    b.attach(pool, role)
    return b.capture()


def test_an_analysis_is_not_reused_when_resources_outside_the_graph_changed_their_dependencies(check):
    """The analysis is reused for a request with the same roles, buckets and documents, unless a bound
    it judged followed dependencies that have changed: here the trust is computed from a resource that
    does not depend on the pool (so its aud cannot pin the pool, mandatory), then from one that does."""
    for _ in range(2):
        [d] = check(_random_in_the_trust_chain(False)).findings
        assert (d.rule, d.level, d.gaps[0].code) == ("cognito-role-trust", "mandatory", "aud-not-from-pool")
        [d] = check(_random_in_the_trust_chain(True)).findings
        assert (d.rule, d.level, d.kind) == ("unverified-at-preview", "advisory", "trust-unknown")


def test_a_finding_with_gaps_is_an_immutable_hashable_value():
    """Findings are compared and collected as values (in sets, across requests): that holds for the gaps
    they carry too."""
    import dataclasses

    import pytest
    from cognito_s3_guard.findings import Finding, Gap

    inner = Gap("no-aud")
    gap = Gap("anyone-statement", "Open", ("1", "Principal *"), inner=(inner,))
    one = Finding("cognito-role-trust", "mandatory", "unsafe-trust", "urn:x", gaps=(gap,))
    again = Gap("anyone-statement", "Open", ("1", "Principal *"), inner=(Gap("no-aud"),))
    same = Finding("cognito-role-trust", "mandatory", "unsafe-trust", "urn:x", gaps=(again,))
    assert {one, same} == {one}
    with pytest.raises(dataclasses.FrozenInstanceError):
        gap.code = "no-amr"  # type: ignore[misc]


def test_an_exemption_scoped_to_one_rule_exempts_that_rules_findings_only():
    """'<rule>:<name>' exempts the findings of that rule that involve the resource, and no other rule's
    findings about it, whichever of the two rule ids sorts first."""
    from cognito_s3_guard.findings import Finding, exempt
    from cognito_s3_guard.rules import RULE_IDS

    for finding_rule in sorted(RULE_IDS):
        f = Finding(finding_rule, "mandatory", "k", "urn:x", subjects=("urn:x", "files"))
        exempted = {rule for rule in RULE_IDS if exempt(f, (f"{rule}:files",), RULE_IDS)}
        assert exempted == {finding_rule}


def test_a_finding_stays_when_another_rule_of_its_policy_is_exempted_for_its_resource(check):
    """A bucket with no bucket policy, exempted from cognito-role-trust (a rule of the same policy whose id
    sorts before granting-bucket-policy): the missing grant is still reported, at preview and deployed."""
    from pack_builder import StackBuilder, full_pattern

    for preview in (True, False):
        b = StackBuilder(preview=preview)
        t = full_pattern(b, with_bucket_policy=False)
        v = check(b.capture(), {"cognito-bucket-access": {"exemptions": ["cognito-role-trust:files"]}})
        [d] = v.rule("granting-bucket-policy")
        expected = ("mandatory", "no-bucket-policy", t.bucket.urn, t.role.urn)
        assert (d.level, d.kind, d.bucket, d.role) == expected
