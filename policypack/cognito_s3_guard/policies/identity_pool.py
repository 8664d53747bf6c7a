"""identity-pool-settings (resource, ADVISORY): classic flow off, guests off, server-side token check on.

Local to one resource, so it is a resource policy (no graph, no extra deserialization of the stack)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, PolicyConfigSchema, ResourceValidationPolicy, Severity

from ..config import EXEMPTIONS_SCHEMA, flag, strings
from ..documents import is_unknown
from ..graph import IDENTITY_POOL, read

DESCRIPTION = (
    "Cognito identity pools keep the basic (classic) auth flow off, guest (unauthenticated) identities off "
    "unless deliberately allowed, and server-side token checks on for every user-pool provider, so that "
    "tokens of signed-out or deleted users stop working (Cognito security best practices, Security Hub "
    "Cognito.1)."
)


def identity_pool_problems(props: Any, allow_guests: bool = False) -> list[str]:
    """What an identity pool's inputs get wrong, and what preview cannot tell yet (pure)."""
    problems: list[str] = []
    classic = read(props, "allowClassicFlow")
    if is_unknown(classic):
        problems.append("allowClassicFlow is not known at preview (could not be verified yet)")
    elif classic is True:
        problems.append(
            "allowClassicFlow is true: set it to false (the basic flow skips the enhanced flow's checks)"
        )
    guests = read(props, "allowUnauthenticatedIdentities")
    if is_unknown(guests):
        problems.append("allowUnauthenticatedIdentities is not known at preview (could not be verified yet)")
    elif guests is True and not allow_guests:
        problems.append(
            "allowUnauthenticatedIdentities is true: guests get credentials without signing in; "
            "turn it off or "
            "set allowGuests in this policy's config if that is intended"
        )
    providers = read(props, "cognitoIdentityProviders")
    if is_unknown(providers):
        problems.append("cognitoIdentityProviders is not known at preview (could not be verified yet)")
    elif isinstance(providers, list):
        for i, p in enumerate(providers):
            if not isinstance(p, Mapping):
                continue
            check = p.get("serverSideTokenCheck")
            who = (
                p.get("clientId")
                if isinstance(p.get("clientId"), str) and not is_unknown(p.get("clientId"))
                else i
            )
            if is_unknown(check):
                problems.append(f"serverSideTokenCheck of provider {who} is not known at preview")
            elif check is not True:
                problems.append(
                    f"provider {who} has serverSideTokenCheck off: set server_side_token_check=True"
                )
    return problems


def _validate(args, report_violation) -> None:
    try:
        if args.resource_type != IDENTITY_POOL:
            return
        config = args.get_config() or {}
        if args.urn in strings(config, "exemptions") or args.name in strings(config, "exemptions"):
            return
        problems = identity_pool_problems(args.props, flag(config, "allowGuests", False))
        if problems:
            report_violation(f"Identity pool '{args.name}': " + "; ".join(problems) + ".", None)
    except Exception as exc:  # never raise into the SDK
        report_violation(f"[internal-error] could not check identity pool '{args.name}': {exc}", None)


identity_pool_settings = ResourceValidationPolicy(
    name="identity-pool-settings",
    description=DESCRIPTION,
    validate=_validate,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.MEDIUM,
    config_schema=PolicyConfigSchema(
        properties={
            "exemptions": EXEMPTIONS_SCHEMA,
            "allowGuests": {
                "type": "boolean",
                "default": False,
                "description": "Guest (unauthenticated) identities are intended; do not report them.",
            },
        }
    ),
    tags=["cognito", "identity-pool"],
)
