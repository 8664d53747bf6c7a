"""identity-pool-settings: an identity pool keeps the classic flow off, guests off (unless the config
allows them) and server-side token checks on. Local to one resource: judged on its inputs alone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..documents import is_unknown
from ..findings import ADVISORY, Finding, Gap
from ..graph import Node
from .base import Rule, RuleConfig

ID = "identity-pool-settings"
REMEDIATION = (
    "set allow_classic_flow=False, allow_unauthenticated_identities=False (or allowGuests in this "
    "policy's config if guests are intended) and server_side_token_check=True for every provider."
)


def _provider_gaps(providers: list[Any]) -> list[Gap]:
    out: list[Gap] = []
    for i, p in enumerate(providers):
        if not isinstance(p, Mapping):
            continue
        check = p.get("serverSideTokenCheck")
        client = p.get("clientId")
        who = client if isinstance(client, str) and not is_unknown(client) else str(i)
        if is_unknown(check):
            out.append(Gap("token-check-unknown", who))
        elif check is not True:
            out.append(Gap("token-check-off", who))
    return out


def gaps(node: Node, allow_guests: bool = False) -> list[Gap]:
    """What an identity pool's inputs get wrong, and what preview cannot tell yet (pure)."""
    out: list[Gap] = []
    classic = node.get("allowClassicFlow")
    if is_unknown(classic):
        out.append(Gap("unknown", "allowClassicFlow"))
    elif classic is True:
        out.append(Gap("classic-flow"))
    guests = node.get("allowUnauthenticatedIdentities")
    if is_unknown(guests):
        out.append(Gap("unknown", "allowUnauthenticatedIdentities"))
    elif guests is True and not allow_guests:
        out.append(Gap("guests"))
    providers = node.get("cognitoIdentityProviders")
    if is_unknown(providers):
        out.append(Gap("unknown", "cognitoIdentityProviders"))
    elif isinstance(providers, list):
        out.extend(_provider_gaps(providers))
    return out


def check(node: Node, config: RuleConfig) -> list[Finding]:
    found = gaps(node, config.allow_guests)
    if not found:
        return []
    return [Finding(ID, ADVISORY, "settings", node.urn, REMEDIATION, gaps=tuple(found),
                    subjects=(node.urn, node.name), what=f"Identity pool '{node.name}'")]  # fmt: skip


RULE = Rule(
    id=ID,
    policy="identity-pool-settings",
    level=ADVISORY,
    title="An identity pool keeps the classic flow off, guests off and server-side token checks on.",
    description=(
        "The basic (classic) auth flow skips the enhanced flow's checks; guest identities get credentials "
        "without signing in; without server-side token checks, tokens of signed-out or deleted users keep "
        'working (Cognito Developer Guide, "Identity pools security best practices"; Security Hub '
        "Cognito.2)."
    ),
    remediation=REMEDIATION,
    references=(
        "Security Hub Cognito.2",
        "https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools-security-best-practices.html",
    ),
    check=check,
    scope="resource",
)
