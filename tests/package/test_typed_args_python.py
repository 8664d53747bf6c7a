"""Python programs may pass UserFiles typed inputs (a map, or the access JSON text) instead of Settings:
the same validator, the same resources."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline.mockrun import ProgramError, registered, run_program
from tests.package.conftest import by_urn

ROOT = Path(__file__).resolve().parents[2]


def program(tmp_path: Path, args: str) -> Path:
    """A program of the same project name as ours (so URNs compare) that builds UserFiles from ``args``."""
    (tmp_path / "Pulumi.yaml").write_text("name: cognito-user-files\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text(
        "from components.inputs import AccessLevel, MfaMode\n"
        "from components.user_files import UserFiles\n"
        f"UserFiles('user-files', {args})\n"
    )
    return tmp_path


TEST_STACK_AS_ARGS = [
    '{"access": {"users/{identity}/*": [AccessLevel.READ, AccessLevel.WRITE, AccessLevel.DELETE]},'
    ' "cors_origins": ["http://localhost:5173"], "ephemeral": True, "deletion_protection": False}',
    # The access description as the JSON text a stack config holds: the same parser reads it.
    '{"access": \'{"users/{identity}/*": ["read", "write", "delete"]}\','
    ' "cors_origins": ["http://localhost:5173"], "ephemeral": True, "deletion_protection": False,'
    ' "mfa": MfaMode.OPTIONAL}',
]


@pytest.mark.parametrize("args", TEST_STACK_AS_ARGS, ids=["map", "json-text"])
@pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
def test_typed_args_register_what_the_stack_config_registers(
    tmp_path: Path, args: str, preview: bool
) -> None:
    typed = run_program(program(tmp_path, args), "test", preview=preview)
    from_config = run_program(ROOT, "test", preview=preview)
    assert by_urn(typed.resources) == by_urn(from_config.resources)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ('{"cors_origins": ["http://example.com"]}', "UserFiles input corsOrigins = 'http://example.com'"),
        ('{"access": "not json"}', "UserFiles input access = 'not json' is not allowed"),
        ('{"mfa": "OFF"}', "UserFiles input mfa = 'OFF' is not allowed: OPTIONAL or ON"),
        (
            '{"cors": ["https://a.example"]}',
            "UserFiles input cors = ['https://a.example'] is not allowed: not an input",
        ),
    ],
)
def test_bad_typed_args_fail_before_any_resource(tmp_path: Path, args: str, message: str) -> None:
    with pytest.raises(ProgramError) as err:
        run_program(program(tmp_path, args), "test", preview=True)
    assert message in str(err.value)
    assert registered(err.value.capture) == []
