"""components/config.py: every knob declared in Pulumi.yaml, safe defaults, a clear error per bad value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from components.config import (
    KNOBS,
    PROJECT,
    ConfigError,
    IdentitySettings,
    StorageSettings,
    load_settings,
    validate_origin,
)
from offline.mockrun import load_stack_config

ROOT = Path(__file__).resolve().parents[2]


def project_file() -> dict:
    return yaml.safe_load((ROOT / "Pulumi.yaml").read_text())


def test_project_file_basics() -> None:
    doc = project_file()
    assert doc["name"] == PROJECT == "cognito-user-files"
    assert doc["runtime"] == {"name": "python", "options": {"toolchain": "pip", "virtualenv": ".venv"}}


def test_every_knob_declared_in_pulumi_yaml_with_type_default_description() -> None:
    declared = project_file()["config"]
    assert list(declared) == [k.key for k in KNOBS]
    for knob in KNOBS:
        entry = declared[knob.key]
        assert entry["type"] == knob.type, knob.key
        assert entry["default"] == knob.default, knob.key
        assert entry["description"] == knob.description, knob.key
        assert entry.get("items") == ({"type": knob.items} if knob.items else None), knob.key
        # Pulumi.yaml allows only these types; arrays must declare their items.
        assert entry["type"] in ("string", "integer", "boolean", "array"), knob.key
        assert entry["type"] != "array" or "items" in entry, knob.key


def test_defaults_are_safe() -> None:
    settings = load_settings({})
    assert settings.identity == IdentitySettings(
        allow_guests=False,
        mfa="OPTIONAL",
        password_min_length=12,
        access_token_minutes=60,
        id_token_minutes=60,
        refresh_token_days=30,
        deletion_protection=True,
        protect=True,
    )
    assert settings.storage == StorageSettings(
        cors_origins=(),
        kms_encryption=False,
        noncurrent_version_days=30,
        abort_multipart_days=7,
        ephemeral=False,
    )
    assert [(r.path, sorted(r.grants)) for r in settings.access.authenticated] == [
        ("users/{identity}/*", ["delete", "get", "list", "write"])
    ]
    assert settings.access.guest == ()
    assert settings.folder_prefix == "users/"


def stack_settings(stack: str):
    _, config = load_stack_config(ROOT, stack)
    return load_settings({k: v for k, v in config.items() if k.startswith(f"{PROJECT}:")})


def test_test_stack_file() -> None:
    settings = stack_settings("test")
    assert settings.storage.ephemeral is True
    assert settings.identity.protect is False
    assert settings.identity.deletion_protection is False
    assert settings.storage.cors_origins == ("http://localhost:5173",)
    assert [(r.path, sorted(r.grants)) for r in settings.access.authenticated] == [
        ("users/{identity}/*", ["delete", "get", "list", "write"])
    ]
    assert settings.identity.allow_guests is False


def test_prod_stack_file() -> None:
    settings = stack_settings("prod")
    assert settings.storage.ephemeral is False
    assert settings.identity.protect is True
    assert settings.identity.deletion_protection is True
    assert settings.identity.mfa == "ON"
    assert settings.storage.kms_encryption is True
    assert settings.storage.cors_origins == ("https://files.example.com",)
    assert settings.identity.access_token_minutes == 15


def test_namespaced_keys_accepted() -> None:
    assert load_settings({f"{PROJECT}:mfa": "ON"}).identity.mfa == "ON"


# --------------------------------------------------------------------------------------------------
# Compliant values
# --------------------------------------------------------------------------------------------------

GOOD = [
    (
        {"corsOrigins": '["https://app.example.com", "https://app.example.com:8443"]'},
        {"storage.cors_origins": ("https://app.example.com", "https://app.example.com:8443")},
    ),
    (
        {"corsOrigins": '["http://localhost:3000", "http://127.0.0.1:5173"]'},
        {"storage.cors_origins": ("http://localhost:3000", "http://127.0.0.1:5173")},
    ),
    ({"corsOrigins": '["*"]'}, {"storage.cors_origins": ("*",)}),
    (
        {"allowGuests": "true", "guestAccess": '{"public/*": ["get"]}'},
        {"identity.allow_guests": True, "access.guest": (("public/*", ("get",)),)},
    ),
    ({"mfa": "ON"}, {"identity.mfa": "ON"}),
    (  # internationalized hosts are sent by browsers in punycode; S3 compares them as sent
        {"corsOrigins": '["https://bücher.example", "https://xn--caf-dma.example:8443"]'},
        {"storage.cors_origins": ("https://xn--bcher-kva.example", "https://xn--caf-dma.example:8443")},
    ),
    (  # several per-identity folders (Amplify's private/ beside profile/): every one is kept
        {"access": '{"users/{identity}/*": ["read"], "profile/{identity}/*": ["get"], "public/*": ["get"]}'},
        {"folder_prefix": "users/", "access.identity_folders": ("users/{identity}/", "profile/{identity}/")},
    ),
    (
        {"passwordMinLength": "99", "accessTokenMinutes": "5", "idTokenMinutes": "1440"},
        {
            "identity.password_min_length": 99,
            "identity.access_token_minutes": 5,
            "identity.id_token_minutes": 1440,
        },
    ),
    (
        {"ephemeral": "true", "deletionProtection": "false"},
        {"identity.deletion_protection": False, "identity.protect": False, "storage.ephemeral": True},
    ),
    (
        {"kmsEncryption": "TRUE", "noncurrentVersionDays": "1", "abortMultipartDays": "365"},
        {
            "storage.kms_encryption": True,
            "storage.noncurrent_version_days": 1,
            "storage.abort_multipart_days": 365,
        },
    ),
    (
        {"access": '{"users/{identity}/*": ["write"], "public/*": ["read"]}'},
        {"access.authenticated": (("users/{identity}/*", ("write",)), ("public/*", ("get", "list")))},
    ),
]


def _setting(settings, path: str):
    value = settings
    for part in path.split("."):
        value = getattr(value, part)
    if path == "access.identity_folders":
        return value()
    if path.startswith("access."):  # rules as (path, sorted grants)
        return tuple((rule.path, tuple(sorted(rule.grants))) for rule in value)
    return value


@pytest.mark.parametrize(("raw", "expected"), GOOD, ids=[f"compliant-{i}" for i in range(len(GOOD))])
def test_compliant_config(raw: dict[str, str], expected: dict) -> None:
    settings = load_settings(raw)
    assert {path: _setting(settings, path) for path in expected} == expected


def test_star_origin_only_when_configured() -> None:
    assert load_settings({"corsOrigins": '["*"]'}).storage.cors_origins == ("*",)
    assert "*" not in load_settings({}).storage.cors_origins


# --------------------------------------------------------------------------------------------------
# Noncompliant values: the message names the key, the value and what is allowed
# --------------------------------------------------------------------------------------------------

BAD = [
    # access descriptions
    ({"access": "users/{identity}/*"}, "access", "users/{identity}/*", "JSON object"),
    ({"access": '["users/{identity}/*"]'}, "access", '["users/{identity}/*"]', "JSON object"),
    ({"access": '{"users/{identity}": ["read"]}'}, "access", "users/{identity}", "must end in '/*'"),
    (
        {"access": '{"users/{identity}/*": ["admin"]}'},
        "access",
        "admin",
        "allowed: get, list, read, write, delete",
    ),
    ({"access": '{"users/{identity}/*": []}'}, "access", "users/{identity}/*", "empty rule"),
    ({"access": '{"users/id-{identity}/*": ["read"]}'}, "access", "id-{identity}", "whole path segment"),
    ({"access": '{"users/*": ["read"], "users/{identity}/*": ["read"]}'}, "access", "users/*", "overlap"),
    ({"access": '{"public/*": ["read"]}'}, "access", "public/*", "a per-user folder rule"),
    ({"guestAccess": '{"public/*": ["get"]}'}, "guestAccess", "public/*", "only with allowGuests: true"),
    (
        {"allowGuests": "true", "guestAccess": '{"public/*": ["steal"]}'},
        "guestAccess",
        "steal",
        "unknown access level",
    ),
    # booleans
    ({"allowGuests": "yes"}, "allowGuests", "'yes'", "true or false"),
    ({"ephemeral": "1"}, "ephemeral", "'1'", "true or false"),
    ({"kmsEncryption": "maybe"}, "kmsEncryption", "'maybe'", "true or false"),
    # origins
    ({"corsOrigins": '["localhost:3000"]'}, "corsOrigins", "'localhost:3000'", "scheme://host[:port]"),
    ({"corsOrigins": '["not a url"]'}, "corsOrigins", "'not a url'", "https://host[:port] origins"),
    ({"corsOrigins": '["https://app.example.com/"]'}, "corsOrigins", "https://app.example.com/", "no path"),
    (
        {"corsOrigins": '["http://app.example.com"]'},
        "corsOrigins",
        "http://app.example.com",
        "http only for localhost",
    ),
    ({"corsOrigins": '["https://*.example.com"]'}, "corsOrigins", "https://*.example.com", "no wildcards"),
    ({"corsOrigins": '["*", "https://a.example.com"]'}, "corsOrigins", "'*'", "['*'] alone"),
    ({"corsOrigins": "https://a.example.com"}, "corsOrigins", "https://a.example.com", "JSON array"),
    ({"corsOrigins": '["https://a.example.com:99999"]'}, "corsOrigins", ":99999", "out of range"),
    (
        {"corsOrigins": '["https://App.example.com"]'},
        "corsOrigins",
        "https://App.example.com",
        "lower case, as browsers send it",
    ),
    (
        {"corsOrigins": '["https://a.example.com:443"]'},
        "corsOrigins",
        "https://a.example.com:443",
        "leave out the default port 443",
    ),
    ({"corsOrigins": '["http://localhost:80"]'}, "corsOrigins", "localhost:80", "default port 80"),
    (
        {"corsOrigins": '["https://a.example.com", "https://a.example.com"]'},
        "corsOrigins",
        "a.example",
        "each origin once (https://a.example.com is repeated)",
    ),
    (
        {"access": '{"users/{identity}/*": ["read"], "users/{identity}/*": ["write"]}'},
        "access",
        "'users/{identity}/*' is repeated",
        "each key once",
    ),
    ({"access": json.dumps({"a/" * 490 + "{identity}/*": ["read"]})}, "access", "a/a/", "at most 1024 bytes"),
    ({"corsOrigins": '["https://bad_\u00fc.example"]'}, "corsOrigins", "bad_", "internationalized host"),
    (
        {"corsOrigins": '["https://bücher.example", "https://xn--bcher-kva.example"]'},
        "corsOrigins",
        "bücher",
        "https://xn--bcher-kva.example is repeated",
    ),
    # MFA: exactly as written, and never an empty value read as the default
    ({"mfa": "OFF"}, "mfa", "'OFF'", "OPTIONAL or ON"),
    ({"mfa": "On"}, "mfa", "'On'", "OPTIONAL or ON"),
    ({"mfa": "on"}, "mfa", "'on'", "OPTIONAL or ON"),
    ({"mfa": ""}, "mfa", "''", "OPTIONAL or ON"),
    ({"mfa": " ON"}, "mfa", "' ON'", "OPTIONAL or ON"),
    # integers and ranges
    ({"passwordMinLength": "8"}, "passwordMinLength", "'8'", "a whole number from 12 to 99"),
    ({"passwordMinLength": "twelve"}, "passwordMinLength", "'twelve'", "a whole number from 12 to 99"),
    ({"accessTokenMinutes": "2"}, "accessTokenMinutes", "'2'", "from 5 to 1440"),
    ({"accessTokenMinutes": "2000"}, "accessTokenMinutes", "'2000'", "from 5 to 1440"),
    ({"idTokenMinutes": "0"}, "idTokenMinutes", "'0'", "from 5 to 1440"),
    ({"refreshTokenDays": "0"}, "refreshTokenDays", "'0'", "from 1 to 3650"),
    ({"refreshTokenDays": "4000"}, "refreshTokenDays", "'4000'", "from 1 to 3650"),
    (
        {"refreshTokenDays": "1", "accessTokenMinutes": "1440"},
        "refreshTokenDays",
        "1",
        "longer than the access and ID tokens (1440 minutes): at least 2 days",
    ),
    ({"noncurrentVersionDays": "0"}, "noncurrentVersionDays", "'0'", "from 1 to 3650"),
    ({"abortMultipartDays": "400"}, "abortMultipartDays", "'400'", "from 1 to 365"),
    ({"abortMultipartDays": "1.5"}, "abortMultipartDays", "'1.5'", "a whole number"),
    # data safety
    ({"deletionProtection": "false"}, "deletionProtection", "'false'", "true on a long-lived stack"),
]


@pytest.mark.parametrize(
    ("raw", "key", "value", "allowed"), BAD, ids=[f"noncompliant-{i}" for i in range(len(BAD))]
)
def test_bad_config_names_key_value_and_what_is_allowed(
    raw: dict[str, str], key: str, value: str, allowed: str
) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(raw)
    message = str(err.value)
    assert f"config {PROJECT}:{key} = " in message
    assert value in message
    assert allowed in message


def test_validate_origin_directly() -> None:
    assert validate_origin("https://app.example.com") == "https://app.example.com"
    with pytest.raises(ValueError, match="an origin is a string"):
        validate_origin(42)


def test_config_values_round_trip_as_the_cli_sends_them() -> None:
    """Structured values arrive as JSON text; the stack file's list is read as a list."""
    _, config = load_stack_config(ROOT, "test")
    assert json.loads(config[f"{PROJECT}:corsOrigins"]) == ["http://localhost:5173"]
    assert config[f"{PROJECT}:ephemeral"] == "true"


@pytest.mark.parametrize("knob", [k for k in KNOBS], ids=lambda k: k.key)
def test_an_empty_value_is_never_taken_for_the_default(knob) -> None:
    """No key falls back to its default (for mfa, the weakest setting) when it is set but empty."""
    with pytest.raises(ConfigError) as err:
        load_settings({knob.key: "", "ephemeral": "true", "deletionProtection": "false"} | {knob.key: ""})
    assert f"config {PROJECT}:{knob.key} = ''" in str(err.value)
