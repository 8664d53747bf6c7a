"""Findings to text: the only place the pack's prose is made.

Format (a contract with the gate's --json): ``[<rule-id>] <facts>``, then ``Fix: <remediation>`` on a
second line when the finding has one."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .documents import AMR_KEY, AUD_KEY, COGNITO_PRINCIPAL, WEB_IDENTITY_ACTION
from .findings import Finding, Gap
from .isolation.model import LIST, Counterexample
from .reach import INCLUDED_ROUTE, Grant

GRANTING, NO_WIDENING, TRUST = "granting-bucket-policy", "no-widening", "cognito-role-trust"
BOTH = f"({GRANTING}) and no more ({NO_WIDENING})"


def listed(items: Iterable[str], limit: int = 6) -> str:
    items = list(dict.fromkeys(items))
    shown = "; ".join(items[:limit])
    return shown + (f"; and {len(items) - limit} more" if len(items) > limit else "")


def grants_text(grants: Iterable[Grant], limit: int = 8) -> str:
    """Grants grouped by resource: "s3:GetObject, s3:PutObject on arn:...; s3:ListBucket on ... with ..."."""
    groups: dict[tuple[str, tuple[str, ...] | None], list[str]] = {}
    for g in grants:
        actions = groups.setdefault((g.pattern, g.prefixes), [])
        if g.action not in actions:
            actions.append(g.action)
    parts = []
    for (pattern, prefixes), actions in groups.items():
        acts = sorted(actions)
        more = f" and {len(acts) - limit} more actions" if len(acts) > limit else ""
        cond = f" with s3:prefix {list(prefixes)}" if prefixes is not None else ""
        parts.append(f"{', '.join(acts[:limit])}{more} on {pattern}{cond}")
    return listed(parts)


def cannot_name(f: Finding) -> str:
    """Why an unknown bucket document cannot name the role (the preview bound), or nothing."""
    parts = []
    for g in f.gaps:
        if g.code == "cannot-name":
            deps = ", ".join(g.values) or "nothing of this program"
            parts.append(
                f" The document of {g.where} is not known at preview, but it is computed only from {deps}, "
                f"not from {f.role_label}, whose name {g.others[0]!r} the engine assigns: so it cannot name "
                "the role."
            )
    return "".join(parts)


def _public(f: Finding) -> str:
    public = next((g.values for g in f.gaps if g.code == "public"), ())
    return (
        f"Cognito {f.role_label} reaches {f.bucket_label} (via {listed(f.routes)}), and the bucket policy "
        f'grants {listed(public)} to every principal ("*" with no aws:PrincipalArn condition): a public '
        "grant, which S3 Block Public Access refuses. The rule requires the bucket policy to name the role, "
        f"by its ARN or by an aws:PrincipalArn condition, for {grants_text(f.grants)}."
    )


def _granting(f: Finding) -> str:
    role, bucket, routes = f.role_label, f.bucket_label, listed(f.routes)
    if f.kind == "public-grant":
        return _public(f)
    if f.kind == "no-bucket-policy":
        reached = grants_text(f.grants) if f.grants else "access through a document not known yet"
        return (
            f"Cognito {role} reaches {bucket} ({reached}; via {routes}), but the bucket has no bucket "
            "policy, so nothing on the bucket side grants the role."
        )
    if f.kind == "not-named":
        return (
            f"Cognito {role} reaches {bucket} ({routes} depends on the bucket), but no statement of the "
            f"bucket's policies names the role as principal.{cannot_name(f)}"
        )
    return (
        f"Cognito {role} reaches {bucket} (via {routes}), but the bucket policy does not grant the role: "
        f"{grants_text(f.grants)}.{cannot_name(f)}"
    )


def _widening(f: Finding) -> str:
    included = [g for g in f.grants if g.route == INCLUDED_ROUTE]
    some = "" if len(included) == len(f.grants) else f"{grants_text(included)} "
    via = f" ({some}through {INCLUDED_ROUTE})" if included else ""
    return (
        f"The policy of {f.bucket_label} grants Cognito {f.role_label} more than the role's own policies "
        f"allow: {grants_text(f.grants)}{via}. In one account either layer is enough, so the wider "
        "bucket grant decides: every identity that gets this role gets it (they all share it)."
    )


FEDERATED = f'Principal {{"Federated": "{COGNITO_PRINCIPAL}"}}'
TRUST_GAPS: dict[str, Callable[[Gap], str]] = {
    "no-trust-policy": lambda g: "it has no trust policy",
    "anyone-instead-of-cognito": lambda g: (
        f'its trust policy trusts any principal ("*") instead of {COGNITO_PRINCIPAL} by name ({FEDERATED}), '
        "so more than the identity pool may assume it"
    ),
    "no-cognito": lambda g: (
        f"its trust policy does not trust {COGNITO_PRINCIPAL} ({FEDERATED}), so the identity pool cannot "
        "assume it"
    ),
    "both-kinds-split": lambda g: (
        "its statements together admit both authenticated and unauthenticated identities (amr), so guests "
        "get the role too: use one role per kind"
    ),
    "action-not-web-identity": lambda g: f"Action must be {WEB_IDENTITY_ACTION}",
    "not-action": lambda g: f"NotAction {list(g.values)} allows more than {WEB_IDENTITY_ACTION}",
    "action-too-wide": lambda g: (
        f"Action allows more than {WEB_IDENTITY_ACTION} (and sts:TagSession): {list(g.values)}"
    ),
    "no-aud": lambda g: (
        f'no "StringEquals": {{"{AUD_KEY}": "<identity pool id>"}} condition: without it, users of any '
        "identity pool in any account can assume the role"
    ),
    "aud-not-pool": lambda g: (
        f"the aud condition {list(g.values)} is not the attaching identity pool {list(g.others)}"
    ),
    "aud-extra": lambda g: (
        f"the aud condition also admits {list(g.values)}, which no IdentityPoolRoleAttachment of this role "
        "attaches: users of that pool can assume the role"
    ),
    "aud-not-from-pool": lambda g: (
        f"its trust policy is not known at preview, but it is computed only from "
        f"{', '.join(g.values) or 'nothing of this program'}, not from {', '.join(g.others)}, whose id AWS "
        f"assigns: so its aud is computed from {', '.join(g.values) or 'literals'}, not from "
        f"{', '.join(g.others)}, and cannot pin the role to the pool (either no identity of the pool can "
        "assume the role, or identities of other pools can)"
    ),
    "no-amr": lambda g: (
        f'no "ForAnyValue:StringLike": {{"{AMR_KEY}": "authenticated"}} (or "unauthenticated") condition: '
        "the role must say which kind of identity it is for"
    ),
}
STATEMENT_GAPS = frozenset({"action-not-web-identity", "not-action", "action-too-wide", "no-aud",
                            "aud-not-pool", "aud-extra", "no-amr"})  # fmt: skip


def trust_gap(g: Gap, in_statement: bool = False) -> str:
    """One trust gap as text; a statement's gap names the statement unless it is inside another gap."""
    if g.code == "anyone-statement":
        index, who = g.values
        where = f"statement {g.where!r}" if g.where else f"Statement[{index}]"
        own = "; ".join(trust_gap(i, in_statement=True) for i in g.inner)
        return f"{where} trusts any principal ({who}), so anyone can assume the role: {own}"
    text = TRUST_GAPS[g.code](g)
    if g.code not in STATEMENT_GAPS or in_statement:
        return text
    where = f"statement {g.where!r}" if g.where else "the statement that trusts " + COGNITO_PRINCIPAL
    return f"{where}: {text}"


def _trust(f: Finding) -> str:
    gaps = "; ".join(trust_gap(g) for g in f.gaps)
    return f"Cognito {f.role_label} ({'; '.join(f.routes)}) has a trust policy that is not safe: {gaps}."


HARDENING_GAPS = {
    "public-access-block": "a BucketPublicAccessBlock with all four settings true",
    "tls-deny": 'a bucket-policy Deny of s3:* to "*" when aws:SecureTransport is "false" (TLS only)',
    "encryption": "an explicit default-encryption configuration (SSE-S3 or SSE-KMS)",
    "ownership-enforced": 'BucketOwnershipControls with objectOwnership "BucketOwnerEnforced" (ACLs off)',
}
POOL_GAPS: dict[str, Callable[[Gap], str]] = {
    "unknown": lambda g: f"{g.where} is not known at preview (could not be verified yet)",
    "classic-flow": lambda g: (
        "allowClassicFlow is true: set it to false (the basic flow skips the enhanced flow's checks)"
    ),
    "guests": lambda g: (
        "allowUnauthenticatedIdentities is true: guests get credentials without signing in; turn it off or "
        "set allowGuests in this policy's config if that is intended"
    ),
    "token-check-unknown": lambda g: f"serverSideTokenCheck of provider {g.where} is not known at preview",
    "token-check-off": lambda g: (
        f"provider {g.where} has serverSideTokenCheck off: set server_side_token_check=True"
    ),
}


def _unverified_role(f: Finding) -> str:
    role, route = f.role_label, listed(f.routes)
    if f.kind == "roles-unknown":
        computed = f"computed from {', '.join(f.problems)}" if f.problems else "computed"
        return (
            f"Could not be verified yet: the {f.what} of {route} are {computed}, depend on no role of "
            "this program and are not known at preview, so which roles the identity pool hands out, and "
            "their trust policies and what they reach, are checked once they are known."
        )
    if f.kind == "trust-unknown":
        deps = ", ".join(f.problems) or "computed values"
        return (
            f"Could not be verified yet: the trust policy of Cognito {role} ({'; '.join(f.routes)}) is "
            f"computed from {deps} and is not known at preview. The {TRUST} rule checks it once it is "
            f"known: {WEB_IDENTITY_ACTION} by {COGNITO_PRINCIPAL} with a StringEquals {AUD_KEY} "
            f"condition (the pool id) and a ForAnyValue:StringLike {AMR_KEY} condition."
        )
    if f.kind == "document-external":
        return (
            f"Could not be verified yet for Cognito {role}: {route} is not defined in this program, so "
            "what it allows on S3 cannot be checked."
        )
    if f.kind == "document-unknown":
        deps = ", ".join(f.problems) or "computed values"
        return (
            f"Could not be verified yet for Cognito {role}: the document of {route} depends on {deps} "
            "and is not known at preview, and it depends on no bucket of this program; which buckets it "
            "reaches is checked once it is known (pulumi up)."
        )
    return (
        f"Could not be verified: Cognito {role} reaches bucket '{f.what}' through {route}, but that "
        f"bucket is not defined in this program, so whether its bucket policy grants the role {BOTH} "
        "cannot be checked here."
    )


def _unverified(f: Finding) -> str:
    role, bucket, docs = f.role_label, f.bucket_label, listed(f.routes)
    if f.kind == "role-document-unknown":
        return (
            f"Could not be verified yet: {docs} of Cognito {role} is not known at preview, so whether "
            f"the policy of {bucket} grants all of it {BOTH} is checked once it is known."
        )
    if f.kind == "bucket-name-unknown":
        return (
            f"Could not be verified yet: the name of {bucket} is computed by the provider and not known at "
            f"preview, and {docs} of Cognito {role} may or may not match it, so whether the role reaches "
            f"it, and whether its policy grants the role {BOTH}, is checked once it is known."
        )
    if f.kind == "bucket-policy-name-unknown":
        return (
            f"Could not be verified yet: the name of {bucket} is not known at preview, so whether {docs} "
            f"grants Cognito {role} {grants_text(f.grants)} on it {BOTH} is checked once it is known."
        )
    if f.kind == "bucket-document-unknown-unreaching":
        return (
            f"Could not be verified yet: the document of {docs} depends on Cognito {role}, whose own "
            f"policies reach nothing on {bucket}, and is not known at preview, so whether it grants the "
            f"role anything ({NO_WIDENING}) is checked once it is known."
        )
    if f.kind in ("bucket-document-unknown", "bucket-document-unknown-naming"):
        named = " (it depends on the role)" if f.kind.endswith("-naming") else ""
        return (
            f"Could not be verified yet: the document of {docs}{named} is not known at preview, so "
            f"whether it grants Cognito {role} {grants_text(f.grants)} on {bucket} {BOTH} is checked "
            "once it is known."
        )
    if f.kind == "document-unattached":
        deps = ", ".join(f.problems) or "computed values"
        return (
            f"Could not be verified yet: the {f.what} of {docs} is computed from {deps} and names no role "
            "of this program at preview, so which role its document is attached to, and what that role "
            "reaches, is checked once it is known."
        )
    if f.kind == "grant-role-unknown":
        return (
            f"Could not be verified yet: the policy of {bucket} grants Cognito {role} "
            f"{grants_text(f.grants)}, and a document of the role is not known yet, so whether the "
            f"grant is wider than the role's own policies ({NO_WIDENING}) is checked once it is known."
        )
    return _unverified_role(f)


def _hardening(f: Finding) -> str:
    bucket = f.bucket_label[:1].upper() + f.bucket_label[1:]
    lacks = listed(HARDENING_GAPS[g.code] for g in f.gaps)
    return f"{bucket} holds files that Cognito {f.role_label} reaches, but it lacks: {lacks}."


def counterexample_text(cx: Counterexample, shared: bool = False) -> str:
    """How identity A reaches a key: "identity <A> can <action> <key>, inside the area of identity <B>,
    through statement <n> of <resource>" (a shared grant: "outside its own area")."""
    what = f"{cx.action} {cx.key}"
    if cx.action == LIST:
        how = f"with prefix '{cx.prefix}'" if cx.prefix is not None else "without a prefix"
        what = f"{LIST} {how} (listing key {cx.key})"
    where = "outside its own area" if shared else f"inside the area of identity {cx.identity_b}"
    via = ""
    if cx.origin is not None:
        which = f"statement '{cx.origin.sid}'" if cx.origin.sid else f"statement {cx.origin.index}"
        via = f", through {which} of {cx.origin.label}"
    return f"identity {cx.identity_a} can {what}, {where}{via}"


def _isolation(f: Finding) -> str:
    assert f.counterexample is not None
    return (
        f"Cognito {f.role_label} does not keep identities apart on {f.bucket_label}: "
        f"{counterexample_text(f.counterexample)}. All users share the role, so every user can change "
        "every other user's files this way."
    )


def _scope(f: Finding) -> str:
    role, bucket, cx = f.role_label, f.bucket_label, f.counterexample
    if f.kind == "undecided":
        return (
            f"Could not be decided: whether Cognito {role} keeps identities apart on {bucket} "
            f"({', '.join(f.problems)}): {f.what}. It is not passed as isolated."
        )
    if cx is None:  # pragma: no cover - every other kind carries a counterexample
        return f"Cognito {role} is not confined to each identity's own folder on {bucket}."
    if f.kind == "crossing-read":
        return (
            f"Cognito {role} lets one identity read another's files on {bucket}: "
            f"{counterexample_text(cx)}. All users share the role."
        )
    loose = f" ({grants_text(f.grants)})" if f.grants else ""
    return (
        f"Cognito {role} is not confined to each identity's own folder on {bucket}{loose}: "
        f"{counterexample_text(cx, shared=True)}. All users share the role, so this reaches every user's "
        "files."
    )


TEXT: dict[str, Callable[[Finding], str]] = {
    "granting-bucket-policy": _granting,
    "no-widening": _widening,
    "cognito-role-trust": _trust,
    "readable-documents": lambda f: (
        f"The {f.what} cannot be read: {f.problems[0]}. AWS rejects malformed policies, and this pack "
        "cannot judge what it would allow."
    ),
    "identity-isolation": _isolation,
    "per-identity-scope": _scope,
    "bucket-hardening": _hardening,
    "unverified-at-preview": _unverified,
    "unassumable-role": lambda f: (
        f"{f.role_label[:1].upper() + f.role_label[1:]} is handed out to Cognito identities "
        f"({'; '.join(f.routes)}), but no identity can assume it: its trust policy does not allow "
        f"{WEB_IDENTITY_ACTION} to {COGNITO_PRINCIPAL} (or denies it). It reaches nothing for them, and "
        "those identities get no credentials."
    ),
    "identity-pool-settings": lambda f: f"{f.what}: " + "; ".join(POOL_GAPS[g.code](g) for g in f.gaps) + ".",
}


def facts(finding: Finding) -> str:
    """The finding's facts as one sentence or a few (no rule tag, no fix)."""
    return TEXT[finding.rule](finding)


def render(finding: Finding) -> str:
    """``[<rule-id>] <facts>``, then ``Fix: <remediation>`` on its own line when there is one."""
    text = f"[{finding.rule}] {facts(finding)}"
    return text + (f"\nFix: {finding.remediation}" if finding.remediation else "")


def render_internal_error(exc: BaseException, what: str = "analyze this stack") -> str:
    return (
        f"[internal-error] the pack could not {what} ({type(exc).__name__}: {exc}); nothing was "
        "verified. Please report this with the stack's resources."
    )


def render_config_problem(policy: str, problem: str) -> str:
    return f"[invalid-config] policy {policy!r}: {problem}"
