"""The mock runner itself: config assembly, preview vs deployed shapes, graph capture, errors, reruns."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from offline.mockrun import (
    STACK_TYPE,
    AwsMocks,
    ProgramError,
    ProjectError,
    autoname,
    load_stack_config,
    registered,
    run_program,
)
from offline.model import SECRET_SIG, SECRET_SIG_KEY, UNKNOWN, secret

PROGRAMS = Path(__file__).parent / "programs"
TINY = PROGRAMS / "tiny"


def test_config_defaults_then_stack_then_overrides() -> None:
    project, config = load_stack_config(TINY, "dev", {"greeting": "hey"})
    assert project == "tiny"
    assert config == {
        "tiny:greeting": "hey",  # override beats the project default
        "tiny:tags": '["x", "y"]',  # stack value beats default; structured values as JSON text
        "aws:region": "eu-west-1",
    }
    _, defaults_only = load_stack_config(TINY, "nostack")
    assert defaults_only == {"tiny:greeting": "hello", "tiny:tags": '["a"]'}


PROJECT = """
name: typed
runtime: python
config:
  region: {type: string}
  zones: {type: array, items: {type: string}}
  size: {type: integer, default: 2}
  debug: {type: boolean, default: false}
  aws:region: {value: us-east-1}
"""


@pytest.mark.parametrize(
    ("stack_config", "message"),
    [
        ({}, "Stack 'dev' is missing configuration values 'region' and 'zones'"),
        ({"typed:zones": ["a"]}, "Stack 'dev' is missing configuration value 'region'"),
        (
            {"typed:region": "x", "typed:zones": ["a"], "typed:size": "two"},
            "Stack 'dev' with configuration key 'size' must be of type 'integer'",
        ),
        (
            {"typed:region": "x", "typed:zones": ["a"], "typed:debug": "yes"},
            "Stack 'dev' with configuration key 'debug' must be of type 'boolean'",
        ),
        (
            {"typed:region": "x", "typed:zones": "a"},
            "Stack 'dev' with configuration key 'zones' must be of type 'array<string>'",
        ),
        (
            {"typed:region": "x", "typed:zones": [1]},
            "Stack 'dev' with configuration key 'zones' must be of type 'array<string>'",
        ),
        (
            {"typed:region": ["x"], "typed:zones": ["a"]},
            "Stack 'dev' with configuration key 'region' must be of type 'string'",
        ),
    ],
    ids=["two-missing", "one-missing", "not-integer", "not-boolean", "not-array", "bad-item", "not-string"],
)
def test_stack_config_checked_against_declarations_as_the_cli_does(
    tmp_path: Path, stack_config: dict, message: str
) -> None:
    """Before it runs a program, the CLI rejects missing declared keys and values of the wrong type."""
    (tmp_path / "Pulumi.yaml").write_text(PROJECT)
    (tmp_path / "Pulumi.dev.yaml").write_text(json.dumps({"config": stack_config}))
    with pytest.raises(ProjectError) as err:
        load_stack_config(tmp_path, "dev")
    # The CLI's message, then (for a value of the wrong type) where that value was set.
    assert str(err.value).startswith(message)
    if "must be of type" in message:
        assert str(err.value).endswith(")") and "(Pulumi.dev.yaml line 1: " in str(err.value)


def test_typed_stack_config_passes_as_the_cli_sends_it(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text(PROJECT)
    stack = {"typed:region": "x", "typed:zones": ["a", "b"], "typed:size": 3, "typed:debug": True}
    (tmp_path / "Pulumi.dev.yaml").write_text(json.dumps({"config": stack}))
    _, config = load_stack_config(tmp_path, "dev")
    assert config == {
        "typed:region": "x",
        "typed:zones": '["a", "b"]',
        "typed:size": "3",
        "typed:debug": "true",
        "aws:region": "us-east-1",
    }
    # Overrides are wire text: an integer as digits, an array as JSON text.
    _, config = load_stack_config(tmp_path, "dev", {"size": "12", "zones": '["c"]'})
    assert (config["typed:size"], config["typed:zones"]) == ("12", '["c"]')
    with pytest.raises(ProjectError, match="'size' must be of type 'integer'"):
        load_stack_config(tmp_path, "dev", {"size": "1.5"})


def test_not_a_project_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match=r"Pulumi\.yaml not found"):
        load_stack_config(tmp_path, "test")
    (tmp_path / "Pulumi.yaml").write_text("name: x\nruntime: python\n")
    with pytest.raises(ProjectError, match=r"__main__\.py not found"):
        run_program(tmp_path, "test", preview=True)


def test_preview_names_known_computed_values_unknown() -> None:
    capture = run_program(TINY, "dev", preview=True)
    assert capture.preview is True
    bucket = capture.one("aws:s3/bucket:Bucket")
    expected_name = autoname(bucket.urn, "files", lowercase=True)
    # Autonamed like the provider's Check; the secret stays a signature dict, as on the wire.
    assert bucket.inputs == {"bucket": expected_name, "tags": {"owner": secret("team-a")}}
    assert bucket.outputs["bucket"] == expected_name
    assert bucket.outputs["arn"] == UNKNOWN
    role_policy = capture.one("aws:iam/rolePolicy:RolePolicy")
    assert role_policy.inputs["policy"] == UNKNOWN  # built from an unknown ARN
    assert role_policy.property_dependencies["policy"] == [bucket.urn]
    role = capture.one("aws:iam/role:Role")
    assert role_policy.property_dependencies["role"] == [role.urn]
    assert role_policy.inputs["role"] == role.inputs["name"]
    assert capture.outputs["bucket"] == expected_name
    assert capture.outputs["bucketArn"] == UNKNOWN
    assert capture.outputs["roleArn"] == UNKNOWN


def test_preview_keeps_an_optional_computed_input_the_program_set() -> None:
    """A bucket's region is computed unless the program sets it; when set, it is known at preview."""
    args = SimpleNamespace(
        typ="aws:s3/bucket:Bucket", name="files", custom=True, inputs={"bucket": "b-1", "region": "eu-west-1"}
    )
    resource_id, outputs = AwsMocks(preview=True).new_resource(args)
    assert resource_id == ""
    assert "region" not in outputs  # so the monitor's state keeps the input "eu-west-1"
    assert outputs["arn"] == UNKNOWN
    del args.inputs["region"]
    assert AwsMocks(preview=True).new_resource(args)[1]["region"] == UNKNOWN


@pytest.mark.parametrize(
    ("region", "partition", "dns_suffix"),
    [
        ("eu-west-1", "aws", "amazonaws.com"),
        ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
        ("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
    ],
)
def test_partition_follows_the_region(region: str, partition: str, dns_suffix: str) -> None:
    """getPartition and every computed ARN agree with the region, as in a real account there."""
    mocks = AwsMocks(preview=False, region=region)
    answer = mocks.invoke_answer("aws:index/getPartition:getPartition")
    assert (answer["partition"], answer["dnsSuffix"]) == (partition, dns_suffix)
    role = SimpleNamespace(typ="aws:iam/role:Role", name="r", custom=True, inputs={"name": "r-1"})
    assert mocks.new_resource(role)[1]["arn"] == f"arn:{partition}:iam::123456789012:role/r-1"
    assert mocks.invoke_answer("aws:index/getCallerIdentity:getCallerIdentity")["arn"].startswith(
        f"arn:{partition}:"
    )


def test_deployed_values_known_and_shaped_like_aws() -> None:
    capture = run_program(TINY, "dev", preview=False, account_id="210987654321")
    bucket = capture.one("aws:s3/bucket:Bucket")
    name = bucket.inputs["bucket"]
    role = capture.one("aws:iam/role:Role")
    assert role.outputs["arn"] == f"arn:aws:iam::210987654321:role/app/{role.inputs['name']}"
    policy = json.loads(capture.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    assert policy == {"byName": f"arn:aws:s3:::{name}", "byArn": f"arn:aws:s3:::{name}"}
    assert capture.outputs["account"] == "210987654321"
    assert capture.outputs["region"] == "eu-west-1"  # the stack's aws:region
    assert capture.outputs["tags"] == ["x", "y"]
    assert capture.outputs["token"] == {SECRET_SIG_KEY: SECRET_SIG, "value": "s3cr3t"}


def test_graph_and_options_recorded() -> None:
    capture = run_program(TINY, "dev", preview=True)
    stack = capture.resources[0]
    assert stack.type == STACK_TYPE and stack.parent is None
    assert all(r.parent == stack.urn for r in registered(capture))
    bucket_policy = capture.one("aws:s3/bucketPolicy:BucketPolicy")
    assert bucket_policy.protect is True
    assert capture.one("aws:s3/bucket:Bucket").protect is False
    bucket = capture.one("aws:s3/bucket:Bucket")
    assert bucket_policy.property_dependencies["bucket"] == [bucket.urn]
    assert bucket.urn in bucket_policy.dependencies
    # Registration order follows the program's async resolution; the set is what is stable.
    assert sorted(r.name for r in registered(capture)) == ["files", "files", "reader", "reader-s3"]


def test_names_deterministic_and_stack_specific() -> None:
    first = run_program(TINY, "dev", preview=True)
    again = run_program(TINY, "dev", preview=False)
    other = run_program(TINY, "prod", preview=True)
    name = first.one("aws:s3/bucket:Bucket").inputs["bucket"]
    assert again.one("aws:s3/bucket:Bucket").inputs["bucket"] == name
    assert other.one("aws:s3/bucket:Bucket").inputs["bucket"] != name


def test_program_error_carries_message_and_registers_nothing() -> None:
    message = "Missing required configuration variable 'failing:mustBeSet'"
    with pytest.raises(ProgramError, match=message) as err:
        run_program(PROGRAMS / "failing", "test", preview=True)
    assert registered(err.value.capture) == []


def test_unanswered_invoke_names_its_token() -> None:
    with pytest.raises(ProgramError, match=r"no answer for invoke 'aws:ec2/getVpc:getVpc'"):
        run_program(PROGRAMS / "bad_invoke", "test", preview=False)


def test_runs_do_not_leak_into_each_other() -> None:
    with pytest.raises(ProgramError):
        run_program(PROGRAMS / "failing", "test", preview=True)
    capture = run_program(TINY, "dev", preview=True)
    assert len(registered(capture)) == 4
    assert capture.project == "tiny"
    assert capture.config["tiny:greeting"] == "hello"


def test_programs_keep_their_own_local_packages() -> None:
    """Two programs with a same-named local package each import their own, in one process."""
    assert run_program(PROGRAMS / "iso_a", "test", preview=True).outputs == {"who": "a"}
    assert run_program(PROGRAMS / "iso_b", "test", preview=True).outputs == {"who": "b"}
    assert run_program(PROGRAMS / "iso_a", "test", preview=False).outputs == {"who": "a"}


def test_component_outputs_recorded() -> None:
    root = Path(__file__).resolve().parents[2]
    capture = run_program(root, "test", preview=False)
    top = capture.one("cognito-user-files:index:UserFiles")
    assert top.custom is False
    assert top.outputs["clientConfig"] == capture.outputs["clientConfig"]
