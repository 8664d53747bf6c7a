"""Every rule, evaluated once over the graph: a list of findings, each tagged with its rule.

The two stack policies share this work: :func:`analyze_stack` is memoised on the request's content, so
one AnalyzeStack request builds the graph and evaluates the rules once, whichever policy asks first.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .documents import (
    AMR_KEY,
    AUD_KEY,
    COGNITO_PRINCIPAL,
    SUB_VARIABLE,
    WEB_IDENTITY_ACTION,
    Statement,
    action_matches,
)
from .graph import RELEVANT_TYPES, Bucket, Graph, Node, Role, Source, build_graph, known_str, to_node
from .reach import INCLUDED_ROUTE, Grant, RoleLookup, bucket_side, covered, role_reach

# Rule ids (kebab-case). The first four are reported by the MANDATORY stack policy.
GRANTING = "granting-bucket-policy"
NO_WIDENING = "no-widening"
TRUST = "cognito-role-trust"
READABLE = "readable-documents"
# These by the ADVISORY stack policy.
SCOPE = "per-identity-scope"
HARDENING = "bucket-hardening"
UNVERIFIED = "unverified-at-preview"

MANDATORY_RULES = (GRANTING, NO_WIDENING, TRUST, READABLE)
ADVISORY_RULES = (SCOPE, HARDENING, UNVERIFIED)


@dataclass(frozen=True)
class Finding:
    rule: str
    urn: str  # the culprit resource
    message: str
    subjects: tuple[str, ...] = ()  # URNs and names of every resource involved (for exemptions)
    grants: tuple[Grant, ...] = ()  # for per-identity-scope: the loose grants, refined by config
    labels: tuple[str, ...] = ()  # for per-identity-scope: (role label, bucket label)


def _subjects(*nodes: Node | None) -> tuple[str, ...]:
    out: list[str] = []
    for n in nodes:
        if n is not None:
            out.extend([n.urn, n.name])
    return tuple(out)


def _list(items: Iterable[str], limit: int = 6) -> str:
    items = list(dict.fromkeys(items))
    shown = "; ".join(items[:limit])
    return shown + (f"; and {len(items) - limit} more" if len(items) > limit else "")


def grants_text(grants: Iterable[Grant], limit: int = 8) -> str:
    """Grants grouped by resource: "s3:GetObject, s3:PutObject on arn:...; s3:ListBucket on ... with ..."."""
    groups: dict[tuple[str, tuple[str, ...] | None], list[str]] = {}
    for g in grants:
        groups.setdefault((g.pattern, g.prefixes), [])
        if g.action not in groups[(g.pattern, g.prefixes)]:
            groups[(g.pattern, g.prefixes)].append(g.action)
    parts = []
    for (pattern, prefixes), actions in groups.items():
        acts = sorted(actions)
        more = f" and {len(acts) - limit} more actions" if len(acts) > limit else ""
        shown = ", ".join(acts[:limit]) + more
        cond = f" with s3:prefix {list(prefixes)}" if prefixes is not None else ""
        parts.append(f"{shown} on {pattern}{cond}")
    return _list(parts)


def _role_arn_hint(role: Role) -> str:
    if role.arn:
        return role.arn
    return f"arn:aws:iam::<account>:role/{role.path_name or '<role name>'}"


# --- trust ---------------------------------------------------------------------------------------


def trust_problems(role: Role) -> list[str]:
    """What a known trust policy lacks for a Cognito role (empty when it is right)."""
    stmts = [
        s for s in role.trust.statements
        if s.effect == "Allow" and s.principals and ("Federated", COGNITO_PRINCIPAL) in s.principals
    ]  # fmt: skip
    if not stmts:
        if any(s.effect == "Allow" and _trusts_anyone(s) for s in role.trust.statements):
            return [
                f'its trust policy trusts any principal ("*") instead of {COGNITO_PRINCIPAL} by name '
                f'(Principal {{"Federated": "{COGNITO_PRINCIPAL}"}}), so more than the identity pool may '
                "assume it"
            ]
        return [
            f'its trust policy does not trust {COGNITO_PRINCIPAL} (Principal {{"Federated": '
            f'"{COGNITO_PRINCIPAL}"}}), so the identity pool cannot assume it'
        ]
    problems: list[str] = []
    for s in stmts:
        where = f"statement {s.sid!r}" if s.sid else "the statement that trusts " + COGNITO_PRINCIPAL
        problems.extend(f"{where}: {p}" for p in _statement_trust_problems(s, role))
    kinds = {v for s in stmts for v in _amr_values(s)}
    if len(stmts) > 1 and kinds == {"authenticated", "unauthenticated"}:
        problems.append(
            "its statements together admit both authenticated and unauthenticated identities (amr), so "
            "guests get the role too: use one role per kind"
        )
    # Another statement that trusts anyone makes the pinned one moot: it must pin the same way.
    for i, s in enumerate(role.trust.statements):
        if s.effect != "Allow" or s in stmts or not _trusts_anyone(s):
            continue
        own = _statement_trust_problems(s, role)
        if own:
            where = f"statement {s.sid!r}" if s.sid else f"Statement[{i}]"
            who = "NotPrincipal" if s.principals is None else "Principal *"
            problems.append(
                f"{where} trusts any principal ({who}), so anyone can assume the role: " + "; ".join(own)
            )
    return problems


def _amr_values(s: Statement) -> list[str]:
    return [
        v for op, vals in s.condition_values(AMR_KEY)
        if op.split(":")[-1] in ("StringLike", "StringEquals") for v in vals
    ]  # fmt: skip


def _trusts_anyone(s: Statement) -> bool:
    if s.principals is None:
        return s.not_principals is not None
    return any(kind == "*" or value == "*" for kind, value in s.principals)


# What a Cognito trust statement may allow: the web-identity call, and sts:TagSession, which attributes
# for access control (principal tags) need (Cognito Developer Guide, "Using attributes for access
# control"). Wildcards are judged against the STS actions (Service Authorization Reference, "AWS STS").
TRUST_ACTIONS = frozenset({WEB_IDENTITY_ACTION.lower(), "sts:tagsession"})
STS_ACTIONS = (
    "sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoot",
    "sts:DecodeAuthorizationMessage", "sts:GetAccessKeyInfo", "sts:GetCallerIdentity",
    "sts:GetFederationToken", "sts:GetServiceBearerToken", "sts:GetSessionToken", "sts:SetContext",
    "sts:SetSourceIdentity", "sts:TagSession",
)  # fmt: skip


def _trust_action_ok(pattern: str) -> bool:
    if "*" not in pattern and "?" not in pattern:
        return pattern.lower() in TRUST_ACTIONS
    if not pattern.lower().startswith("sts:"):
        return False
    matched = [a for a in STS_ACTIONS if action_matches(pattern, a)]
    return bool(matched) and all(a.lower() in TRUST_ACTIONS for a in matched)


def _statement_trust_problems(s: Statement, role: Role) -> list[str]:
    out: list[str] = []
    if not s.allows_action(WEB_IDENTITY_ACTION):
        out.append(f"Action must be {WEB_IDENTITY_ACTION}")
    elif s.not_actions is not None:
        out.append(f"NotAction {list(s.not_actions)} allows more than {WEB_IDENTITY_ACTION}")
    elif s.actions is not None and not all(_trust_action_ok(a) for a in s.actions):
        out.append(f"Action allows more than {WEB_IDENTITY_ACTION} (and sts:TagSession): {list(s.actions)}")
    aud = [
        v for op, vals in s.condition_values(AUD_KEY)
        if op.split(":")[-1] in ("StringEquals", "StringEqualsIgnoreCase") for v in vals
    ]  # fmt: skip
    if not aud or any("*" in v or "?" in v for v in aud):
        out.append(
            f'no "StringEquals": {{"{AUD_KEY}": "<identity pool id>"}} condition: without it, users of '
            "any identity pool in any account can assume the role"
        )
    else:
        pool_ids = {p for _, p in role.pools if p}
        extra = sorted(set(aud) - pool_ids)
        if pool_ids and not pool_ids & set(aud):
            out.append(f"the aud condition {aud} is not the attaching identity pool {sorted(pool_ids)}")
        elif extra and role.pools and all(p for _, p in role.pools):
            out.append(
                f"the aud condition also admits {extra}, which no IdentityPoolRoleAttachment of this role "
                "attaches: users of that pool can assume the role"
            )
    amr = _amr_values(s)
    # Both kinds at once pin no kind: every Cognito identity is one or the other.
    if not amr or not set(amr) <= {"authenticated", "unauthenticated"} or len(set(amr)) > 1:
        out.append(
            f'no "ForAnyValue:StringLike": {{"{AMR_KEY}": "authenticated"}} (or "unauthenticated") '
            "condition: the role must say which kind of identity it is for"
        )
    return out


# --- the analysis --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    shared_prefixes: tuple[str, ...] = ()  # object keys all identities may read, e.g. "public/"


def evaluate(graph: Graph, options: Options = Options()) -> list[Finding]:
    findings: list[Finding] = []
    for node, prop, problem in graph.malformed:
        findings.append(
            Finding(
                READABLE,
                node.urn,
                f"The {prop} document of {node.resource_type.split(':')[-1]} '{node.name}' cannot be read: "
                f"{problem}. AWS rejects malformed policies, and this pack cannot judge what it would "
                "allow. Fix: make it a JSON policy document with Statement entries that each have Effect, "
                "Action or NotAction, and Resource (or Principal for trust and bucket policies).",
                _subjects(node),
            )
        )
    cognito = [r for r in graph.roles.values() if r.cognito_reasons]
    hardened: set[str] = set()
    reaches: dict[str, set[str]] = {}
    unsure: set[str] = set()  # roles with a document whose reach is not known yet
    for role in cognito:
        findings.extend(_trust_findings(role, graph))
        reach = role_reach(role, graph)
        for src in reach.unverifiable:
            unsure.add(role.node.urn)
            findings.append(_unverifiable_source(role, src, graph))
        for name, src in reach.external.items():
            findings.append(
                Finding(
                    UNVERIFIED,
                    src.urn,
                    f"Could not be verified: Cognito {role.label} reaches bucket '{name}' through "
                    f"{src.route}, but that bucket is not defined in this program, so whether its "
                    f"bucket policy grants the role ({GRANTING}) and no more ({NO_WIDENING}) cannot "
                    "be checked here.",
                    _subjects(role.node, graph.nodes.get(src.urn)),
                )
            )
        for burn in reach.buckets():
            bucket = graph.buckets[burn]
            reaches.setdefault(burn, set()).add(role.node.urn)
            findings.extend(
                _pair_findings(role, bucket, reach.grants.get(burn, []), reach.inferred.get(burn, []))
            )
            findings.extend(_scope_findings(role, bucket, reach.grants.get(burn, []), options))
            if burn not in hardened:
                hardened.add(burn)
                findings.extend(_hardening_findings(bucket, role))
    # No widening also applies where the role's own policies reach nothing on the bucket: to grants that
    # name the role (its ARN, its session ARN, or * with aws:PrincipalArn). A grant to everyone or to the
    # whole account on a bucket that no Cognito role reaches holds no user's folder; hardening covers it.
    lookup = RoleLookup(cognito)
    for bucket in graph.buckets.values():
        for role in lookup.named_by(bucket):
            if role.node.urn in reaches.get(bucket.node.urn, set()):
                continue
            side = bucket_side(bucket, role)
            if side.applying and role.node.urn in unsure:
                findings.append(
                    Finding(
                        UNVERIFIED,
                        side.applying[0].urn,
                        f"Could not be verified yet: the policy of {bucket.label} grants Cognito "
                        f"{role.label} {grants_text(side.applying)}, and a document of the role is not known "
                        f"yet, so whether the grant is wider than the role's own policies ({NO_WIDENING}) is "
                        "checked once it is.",
                        _subjects(role.node, bucket.node),
                    )
                )
            elif side.applying:
                findings.append(_widening(role, bucket, side.applying, own_unknown=[]))
    return findings


def _unverifiable_source(role: Role, src: Source, graph: Graph) -> Finding:
    if src.external:
        what = (
            f"{src.route} is not defined in this program, so what it allows on S3 cannot be checked; "
            "grant S3 access to Cognito roles with policies defined in the program"
        )
    else:
        deps = (
            ", ".join(f"'{graph.nodes[d].name}'" for d in src.deps if d in graph.nodes) or "computed values"
        )
        what = (
            f"the document of {src.route} depends on {deps} and is not known at preview, and it depends on "
            "no bucket of this program; which buckets it reaches is checked once it is known (pulumi up)"
        )
    return Finding(
        UNVERIFIED,
        src.urn,
        f"Could not be verified yet for Cognito {role.label}: {what}.",
        _subjects(role.node, graph.nodes.get(src.urn)),
    )


def _trust_findings(role: Role, graph: Graph) -> list[Finding]:
    why = "; ".join(role.cognito_reasons)
    if role.trust.state == "unknown":
        deps = ", ".join(
            f"{graph.nodes[d].resource_type.split(':')[-1]} '{graph.nodes[d].name}'"
            for d in role.trust_deps if d in graph.nodes
        ) or "computed values"  # fmt: skip
        return [
            Finding(
                UNVERIFIED,
                role.node.urn,
                f"Could not be verified yet: the trust policy of Cognito {role.label} ({why}) is "
                f"computed from "
                f"{deps} and is not known at preview. The {TRUST} rule checks it once it is known: "
                f"{WEB_IDENTITY_ACTION} by {COGNITO_PRINCIPAL} with a StringEquals {AUD_KEY} condition "
                f"(the pool id) and a ForAnyValue:StringLike {AMR_KEY} condition.",
                _subjects(role.node),
            )
        ]
    if role.trust.state == "absent":
        problems = ["it has no trust policy"]
    elif role.trust.known:
        problems = trust_problems(role)
    else:
        return []  # malformed: reported as readable-documents
    if not problems:
        return []
    return [
        Finding(
            TRUST,
            role.node.urn,
            f"Cognito {role.label} ({why}) has a trust policy that is not safe: " + "; ".join(problems) + ". "
            f'Fix: trust Principal {{"Federated": "{COGNITO_PRINCIPAL}"}} for {WEB_IDENTITY_ACTION} with '
            f'Condition {{"StringEquals": {{"{AUD_KEY}": <pool id>}}, "ForAnyValue:StringLike": '
            f'{{"{AMR_KEY}": "authenticated"}}}}.',
            _subjects(role.node),
        )
    ]


def _pair_findings(role: Role, bucket: Bucket, grants: list[Grant], inferred: list[Source]) -> list[Finding]:
    """Rules 1 and 2 for one Cognito role and one bucket that it reaches."""
    routes = _list([g.route for g in grants] + [s.route for s in inferred])
    reached = grants_text(grants) if grants else "access through a document not known yet"
    subjects = _subjects(role.node, bucket.node)
    fix = (
        f"Fix: add an aws:s3/bucketPolicy:BucketPolicy for {bucket.label} with Allow statements "
        f"whose Principal "
        f'is {{"AWS": "{_role_arn_hint(role)}"}} and whose actions, resources and conditions mirror the '
        "role's own statements exactly (never wider)."
    )
    if not bucket.policies:
        return [
            Finding(
                GRANTING,
                bucket.node.urn,
                f"Cognito {role.label} reaches {bucket.label} ({reached}; via {routes}), but the bucket has "
                f"no bucket policy, so nothing on the bucket side grants the role. {fix}",
                subjects,
            )
        ]
    side = bucket_side(bucket, role)
    culprit = bucket.policies[0].urn
    out: list[Finding] = []
    unknown_bucket = side.naming_unknown + side.other_unknown
    if inferred:
        docs = _list(s.route for s in inferred)
        if not side.grants and not unknown_bucket:
            out.append(
                Finding(
                    GRANTING,
                    culprit,
                    f"Cognito {role.label} reaches {bucket.label} ({docs} depends on the bucket), but no "
                    f"statement of the bucket's policies names the role as principal. {fix}",
                    subjects,
                )
            )
        else:
            out.append(
                Finding(
                    UNVERIFIED,
                    culprit,
                    f"Could not be verified yet: {docs} of Cognito {role.label} is not known at preview, so "
                    f"whether the policy of {bucket.label} grants all of it ({GRANTING}) and no more "
                    f"({NO_WIDENING}) is checked once it is known.",
                    subjects,
                )
            )
    if grants:
        missing = [g for g in grants if not covered(g, side.grants)]
        if missing and not unknown_bucket:
            out.append(
                Finding(
                    GRANTING,
                    culprit,
                    f"Cognito {role.label} reaches {bucket.label} (via {routes}), but the bucket "
                    f"policy does not "
                    f"grant the role: {grants_text(missing)}. {fix}",
                    subjects,
                )
            )
        elif missing or (unknown_bucket and not side.grants):
            docs = _list(s.route for s in unknown_bucket)
            named = " (it depends on the role)" if side.naming_unknown else ""
            what = grants_text(missing or grants)
            out.append(
                Finding(
                    UNVERIFIED,
                    unknown_bucket[0].urn,
                    f"Could not be verified yet: the document of {docs}{named} is not known at preview, so "
                    f"whether it grants Cognito {role.label} {what} "
                    f"on {bucket.label} ({GRANTING}) and no more ({NO_WIDENING}) is checked once "
                    f"it is known.",
                    subjects,
                )
            )
    if side.applying and not inferred:
        wide = [h for h in side.applying if not covered(h, grants)]
        if wide:
            out.append(_widening(role, bucket, wide, own_unknown=[]))
    return out


def _widening(role: Role, bucket: Bucket, wide: list[Grant], own_unknown: list[Source]) -> Finding:
    included = [g for g in wide if g.route == INCLUDED_ROUTE]
    some = "" if len(included) == len(wide) else f"{grants_text(included)} "
    via = f" ({some}through {INCLUDED_ROUTE})" if included else ""
    return Finding(
        NO_WIDENING,
        wide[0].urn,
        f"The policy of {bucket.label} grants Cognito {role.label} more than the role's own policies allow: "
        f"{grants_text(wide)}{via}. In one account either layer is enough, so the wider bucket "
        "grant decides: every signed-in user gets it (all users share this role). Fix: grant exactly the "
        "role's own statements, e.g. objects under users/${cognito-identity.amazonaws.com:sub}/* and "
        "s3:ListBucket only with an s3:prefix condition on the same per-identity folder.",
        _subjects(role.node, bucket.node),
    )


def _per_identity(pattern: str) -> bool:
    return SUB_VARIABLE in pattern or "${aws:PrincipalTag/" in pattern


def _shared(g: Grant, shared_prefixes: Sequence[str]) -> bool:
    """A read-only grant under a prefix that the config declares shared by every identity."""
    if not shared_prefixes or not g.action.startswith(("s3:GetObject", "s3:ListBucket")):
        return False
    if g.action == "s3:ListBucket":
        return g.prefixes is not None and all(
            any(p.startswith(s) for s in shared_prefixes) for p in g.prefixes
        )
    rest = g.pattern.split(":::", 1)[-1]
    key = rest.split("/", 1)[1] if "/" in rest else ""
    return any(key.startswith(s) for s in shared_prefixes)


def _scope_findings(role: Role, bucket: Bucket, grants: list[Grant], options: Options) -> list[Finding]:
    loose: list[Grant] = []
    for g in grants:
        if g.action == "s3:ListBucket":
            ok = g.prefixes is not None and all(_per_identity(p) for p in g.prefixes)
        elif g.pattern.startswith("arn:aws:s3:::") and "/" in g.pattern:
            ok = _per_identity(g.pattern)
        else:
            continue  # other bucket-level actions are about the bucket itself, not a user's folder
        if not ok:
            loose.append(g)
    finding = scope_finding(role.label, bucket.label, tuple(loose), _subjects(role.node, bucket.node))
    refined = refine_scope(finding, options.shared_prefixes) if finding else None
    return [refined] if refined else []


def scope_finding(
    role_label: str, bucket_label: str, loose: tuple[Grant, ...], subjects: tuple[str, ...]
) -> Finding | None:
    if not loose:
        return None
    return Finding(
        SCOPE,
        loose[0].urn,
        f"Cognito {role_label} is not confined to each identity's own folder on {bucket_label}: "
        f"{grants_text(loose)}. All users share the role, so this reaches every user's "
        f"files. Fix: scope object access to .../users/{SUB_VARIABLE}/* and s3:ListBucket with an "
        f"s3:prefix condition on users/{SUB_VARIABLE}/ (or list a deliberate read-only shared prefix in "
        "this policy's sharedPrefixes config).",
        subjects,
        loose,
        (role_label, bucket_label),
    )


def refine_scope(finding: Finding, shared_prefixes: Sequence[str]) -> Finding | None:
    """Drop the grants that a configured shared prefix allows; None when nothing is left."""
    if finding.rule != SCOPE or not shared_prefixes:
        return finding
    rest = tuple(g for g in finding.grants if not _shared(g, shared_prefixes))
    if rest == finding.grants:
        return finding
    role_label, bucket_label = (*finding.labels, "the role", "the bucket")[:2]
    return scope_finding(role_label, bucket_label, rest, finding.subjects)


def _flag_true(node: Node, key: str) -> bool:
    v = node.get(key)
    return v is True or (isinstance(v, str) and v.lower() == "true")


def _has_tls_deny(bucket: Bucket) -> bool | None:
    unknown = False
    for src in bucket.policies:
        if src.doc.state == "unknown":
            unknown = True
        for s in src.doc.statements:
            if (
                s.effect == "Deny"
                and s.allows_action("s3:GetObject")
                and s.allows_action("s3:PutObject")
                and any(k == "*" or v == "*" for k, v in s.principals or ())
                and any(
                    op == "Bool" and vals == ("false",)
                    for op, vals in s.condition_values("aws:SecureTransport")
                )
            ):
                return True
    return None if unknown else False


def _hardening_findings(bucket: Bucket, role: Role) -> list[Finding]:
    missing: list[str] = []
    flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    if not any(all(_flag_true(n, f) for f in flags) for n in bucket.public_access_blocks):
        missing.append("a BucketPublicAccessBlock with all four settings true")
    tls = _has_tls_deny(bucket)
    if tls is False:
        missing.append('a bucket-policy Deny of s3:* to "*" when aws:SecureTransport is "false" (TLS only)')
    if not bucket.encryption:
        missing.append("an explicit default-encryption configuration (SSE-S3 or SSE-KMS)")
    enforced = False
    for n in bucket.ownership:
        rule = n.get("rule")
        if isinstance(rule, dict) and rule.get("objectOwnership") == "BucketOwnerEnforced":
            enforced = True
    if not enforced:
        missing.append('BucketOwnershipControls with objectOwnership "BucketOwnerEnforced" (ACLs off)')
    if not missing:
        return []
    return [
        Finding(
            HARDENING,
            bucket.node.urn,
            f"{bucket.label[0].upper()}{bucket.label[1:]} holds files that Cognito {role.label} "
            f"reaches, but it "
            f"lacks: {_list(missing)}.",
            _subjects(bucket.node),
        )
    ]


# --- one analysis per request --------------------------------------------------------------------

_memo_lock = threading.Lock()
_memo: list[tuple[tuple[object, ...], list[Finding]]] = []


def _fingerprint(nodes: Sequence[Node]) -> tuple[object, ...]:
    """Everything the analysis reads: each relevant resource's URN, values and dependencies."""
    return tuple((n.urn, n.resource_type, repr(n.props), repr(n.property_dependencies)) for n in nodes)


def analyze(resources: Iterable[object]) -> list[Finding]:
    """All findings for a stack. The SDK hands each stack policy its own copy of the resources; the
    second policy of one AnalyzeStack request gets the first one's result (same content, same key)."""
    nodes: list[Node] = []
    for r in resources:  # to_node reads each relevant resource's few properties once, as plain values
        if isinstance(r, Node):
            nodes.append(r)
        elif getattr(r, "resource_type", None) in RELEVANT_TYPES:
            n = to_node(r)
            if n is not None:
                nodes.append(n)
    key = _fingerprint(nodes)
    with _memo_lock:
        if _memo and _memo[0][0] == key:
            return list(_memo[0][1])
    findings = evaluate(build_graph(nodes))
    with _memo_lock:
        _memo[:] = [(key, findings)]
    return list(findings)


def exempt(finding: Finding, exemptions: Iterable[str]) -> bool:
    """``exemptions`` holds URNs or names, optionally prefixed ``<rule>:`` to exempt one rule only."""
    for e in exemptions:
        if not isinstance(e, str) or not e:
            continue
        rule, sep, target = e.partition(":") if not e.startswith("urn:") else ("", "", e)
        if sep and rule in MANDATORY_RULES + ADVISORY_RULES:
            if rule == finding.rule and target in finding.subjects:
                return True
        elif e in finding.subjects:
            return True
    return False


__all__ = [
    "Finding",
    "Options",
    "analyze",
    "evaluate",
    "exempt",
    "known_str",
    "refine_scope",
    "trust_problems",
]
