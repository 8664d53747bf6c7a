"""The component package (provider/), launched as the CLI launches it and spoken to over ResourceProvider.

The plugin runs as ``<venv>/bin/python provider <engine address>`` from a consumer directory elsewhere,
prints its port, answers GetPluginInfo/GetSchema/Configure, and Constructs components against a
resource-monitor stub (offline/provider_host.py) that answers like the mocks the Python program runs
under. Construct for the test stack's settings must register exactly what the Python program registers.
"""

from __future__ import annotations

import ast
import inspect
import json
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import yaml

from components.access import LEVELS
from components.config import KNOBS, MFA_MODES, ConfigError, load_settings
from offline.mockrun import config_value_to_wire, registered, run_program
from offline.model import STACK_TYPE, UNKNOWN, ResourceRecord, secret
from offline.provider_host import EngineStub, PackageClient, PackageError, schema_property
from tests.package.conftest import (
    EXAMPLE,
    FILE_BUCKET,
    IDENTITY,
    PLUGIN,
    ROOT,
    USER_FILES,
    by_urn,
    example_properties,
    stack_inputs,
)

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
SHAPES = {"preview": True, "deployed": False}
OUTPUTS = {
    "bucketName",
    "bucketArn",
    "userPoolId",
    "userPoolClientId",
    "identityPoolId",
    "region",
    "folderPrefix",
    "identityFolderPrefixes",
    "clientConfig",
    "authenticatedRoleArn",
    "guestRoleArn",
}


@contextmanager
def engine(
    project: str = PYPROJECT["name"], stack: str = "test", preview: bool = True, region: str = "us-east-1"
) -> Iterator[EngineStub]:
    stub = EngineStub(project, stack, preview=preview, region=region)
    try:
        yield stub
    finally:
        stub.close()


# --- the plugin folder and the typed classes ------------------------------------------------------


def test_plugin_folder_is_a_python_plugin() -> None:
    manifest = yaml.safe_load((PLUGIN / "PulumiPlugin.yaml").read_text())
    assert manifest["runtime"]["name"] == "python"
    assert (PLUGIN / "__main__.py").is_file()
    # `pulumi package add` installs the plugin's requirements into its virtualenv: the program's own.
    assert "-r ../requirements.txt" in (PLUGIN / "requirements.txt").read_text().splitlines()


def test_hosted_modules_have_real_annotations() -> None:
    """The analyzer reads annotations at run time; string annotations would make it fail."""
    from components.package import HOSTED

    for cls in HOSTED:
        args = inspect.get_annotations(cls.__init__)["args"]
        assert isinstance(args, type), cls
        for typ in (cls, args):
            assert not any(isinstance(a, str) for a in inspect.get_annotations(typ).values()), typ
    for module in {cls.__module__ for cls in HOSTED} | {"components.inputs"}:
        tree = ast.parse((ROOT / (module.replace(".", "/") + ".py")).read_text())
        future = [
            alias.name
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module == "__future__"
            for alias in node.names
        ]
        assert "annotations" not in future, module


def test_user_files_inputs_are_the_config_keys() -> None:
    from pulumi.provider.experimental.util import camel_case

    from components.identity import IDENTITY_FIELDS
    from components.storage import STORAGE_FIELDS
    from components.user_files import USER_FILES_FIELDS

    keys = [knob.key for knob in KNOBS]
    assert [camel_case(f) for f in USER_FILES_FIELDS] == keys
    assert {camel_case(f) for f in IDENTITY_FIELDS + STORAGE_FIELDS} <= set(keys)


def test_enums_are_the_validators_values() -> None:
    from components.inputs import AccessLevel, MfaMode

    assert [level.value for level in AccessLevel] == list(LEVELS)
    assert tuple(mode.value for mode in MfaMode) == MFA_MODES


def test_yaml_example_uses_the_test_stacks_settings() -> None:
    program = yaml.safe_load(EXAMPLE.read_text())
    assert program["runtime"] == "yaml"
    assert (EXAMPLE.parent / program["packages"][PYPROJECT["name"]]).resolve() == PLUGIN
    assert example_properties() == stack_inputs("test")


# --- GetPluginInfo and GetSchema -------------------------------------------------------------------


def test_plugin_answers_with_the_projects_name_and_version(plugin: PackageClient) -> None:
    assert plugin.plugin_version() == PYPROJECT["version"]
    schema = plugin.schema()
    assert (schema["name"], schema["version"]) == (PYPROJECT["name"], PYPROJECT["version"])


def test_schema_declares_the_components(plugin: PackageClient) -> None:
    resources = plugin.schema()["resources"]
    assert set(resources) == {USER_FILES, IDENTITY, FILE_BUCKET}
    assert all(resource["isComponent"] for resource in resources.values())


def test_schema_inputs_are_typed(plugin: PackageClient) -> None:
    schema = plugin.schema()
    inputs = schema["resources"][USER_FILES]["inputProperties"]
    assert list(inputs) == [knob.key for knob in KNOBS]
    assert schema["resources"][USER_FILES]["requiredInputs"] == []
    level = "#/types/cognito-user-files:index:AccessLevel"
    for key in ("access", "guestAccess"):
        assert inputs[key]["type"] == "object"
        assert inputs[key]["additionalProperties"]["type"] == "array"
        assert inputs[key]["additionalProperties"]["items"]["$ref"] == level
    assert inputs["corsOrigins"]["type"] == "array"
    assert inputs["corsOrigins"]["items"]["type"] == "string"
    assert inputs["mfa"]["$ref"] == "#/types/cognito-user-files:index:MfaMode"
    assert [e["value"] for e in schema["types"]["cognito-user-files:index:MfaMode"]["enum"]] == [
        "OPTIONAL",
        "ON",
    ]
    assert [e["value"] for e in schema["types"]["cognito-user-files:index:AccessLevel"]["enum"]] == list(
        LEVELS
    )
    for key in ("allowGuests", "deletionProtection", "ephemeral", "kmsEncryption"):
        assert inputs[key]["type"] == "boolean", key
    for key in ("passwordMinLength", "accessTokenMinutes", "refreshTokenDays", "abortMultipartDays"):
        assert inputs[key]["type"] == "integer", key
    # They decide which resources exist and are validated before any is registered: plain values.
    assert all(prop.get("plain") for prop in inputs.values())
    role = schema_property(schema, FILE_BUCKET, "authenticatedRoleArn")
    assert role["type"] == "string" and not role.get("plain")  # an Input: Identity's output fits
    assert schema["resources"][FILE_BUCKET]["requiredInputs"] == ["authenticatedRoleArn"]


def test_schema_outputs(plugin: PackageClient) -> None:
    schema = plugin.schema()
    outputs = schema["resources"][USER_FILES]["properties"]
    assert set(outputs) == OUTPUTS
    assert set(schema["resources"][USER_FILES]["required"]) == OUTPUTS - {"guestRoleArn"}
    assert outputs["identityFolderPrefixes"] == {**outputs["identityFolderPrefixes"], "type": "array"}
    assert outputs["clientConfig"]["$ref"] == "#/types/cognito-user-files:index:ClientConfig"
    client_config = schema["types"]["cognito-user-files:index:ClientConfig"]
    assert set(client_config["properties"]) == {
        "region",
        "userPoolId",
        "userPoolClientId",
        "identityPoolId",
        "bucket",
        "folderPrefix",
        "folderPrefixes",
        "folderKey",
    }
    assert {"userPoolId", "userPoolClientId", "identityPoolId", "authenticatedRoleArn"} <= set(
        schema["resources"][IDENTITY]["properties"]
    )
    assert {"bucketName", "bucketArn", "kmsKeyArn"} == set(schema["resources"][FILE_BUCKET]["properties"])


def test_every_component_property_and_type_is_described(plugin: PackageClient) -> None:
    schema = plugin.schema()
    for token, resource in schema["resources"].items():
        assert resource["description"].strip(), token
        for kind in ("inputProperties", "properties"):
            for name, prop in resource[kind].items():
                assert prop.get("description", "").strip(), f"{token}.{kind}.{name}"
                assert "\n " not in prop["description"], f"{token}.{name}: docstring indentation"
    for token, typ in schema["types"].items():
        assert typ.get("description", "").strip(), token
        for name, prop in typ.get("properties", {}).items():
            assert prop.get("description", "").strip(), f"{token}.{name}"
        for value in typ.get("enum", []):
            assert value.get("description", "").strip(), f"{token}.{value['value']}"


# --- Construct -------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", list(SHAPES))
def test_construct_registers_what_the_python_program_registers(plugin: PackageClient, shape: str) -> None:
    """The YAML example's properties, Constructed for the Python program's own project and stack, so
    that URNs, autonames and therefore every input compare one to one."""
    python = run_program(ROOT, "test", preview=SHAPES[shape])
    with engine(preview=SHAPES[shape]) as stub:
        result = plugin.construct(
            stub, USER_FILES, "user-files", example_properties(), {"aws:region": "us-east-1"}
        )
        records = stub.records
    assert by_urn(records) == by_urn(python.resources)
    assert result.urn == python.one(USER_FILES).urn
    required = {
        "aws:cognito/userPool:UserPool",
        "aws:cognito/userPoolClient:UserPoolClient",
        "aws:cognito/identityPool:IdentityPool",
        "aws:iam/role:Role",
        "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketPolicy:BucketPolicy",
    }
    parents = {r.urn: r.parent for r in records}

    def under_component(urn: str | None) -> bool:
        while urn is not None:
            if urn == result.urn:
                return True
            urn = parents.get(urn)
        return False

    under = [r for r in records if r.urn != result.urn and under_component(r.parent)]
    assert required <= {r.type for r in under}
    assert len(under) == len(records) - 2  # all but the stack and the component itself


OTHER_SETTINGS = [
    ("prod", "eu-west-1", {}),
    ("test", "us-east-1", {"allowGuests": True, "guestAccess": {"public/*": ["get"]}, "kmsEncryption": True}),
]


@pytest.mark.parametrize(("stack", "region", "extra"), OTHER_SETTINGS, ids=["prod", "guests-kms"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_construct_matches_the_program_for_other_settings(
    plugin: PackageClient, stack: str, region: str, extra: dict[str, Any], shape: str
) -> None:
    """Long-lived (protected, retained, SSE-KMS, MFA on) and guest settings: still one to one."""
    python = run_program(
        ROOT, stack, preview=SHAPES[shape], config={k: config_value_to_wire(v) for k, v in extra.items()}
    )
    with engine(stack=stack, preview=SHAPES[shape], region=region) as stub:
        plugin.construct(stub, USER_FILES, "user-files", stack_inputs(stack) | extra, {"aws:region": region})
        records = stub.records
    assert by_urn(records) == by_urn(python.resources)
    assert len(records) == len(python.resources)


def test_construct_in_another_project_builds_the_same_tree(plugin: PackageClient) -> None:
    """In the YAML example's own project only URNs and autonames differ: the tree is the same."""

    def tree(records: list[ResourceRecord]) -> set[tuple[tuple[str, str], tuple[str, str] | None]]:
        by = {r.urn: r for r in records}

        def label(r: ResourceRecord) -> tuple[str, str]:
            return (r.type, "<the stack>" if r.type == STACK_TYPE else r.name)

        return {(label(r), label(by[r.parent]) if r.parent else None) for r in records}

    python = run_program(ROOT, "test", preview=True)
    with engine(project="user-files-yaml") as stub:
        plugin.construct(stub, USER_FILES, "user-files", example_properties())
        records = stub.records
    assert len(records) == len(python.resources)
    assert tree(records) == tree(python.resources)


def test_construct_outputs_are_the_stack_outputs(plugin: PackageClient) -> None:
    python = run_program(ROOT, "test", preview=False)
    with engine(preview=False) as stub:
        result = plugin.construct(stub, USER_FILES, "user-files", example_properties())
    out, stack = result.outputs, python.outputs
    assert out["clientConfig"] == stack["clientConfig"]
    assert (out["bucketName"], out["userPoolId"], out["userPoolClientId"]) == (
        stack["bucket"],
        stack["userPoolId"],
        stack["userPoolClientId"],
    )
    assert (out["identityPoolId"], out["region"], out["folderPrefix"]) == (
        stack["identityPoolId"],
        stack["region"],
        stack["folderPrefix"],
    )
    assert out["bucketArn"] == f"arn:aws:s3:::{stack['bucket']}"
    assert out["identityFolderPrefixes"] == ["users/{identity}/"]
    assert "guestRoleArn" not in out


def test_construct_at_preview_keeps_unknowns_unknown(plugin: PackageClient) -> None:
    with engine(preview=True) as stub:
        out = plugin.construct(stub, USER_FILES, "user-files", example_properties()).outputs
    assert out["userPoolId"] == UNKNOWN
    assert out["bucketName"].startswith("user-files-bucket-")  # a name: known at preview


def config_verdict(key: str, value: Any) -> str:
    """What the stack-config validator says about the same value, as ``allowed`` text."""
    wire = value if isinstance(value, str) else json.dumps(value)
    if isinstance(value, bool):
        wire = "true" if value else "false"
    with pytest.raises(ConfigError) as err:
        load_settings({key: wire})
    return err.value.allowed


BAD = [
    ("corsOrigins", ["http://example.com"]),
    ("corsOrigins", ["https://app.example.com/"]),
    ("access", {"public/*": ["read"]}),
    ("access", {"users/{identity}/*": ["admin"]}),
    ("access", {"users/{identity}/*": ["read"], "users/*": ["list"]}),
    ("guestAccess", {"public/*": ["get"]}),
    ("passwordMinLength", 8),
    ("passwordMinLength", 14.5),
    ("refreshTokenDays", 0),
    ("deletionProtection", False),
]


@pytest.mark.parametrize(("key", "value"), BAD, ids=[f"{k}-{i}" for i, (k, _) in enumerate(BAD)])
def test_bad_input_gets_the_configs_verdict_before_anything_registers(
    plugin: PackageClient, key: str, value: Any
) -> None:
    with engine() as stub, pytest.raises(PackageError) as err:
        plugin.construct(stub, USER_FILES, "user-files", {key: value})
    assert err.value.property_errors == ((key, config_verdict(key, value)),)
    assert f"UserFiles input {key} = " in str(err.value)
    assert "Traceback" not in str(err.value)
    assert [r.type for r in stub.records] == [STACK_TYPE]


def test_unknown_enum_value_is_a_property_error(plugin: PackageClient) -> None:
    with engine() as stub, pytest.raises(PackageError) as err:
        plugin.construct(stub, USER_FILES, "user-files", {"mfa": "OFF"})
    assert [path for path, _ in err.value.property_errors] == ["mfa"]
    assert [r.type for r in stub.records] == [STACK_TYPE]


@pytest.mark.parametrize("value", [UNKNOWN, secret(["https://app.example.com"])], ids=["unknown", "secret"])
def test_an_input_not_known_yet_is_refused(plugin: PackageClient, value: Any) -> None:
    with engine() as stub, pytest.raises(PackageError) as err:
        plugin.construct(stub, USER_FILES, "user-files", {"corsOrigins": value})
    [(path, reason)] = err.value.property_errors
    assert path == "corsOrigins" and "known when the program runs" in reason
    assert [r.type for r in stub.records] == [STACK_TYPE]


def test_identity_alone(plugin: PackageClient) -> None:
    with engine(preview=False) as stub:
        result = plugin.construct(
            stub, IDENTITY, "auth", {"mfa": "ON", "ephemeral": True, "deletionProtection": False}
        )
        records = registered(stub.capture())
    [component] = [r for r in records if not r.custom]
    assert {r.type for r in records if r.parent == component.urn} == {
        "aws:cognito/userPool:UserPool",
        "aws:cognito/userPoolClient:UserPoolClient",
        "aws:cognito/identityPool:IdentityPool",
        "aws:iam/role:Role",
        "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment",
    }
    [pool] = [r for r in records if r.type == "aws:cognito/userPool:UserPool"]
    assert pool.inputs["mfaConfiguration"] == "ON"
    assert result.outputs["authenticatedRoleArn"].startswith(
        "arn:aws:iam::123456789012:role/auth-authenticated-"
    )


def test_file_bucket_alone_grants_the_given_role(plugin: PackageClient) -> None:
    role = "arn:aws:iam::123456789012:role/app-users"
    with engine(preview=True) as stub:
        plugin.construct(stub, FILE_BUCKET, "files", {"authenticatedRoleArn": role, "ephemeral": True})
        records = registered(stub.capture())
    [policy] = [r for r in records if r.type == "aws:s3/bucketPolicy:BucketPolicy"]
    grants = [s for s in json.loads(policy.inputs["policy"])["Statement"] if s["Effect"] == "Allow"]
    assert grants and all(s["Principal"] == {"AWS": role} for s in grants)
    assert not any(r.type.startswith("aws:cognito") for r in records)


def test_file_bucket_guest_rules_need_the_guest_role(plugin: PackageClient) -> None:
    inputs = {
        "authenticatedRoleArn": "arn:aws:iam::123456789012:role/a",
        "guestAccess": {"public/*": ["get"]},
    }
    with engine() as stub, pytest.raises(PackageError) as err:
        plugin.construct(stub, FILE_BUCKET, "files", inputs)
    assert err.value.property_errors == (("guestAccess", "guest rules need guestRoleArn"),)
    assert [r.type for r in stub.records] == [STACK_TYPE]
