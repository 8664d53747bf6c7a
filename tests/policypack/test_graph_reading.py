"""Reading a resource as the graph sees it (graph/reading.py, graph/registry.py): values only where they
are known, unknowns as the sentinel, and a resource (or a property bag) that cannot be read leaves out
what it cannot give instead of taking the pack down. Each row pairs what the SDK (or a broken input)
hands the pack with the plain value, URNs or snapshot the graph is built from."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from cognito_s3_guard.graph import Node, build_graph, plain, read, to_node
from cognito_s3_guard.graph import tokens as T
from cognito_s3_guard.graph.reading import snapshot
from cognito_s3_guard.graph.registry import ADAPTERS, adapter
from pulumi.asset import FileAsset
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import unknown_checking_proxy

from offline.model import UNKNOWN

ACCOUNT = "123456789012"
SUB = "${cognito-identity.amazonaws.com:sub}"
ROLE_URN = f"urn:pulumi:test::files::{T.ROLE}::auth-role"
POOL_URN = f"urn:pulumi:test::files::{T.IDENTITY_POOL}::pool"
OBJECTS = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::files/users/{SUB}/*"}
        ],
    }
)


def nested(levels: int, leaf: Any, kind: str) -> Any:
    """``leaf`` inside ``levels`` lists (or single-key mappings)."""
    value = leaf
    for _ in range(levels):
        value = [value] if kind == "list" else {"k": value}
    return value


class Broken(Mapping[str, Any]):
    """A property bag that fails on reading ``bad`` (and lists it), as a faulty proxy might."""

    def __init__(self, values: dict[str, Any], bad: type[Exception] = RuntimeError) -> None:
        self.values, self.bad = values, bad

    def __getitem__(self, key: str) -> Any:
        if key == "bad":
            raise self.bad("cannot read")
        return self.values[key]

    def __iter__(self) -> Iterator[str]:
        return iter([*self.values, "bad"])

    def __len__(self) -> int:
        return len(self.values) + 1

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self.values or key == "bad" else default


# --- plain values ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["list", "mapping"])
def test_a_value_nested_deeper_than_64_levels_reads_as_unknown_below_the_limit(kind):
    """Reading never recurses without bound: everything down to 64 levels is kept as it is, and what
    lies deeper reads as the unknown sentinel (not known, so never trusted), not as a crash."""
    assert plain(nested(64, "x", kind)) == nested(64, "x", kind)
    assert plain(nested(65, "x", kind)) == nested(65, UNKNOWN, kind)
    assert plain(nested(5000, "x", kind)) == nested(65, UNKNOWN, kind)


def test_sdk_unknowns_inside_lists_and_mappings_read_as_the_sentinel():
    props = unknown_checking_proxy(
        deserialize_properties(
            {"roles": {"authenticated": UNKNOWN, "unauthenticated": "arn:r"}, "arns": ["arn:a", UNKNOWN]}
        )
    )
    assert plain(props) == {
        "roles": {"authenticated": UNKNOWN, "unauthenticated": "arn:r"},
        "arns": ["arn:a", UNKNOWN],
    }


def test_a_value_of_a_kind_no_rule_reads_is_kept_as_text():
    """An asset (or archive) is nothing a rule judges; reading it yields its text instead of failing."""
    asset = FileAsset("index.html")
    assert plain({"source": asset, "n": [1, 2.5, True, None]}) == {
        "source": str(asset),
        "n": [1, 2.5, True, None],
    }


@pytest.mark.parametrize(
    ("props", "key", "expected"),
    [
        ({"name": "auth-role"}, "name", "auth-role"),
        ({"name": "auth-role"}, "arn", "absent"),
        (unknown_checking_proxy(deserialize_properties({"arn": UNKNOWN})), "arn", UNKNOWN),
        (Broken({"name": "auth-role"}, KeyError), "bad", "absent"),
        (Broken({"name": "auth-role"}, RuntimeError), "bad", "absent"),
        (None, "name", "absent"),
        (["a"], "name", "absent"),
    ],
    ids=["known", "missing", "sdk-unknown", "key-error", "broken-bag", "no-props", "a-list"],
)
def test_read_gives_known_values_the_unknown_sentinel_or_the_default(props, key, expected):
    assert read(props, key, "absent") == expected


# --- property dependencies -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deps", "expected"),
    [
        ({"role": (ROLE_URN, POOL_URN)}, (ROLE_URN, POOL_URN)),  # a snapshot's: URNs already
        ({"role": [Node(ROLE_URN, T.ROLE, "auth-role"), POOL_URN]}, (ROLE_URN, POOL_URN)),  # the SDK's
        ({"role": []}, ()),
        ({"policy": [ROLE_URN]}, ()),
        (None, ()),  # no mapping at all
        (Broken({}), ()),  # a mapping that fails when read
    ],
    ids=["urn-tuple", "resources", "empty", "other-property", "none", "broken"],
)
def test_a_properties_dependencies_are_urns_and_unreadable_ones_are_none(deps, expected):
    n = Node(ROLE_URN, T.ROLE_POLICY, "p", {}, deps)
    assert n.deps("bad" if isinstance(deps, Broken) else "role") == expected


# --- snapshots: what a resource becomes, or None ---------------------------------------------------


class Resource:
    def __init__(self, **attrs: Any) -> None:
        self.__dict__.update(attrs)


@pytest.mark.parametrize(
    "resource",
    [
        Resource(resource_type=T.ROLE, name="auth-role", props={}),  # no URN
        Resource(urn=None, resource_type=T.ROLE, name="auth-role", props={}),
        Resource(urn=ROLE_URN, resource_type=7, name="auth-role", props={}),
        Resource(urn=ROLE_URN, name="auth-role", props={}),  # no type
        object(),
    ],
    ids=["no-urn", "urn-not-text", "type-not-text", "no-type", "not-a-resource"],
)
def test_a_resource_that_cannot_be_read_is_left_out_of_the_graph(resource):
    """No snapshot of it, and the graph is built from the rest: the role's document still reaches it."""
    assert to_node(resource) is None
    role = Resource(
        urn=ROLE_URN,
        resource_type=T.ROLE,
        name="auth-role",
        props={"name": "auth-role", "inlinePolicies": [{"name": "files", "policy": OBJECTS}]},
        property_dependencies={},
    )
    g = build_graph([resource, role])
    assert list(g.nodes) == [ROLE_URN] and list(g.roles) == [ROLE_URN]
    assert [s.route for s in g.roles[ROLE_URN].sources] == ["inline policy 'files' of the role"]


def test_a_snapshot_keeps_read_keys_and_their_dependencies_and_leaves_out_what_fails():
    """Absent properties stay absent (not None), an unreadable one is left out, and so are the
    dependencies of a property whose dependency list cannot be read."""

    class Deps(dict):
        def get(self, key: str, default: Any = None) -> Any:
            if key == "bad":
                raise RuntimeError("cannot read")
            return super().get(key, default)

    r = Resource(
        urn=ROLE_URN,
        resource_type=T.ROLE,
        name="auth-role",
        props=Broken({"name": "auth-role", "arn": UNKNOWN}),
        property_dependencies=Deps({"name": [POOL_URN], "arn": [], "id": [Node(ROLE_URN, "", "")]}),
    )
    n = snapshot(r, ("name", "arn", "path", "bad", "id"))
    values, deps = {"name": "auth-role", "arn": UNKNOWN}, {"name": (POOL_URN,), "id": (ROLE_URN,)}
    assert n == Node(ROLE_URN, T.ROLE, "auth-role", values, deps)
    assert snapshot(r, None) == Node(ROLE_URN, T.ROLE, "auth-role")


def test_a_type_gets_one_adapter_only():
    """Registering a second adapter for a type fails loudly, and the first stays in place."""
    first = ADAPTERS[T.ROLE]
    with pytest.raises(ValueError, match="two adapters"):
        adapter(T.ROLE, keys=("name",))(lambda n: ())
    assert ADAPTERS[T.ROLE] is first


def test_a_node_over_the_sdks_props_reads_plain_values_and_unknowns_as_the_sentinel():
    """Resource policies judge a resource through a Node over the SDK's unknown-checking proxy: reading an
    unknown there must give the sentinel (the SDK would otherwise skip the policy at preview), and nested
    values come back plain."""
    props = unknown_checking_proxy(
        deserialize_properties(
            {"identityPoolId": UNKNOWN, "roles": {"authenticated": UNKNOWN}, "arns": ["arn:a", UNKNOWN]}
        )
    )
    n = Node(ROLE_URN, T.ROLE_ATTACHMENT, "roles", props)
    assert n.get("identityPoolId") == UNKNOWN
    assert n.get("roles") == {"authenticated": UNKNOWN} and type(n.get("roles")) is dict
    assert n.get("arns") == ["arn:a", UNKNOWN] and type(n.get("arns")) is list
    assert n.get("roleMappings", "absent") == "absent"
