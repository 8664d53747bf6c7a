"""The components' typed inputs -> the same validated settings as the stack's config, or a clear error.

The component package (``provider/``) infers its schema from the components' type hints, so the values
a TypeScript, Go, C#, Java or YAML program gives a component are typed: maps, lists, booleans, whole
numbers and the enums below. Python callers may pass the same typed values (or, for the access
descriptions, the JSON text a stack config holds). Either way they reach one validator:
:func:`settings_from_inputs` renders each value as the CLI would hand it to a program and calls
:func:`components.config.load_settings`, so a bad input is refused with the same verdict as a bad config
value, before any resource is registered. Only the wording of the subject differs: ``UserFiles input
corsOrigins = ...`` instead of ``config cognito-user-files:corsOrigins = ...``.

No ``from __future__ import annotations`` here: the SDK's schema analyzer reads real annotations.
"""

import enum
import json
from collections.abc import Iterable, Mapping
from typing import Any

import pulumi
from pulumi.output import Unknown
from pulumi.provider.experimental.util import camel_case

from components.config import ConfigError, Settings, load_settings

#: Why every input must be a value known when the component is built.
KNOWN = (
    "a value known when the program runs (a literal or a plain config value, not another resource's "
    "output or a secret): it decides which resources exist and is checked before any is registered"
)


class AccessLevel(enum.Enum):
    """An access level of one folder rule (as in Amplify Storage)."""

    GET = "get"
    """s3:GetObject on the folder's objects."""
    LIST = "list"
    """s3:ListBucket, limited by s3:prefix to the folder."""
    READ = "read"
    """get and list."""
    WRITE = "write"
    """s3:PutObject in the folder."""
    DELETE = "delete"
    """s3:DeleteObject in the folder."""


class MfaMode(enum.Enum):
    """User-pool multi-factor authentication (TOTP)."""

    OPTIONAL = "OPTIONAL"
    """Each user may turn on an authenticator app."""
    ON = "ON"
    """Every user must sign in with an authenticator app code."""


class InputError(ValueError):
    """A component input that cannot be used: names the component, the input, the value, what is allowed.

    ``key`` is the input's schema name (the ``Pulumi.yaml`` config key of the same meaning).
    """

    def __init__(self, component: str, key: str, shown: str, allowed: str) -> None:
        super().__init__(f"{component} input {key} = {shown} is not allowed: {allowed}")
        self.component, self.key, self.allowed = component, key, allowed


def _unresolved(value: Any) -> bool:
    """An Output, an unknown or a secret anywhere in ``value``: not known while the component is built."""
    if isinstance(value, pulumi.Output | Unknown):
        return True
    if isinstance(value, Mapping):
        return any(_unresolved(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_unresolved(v) for v in value)
    return False


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def wire(value: Any) -> str:
    """A typed input as the CLI hands the same config value to a program: text, JSON for lists and maps."""
    value = _jsonable(value)
    if isinstance(value, float) and value.is_integer():
        # The wire has only doubles, and the SDK (3.272) hands integer inputs on as floats (its int()
        # conversion in map_input_properties is overwritten): 14.0 is the whole number 14.
        value = int(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping | list):
        return json.dumps(value)
    return str(value)


def settings_from_inputs(
    component: str,
    args: Mapping[str, Any],
    fields: Iterable[str],
    fixed: Mapping[str, str] | None = None,
) -> Settings:
    """Validate a component's inputs (Python field names, ``fields`` allowed) into :class:`Settings`.

    Inputs left out (or ``None``) take the config defaults. ``fixed`` adds config values the component
    decides itself (config key -> wire text).
    """
    allowed = list(fields)
    if not isinstance(args, Mapping):
        raise InputError(component, "args", repr(args), f"a map of the inputs {_names(allowed)}")
    raw: dict[str, str] = {}
    for field, value in args.items():
        key = camel_case(field)
        if field not in allowed:
            raise InputError(component, key, repr(value), f"not an input; the inputs are {_names(allowed)}")
        if value is None:
            continue
        if _unresolved(value):
            raise InputError(component, key, "an output or secret", KNOWN)
        raw[key] = wire(value)
    raw.update(fixed or {})
    try:
        return load_settings(raw)
    except ConfigError as exn:
        raise InputError(component, exn.key, repr(exn.value), exn.allowed) from None


def _names(fields: Iterable[str]) -> str:
    return ", ".join(camel_case(f) for f in fields)
