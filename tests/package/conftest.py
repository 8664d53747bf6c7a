"""One running component-package plugin per module, launched as the Pulumi CLI launches it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.config import KNOB_BY_KEY, PROJECT
from offline.model import STACK_TYPE, ResourceRecord
from offline.provider_host import EngineStub, PackageClient, launch

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "provider"
EXAMPLE = ROOT / "examples" / "yaml" / "Pulumi.yaml"
USER_FILES = "cognito-user-files:index:UserFiles"
IDENTITY = "cognito-user-files:index:Identity"
FILE_BUCKET = "cognito-user-files:index:FileBucket"


def example_properties() -> dict[str, Any]:
    """The UserFiles properties of the YAML example (examples/yaml/Pulumi.yaml)."""
    program = yaml.safe_load(EXAMPLE.read_text())
    [resource] = [r for r in program["resources"].values() if r["type"] == USER_FILES]
    return resource["properties"]


def stack_inputs(stack: str) -> dict[str, Any]:
    """A stack file's project config as typed component inputs (JSON-text access descriptions parsed)."""
    config = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())["config"]
    inputs: dict[str, Any] = {}
    for qualified, value in config.items():
        namespace, key = qualified.split(":", 1)
        if namespace != PROJECT:
            continue
        is_json_text = KNOB_BY_KEY[key].type == "string" and key in ("access", "guestAccess")
        inputs[key] = json.loads(value) if is_json_text else value
    return inputs


def comparable(record: ResourceRecord) -> dict[str, Any]:
    """Everything the engine is told about a resource; dependency lists in a stable order."""
    return {
        "type": record.type,
        "name": record.name,
        "custom": record.custom,
        "parent": record.parent,
        "inputs": record.inputs,
        "outputs": record.outputs if record.custom else None,
        "dependencies": sorted(record.dependencies),
        "property_dependencies": {k: sorted(v) for k, v in record.property_dependencies.items()},
        "protect": record.protect,
        "retain_on_delete": record.retain_on_delete,
        "ignore_changes": record.ignore_changes,
        "provider": record.provider,
    }


def by_urn(records: list[ResourceRecord]) -> dict[str, dict[str, Any]]:
    return {r.urn: comparable(r) for r in records if r.type != STACK_TYPE}


@pytest.fixture(scope="module")
def consumer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The consumer program's working directory: somewhere else than the repo and the plugin."""
    return tmp_path_factory.mktemp("consumer")


@pytest.fixture(scope="module")
def engine_address() -> Iterator[str]:
    """The engine address the plugin is started with (its Log service); Construct names the monitor."""
    engine = EngineStub("consumer", "dev", preview=True)
    yield engine.address
    engine.close()


@pytest.fixture(scope="module")
def plugin(consumer_dir: Path, engine_address: str) -> Iterator[PackageClient]:
    with launch(PLUGIN, engine_address, cwd=consumer_dir, project="user-files-yaml") as client:
        client.handshake(engine_address, PLUGIN)
        client.configure()
        yield client
