"""The native name table (``native_sdk_names.py``) and the mocks' autonaming agree with the installed SDK."""

from __future__ import annotations

import importlib
import inspect
import re
from typing import Any

import pytest
from native_sdk_names import INVOKES, NATIVE_TYPES, NESTED, NativeType

from offline.native_mocks import NATIVE_AUTONAME_PROPERTY

pytest.importorskip("pulumi_aws_native")


def _sdk(path: str) -> Any:
    module, cls = path.rsplit(".", 1)
    return getattr(importlib.import_module(f"pulumi_aws_native.{module}"), cls)


def _wire_names(cls: Any) -> dict[str, str]:
    """snake_case attribute -> wire name, from the class's ``@pulumi.getter(name=...)`` properties."""
    return {
        attr: getattr(value.fget, "_pulumi_name", attr)
        for attr, value in vars(cls).items()
        if isinstance(value, property) and value.fget is not None
    }


def _sdk_shape(cls: Any) -> tuple[str, set[str], set[str]]:
    """(type token, inputs, output-only properties) of a resource class, read from its ``_internal_init``."""
    source = inspect.getsource(cls._internal_init)
    token = re.search(r"__init__\(\s*'([^']+)'", source).group(1)
    created = source.split("if opts.id is None", 1)[1]
    assigned = re.findall(r'__props__\.__dict__\["(\w+)"\] = (\w+)', created)
    wire = _wire_names(cls)
    inputs = {wire[a] for a, v in assigned if v != "None"}
    outputs = {wire[a] for a, v in assigned if v == "None"}
    return token, inputs, outputs


def _string_inputs(cls: Any) -> set[str]:
    args_cls = _sdk(f"{cls.__module__.split('.')[1]}.{cls.__name__}Args")
    wire = _wire_names(args_cls)
    hints = inspect.signature(args_cls.__init__).parameters
    return {wire[name] for name, p in hints.items() if name in wire and "str]" in str(p.annotation)}


def provider_autoname(type_name: str, string_inputs: set[str]) -> str | None:
    """The aws-native provider's rule: ``name``, else ``<TypeName>Name``, else the one ``<X>Name``
    input whose X ends the type name (its schema generator's CreateAutoNamingSpec)."""
    lowered = {p.lower(): p for p in string_inputs}
    for candidate in ("name", f"{type_name.lower()}name"):
        if candidate in lowered:
            return lowered[candidate]
    found = [p for low, p in lowered.items() if low.endswith("name") and type_name.lower().endswith(low[:-4])]
    return found[0] if len(found) == 1 else None


@pytest.mark.parametrize("row", NATIVE_TYPES, ids=lambda r: r.token)
def test_row_matches_the_sdk(row: NativeType) -> None:
    cls = _sdk(row.sdk_class)
    token, inputs, outputs = _sdk_shape(cls)
    assert token == row.token
    assert set(row.reads) <= inputs, f"not SDK inputs: {set(row.reads) - inputs}"
    assert set(row.computed) == outputs, f"SDK output-only properties: {sorted(outputs)}"
    if row.autoname is not None:
        assert row.autoname in inputs


@pytest.mark.parametrize("row", NATIVE_TYPES, ids=lambda r: r.token)
def test_autonamed_property_follows_the_provider_rule(row: NativeType) -> None:
    cls = _sdk(row.sdk_class)
    expected = provider_autoname(row.token.rsplit(":", 1)[1], _string_inputs(cls))
    assert row.autoname == expected
    assert NATIVE_AUTONAME_PROPERTY.get(row.token) == expected


def test_facts_the_issue_names() -> None:
    """The ones easy to get wrong from CloudFormation docs."""
    rows = {r.token: r for r in NATIVE_TYPES}
    assert "awsId" in rows["aws-native:cognito:IdentityPool"].computed  # the pool id: not `id`
    client = rows["aws-native:cognito:UserPoolClient"]
    assert "clientId" in client.computed and client.id_form != "clientId"
    assert "userPoolId" in rows["aws-native:cognito:UserPool"].computed
    assert "policyArn" in rows["aws-native:iam:ManagedPolicy"].computed
    assert rows["aws-native:iam:RolePolicy"].reads[0] == "roleName"  # a role NAME, not an ARN
    assert rows["aws-native:cognito:UserPoolGroup"].computed == ()  # roleArn is an input


@pytest.mark.parametrize("path", sorted(NESTED))
def test_nested_shapes_match_the_sdk(path: str) -> None:
    names = set(_wire_names(_sdk(path)).values())
    assert set(NESTED[path]) <= names, f"{path}: SDK has {sorted(names)}"


@pytest.mark.parametrize("token", sorted(INVOKES))
def test_invoke_tokens_and_fields(token: str) -> None:
    import pulumi_aws_native

    function = token.rsplit(":", 1)[1]
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", function).lower()
    module = importlib.import_module(f"pulumi_aws_native.{snake}")
    assert f"'{token}'" in inspect.getsource(module)
    result = getattr(module, f"{function[0].upper()}{function[1:]}Result")
    assert set(INVOKES[token]) <= set(_wire_names(result).values())
    assert hasattr(pulumi_aws_native, snake)
