"""The components as a Pulumi component package: its name and version, the hosted classes, the host.

``provider/__main__.py`` calls :func:`serve`. The schema is inferred by the SDK's analyzer
(``pulumi.provider.experimental``) from the hosted classes' type hints: each ``args`` TypedDict gives the
inputs, each ``pulumi.Output[...]`` class attribute an output, docstrings the descriptions.

:class:`ComponentPackage` is the SDK's own ``ComponentProvider`` (what ``component_provider_host``
runs) with two additions:

- an input that our validation refuses (:class:`~components.inputs.InputError`) is answered the way a
  provider reports a bad property (``InputPropertiesError``: the property and what is allowed), before
  any resource is registered. The SDK would otherwise report it as a crash, with a Python traceback.
- descriptions lose the source indentation of multi-line docstrings.

The package's name and version are the Python project's (``pyproject.toml``), read at start-up.
"""

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pulumi.provider
from pulumi.errors import InputPropertiesError
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.provider import ConstructResult
from pulumi.provider.server import ComponentInitError

from components.identity import Identity
from components.inputs import InputError
from components.storage import FileBucket
from components.user_files import UserFiles

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"

#: The hosted components: the whole setup, and the parts that are useful alone.
HOSTED: tuple[type[pulumi.ComponentResource], ...] = (UserFiles, Identity, FileBucket)


def package_metadata(pyproject: Path = PYPROJECT) -> tuple[str, str]:
    """``(name, version)`` of the Python project: the package is published under the same."""
    project = tomllib.loads(pyproject.read_text())["project"]
    return project["name"], project["version"]


def _tidy(node: Any) -> Any:
    """Every ``description`` without the indentation that docstrings carry on their later lines."""
    if isinstance(node, dict):
        return {
            k: re.sub(r"\n[ \t]+", "\n", v) if k == "description" and isinstance(v, str) else _tidy(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_tidy(v) for v in node]
    return node


class ComponentPackage(ComponentProvider):
    """The SDK's component provider, with bad inputs reported as bad properties (no traceback)."""

    def __init__(self, name: str, version: str) -> None:
        super().__init__(list(HOSTED), name, version=version)
        self.schema = json.dumps(_tidy(json.loads(self.schema or "{}")))

    def construct(
        self,
        name: str,
        resource_type: str,
        inputs: Any,
        options: pulumi.ResourceOptions | None = None,
    ) -> ConstructResult:
        try:
            return super().construct(name, resource_type, inputs, options)
        except ComponentInitError as exn:
            if isinstance(exn.inner, InputError):
                error = exn.inner
                raise InputPropertiesError(
                    str(error), [{"property_path": error.key, "reason": error.allowed}]
                ) from None
            raise


def serve(argv: list[str]) -> None:
    """Run the package's gRPC server: print the port, then answer the engine (argv: engine address, flags)."""
    name, version = package_metadata()
    pulumi.provider.main(ComponentPackage(name, version), argv)
