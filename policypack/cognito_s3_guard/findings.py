"""The Finding value: what a rule found, as data. Text is made from it in :mod:`.render` only."""

from __future__ import annotations

from dataclasses import dataclass

from .isolation.model import Counterexample
from .reach import Grant

MANDATORY = "mandatory"
ADVISORY = "advisory"
DISABLED = "disabled"
LEVELS = (MANDATORY, ADVISORY, DISABLED)


@dataclass(frozen=True)
class Gap:
    """One thing a resource lacks or gets wrong, as data: a code, where (a statement, a provider), the
    values involved, and for a statement that trusts anyone, the gaps of that statement."""

    code: str
    where: str = ""
    values: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # a second list of values (the pool ids an aud is compared with)
    inner: tuple[Gap, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One violation. ``kind`` says which of its rule's situations it is (the renderer's switch)."""

    rule: str
    level: str  # the rule's level once config is applied (the registry default until then)
    kind: str
    resource: str  # URN of the culprit resource ("" when the stack as a whole is meant)
    remediation: str = ""
    role: str = ""  # URN of the Cognito role involved
    bucket: str = ""  # URN of the bucket involved
    grants: tuple[
        Grant, ...
    ] = ()  # what is missing, too wide, loose or reached (action, resource, s3:prefix)
    routes: tuple[str, ...] = ()  # how the role reaches the bucket, or the documents involved
    problems: tuple[str, ...] = ()  # facts as values: resources a document depends on, a parse error
    gaps: tuple[Gap, ...] = ()  # what a trust, a bucket or an identity pool lacks or gets wrong
    subjects: tuple[str, ...] = ()  # URNs and names of every resource involved (for exemptions)
    role_label: str = ""  # "role 'x' (physical-name)", as messages name it
    bucket_label: str = ""
    what: str = ""  # the resource a message is about when it is neither role nor bucket
    counterexample: Counterexample | None = None  # identity-isolation/per-identity-scope: how A reaches B

    @property
    def urn(self) -> str:
        return self.resource


def exempt(finding: Finding, exemptions: tuple[str, ...], rule_ids: frozenset[str]) -> bool:
    """``exemptions`` holds URNs or names, optionally prefixed ``<rule>:`` to exempt one rule only."""
    for e in exemptions:
        if not e:
            continue
        rule, sep, target = e.partition(":") if not e.startswith("urn:") else ("", "", e)
        if sep and rule in rule_ids:
            if rule == finding.rule and target in finding.subjects:
                return True
        elif e in finding.subjects:
            return True
    return False


__all__ = ["ADVISORY", "DISABLED", "LEVELS", "MANDATORY", "Finding", "Gap", "exempt"]
