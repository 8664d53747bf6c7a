"""The client's view of the stack: load the JSON client configuration that the stack outputs.

The file may be either the client-config object itself, or a ``pulumi stack output --json`` dump
that holds it under one of its keys (as an object, or as the JSON string that
``pulumi.Output.json_dumps`` produces). Nothing here reads credentials.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .keys import FolderError, check_folder_prefix

#: Output key -> ClientConfig field. The keys are the stack's client-config output.
REQUIRED_KEYS: dict[str, str] = {
    "region": "region",
    "userPoolId": "user_pool_id",
    "userPoolClientId": "user_pool_client_id",
    "identityPoolId": "identity_pool_id",
    "bucket": "bucket",
}
DEFAULT_FOLDER_PREFIX = "users/"
#: What names the folder (components/user_files.py: ``folderKey``). This client knows only the identity ID.
FOLDER_KEY = "identityId"

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
_USER_POOL_ID = re.compile(r"^[\w-]+_[0-9a-zA-Z]+$")
_IDENTITY_POOL_ID = re.compile(r"^[\w-]+:[0-9a-f-]+$")


class ConfigError(ValueError):
    """The outputs file is missing, unreadable, or not in the shape the client needs."""


@dataclass(frozen=True)
class ClientConfig:
    """What a client needs to sign in and find its folder."""

    region: str
    user_pool_id: str
    user_pool_client_id: str
    identity_pool_id: str
    bucket: str
    folder_prefix: str = DEFAULT_FOLDER_PREFIX
    #: Every per-identity folder of the stack (``users/{identity}/``), when it has several; else empty.
    folder_prefixes: tuple[str, ...] = ()

    def choose_folder(self, wanted: str | None) -> str:
        """The folder prefix to work in: ``wanted`` (``--folder``) if the stack has it, the only one if
        there is one, and never a silent pick among several."""
        choices = self.folder_prefixes or (self.folder_prefix,)
        listed = ", ".join(choices)
        if wanted is None:
            if len(choices) == 1:
                return choices[0]
            raise ConfigError(f"this stack has several per-identity folders ({listed}); use --folder")
        for choice in choices:
            if wanted in (choice, _plain_prefix(choice), _plain_prefix(choice).rstrip("/")):
                return choice
        raise ConfigError(f"--folder {wanted!r} is not a folder of this stack; its folders: {listed}")


def _plain_prefix(template: str) -> str:
    """``users/{identity}/`` -> ``users/`` (what ``--folder`` may also name it by)."""
    return template.split("{identity}", 1)[0]


def _as_object(value: Any) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


def _has_required(obj: dict[str, Any]) -> bool:
    return all(key in obj for key in REQUIRED_KEYS)


def find_client_config(data: Any) -> dict[str, Any]:
    """Return the client-config object in ``data``: the object itself, or the one output of a
    stack-output dump that holds such an object."""
    top = _as_object(data)
    if top is None:
        raise ConfigError(
            "expected a JSON object (the stack's client config or `pulumi stack output --json`)"
        )
    if _has_required(top):
        return top
    found = [(key, obj) for key, value in top.items() if (obj := _as_object(value)) and _has_required(obj)]
    if len(found) == 1:
        return found[0][1]
    if len(found) > 1:
        names = ", ".join(sorted(key for key, _ in found))
        raise ConfigError(f"several outputs look like a client config ({names}); pass that one output alone")
    missing = [key for key in REQUIRED_KEYS if key not in top]
    raise ConfigError(
        "no client config found: need an object with keys "
        + ", ".join(REQUIRED_KEYS)
        + f" (top level lacks {', '.join(missing)}, and no output holds them)"
    )


def _require_str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"client config key {key!r} must be a non-empty string, got {value!r}")
    return value.strip()


def _checked_prefix(key: str, prefix: str) -> str:
    try:
        return check_folder_prefix(prefix)
    except FolderError as exc:
        raise ConfigError(f"client config key {key!r}: {exc}") from None


def _folder_prefixes(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"client config key 'folderPrefixes' must be a list of strings, got {value!r}")
    return tuple(_checked_prefix("folderPrefixes", v) for v in value)


def parse_client_config(data: Any) -> ClientConfig:
    """Validate the stack's client config and return it as a ClientConfig."""
    obj = find_client_config(data)
    values = {field: _require_str(obj, key) for key, field in REQUIRED_KEYS.items()}
    prefix = obj.get("folderPrefix", DEFAULT_FOLDER_PREFIX)
    if not isinstance(prefix, str):
        raise ConfigError(f"client config key 'folderPrefix' must be a string, got {prefix!r}")
    values["folder_prefix"] = _checked_prefix("folderPrefix", prefix)
    values["folder_prefixes"] = _folder_prefixes(obj.get("folderPrefixes"))
    folder_key = obj.get("folderKey", FOLDER_KEY)
    if folder_key != FOLDER_KEY:
        raise ConfigError(
            f"client config key 'folderKey' is {folder_key!r}; this client names folders by {FOLDER_KEY!r} "
            "(the identity ID from Cognito GetId)"
        )
    config = ClientConfig(**values)
    checks = [
        ("region", config.region, _REGION, "an AWS region such as us-east-1"),
        ("userPoolId", config.user_pool_id, _USER_POOL_ID, "<region>_<id>, e.g. us-east-1_AbC123"),
        ("identityPoolId", config.identity_pool_id, _IDENTITY_POOL_ID, "<region>:<uuid>"),
    ]
    for key, value, pattern, allowed in checks:
        if not pattern.match(value):
            raise ConfigError(f"client config key {key!r} is {value!r}; expected {allowed}")
    return config


def load_client_config(path: str | Path) -> ClientConfig:
    """Read and validate the outputs file at ``path``."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot read outputs file {str(p)!r}: {exc.strerror or exc}. "
            "Create it with: pulumi stack output --json > stack-outputs.json"
        ) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"outputs file {str(p)!r} is not JSON: {exc}") from exc
    try:
        return parse_client_config(data)
    except ConfigError as exc:
        raise ConfigError(f"outputs file {str(p)!r}: {exc}") from exc
