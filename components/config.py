"""Stack config -> validated, frozen settings. Pure: strings in, dataclasses out, or a clear error.

Every knob is declared here once (:data:`KNOBS`) with its type, default and description, and the same
declarations appear in ``Pulumi.yaml``'s project ``config:`` block (a test keeps the two equal). Values
arrive as the CLI passes them to a program: strings, with objects and arrays as JSON text.

Errors are :class:`ConfigError` and name the key, the value and what is allowed. ``__main__.py`` calls
:func:`load_settings` before it creates any resource.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import idna

from components.access import AccessDescription, AccessError, parse_rules

PROJECT = "cognito-user-files"


class ConfigError(ValueError):
    """A config value that cannot be used. The message names the key, the value and what is allowed.

    The parts are kept too (``key``, ``value``, ``allowed``), so that the component package can word the
    same verdict for a component input (components/inputs.py).
    """

    def __init__(self, message: str, key: str = "", value: Any = None, allowed: str = "") -> None:
        super().__init__(message)
        self.key, self.value, self.allowed = key, value, allowed


@dataclass(frozen=True)
class Knob:
    """One config key as ``Pulumi.yaml`` declares it.

    Pulumi.yaml types are string, integer, boolean and array (of simple types): there is no object
    type, so the access descriptions are strings holding a JSON object.
    """

    key: str
    type: str
    default: Any
    description: str
    items: str | None = None  # item type of an array


KNOBS: tuple[Knob, ...] = (
    Knob(
        "access",
        "string",
        '{"users/{identity}/*": ["read", "write", "delete"]}',
        "Signed-in users' access, a JSON object: folder path ('.../*'; '{identity}' = the caller's "
        "identity-pool identity ID) -> levels (get, list, read, write, delete). Renders both the role "
        "policy and the bucket policy.",
    ),
    Knob(
        "allowGuests", "boolean", False, "Let the identity pool hand out guest (unauthenticated) identities."
    ),
    Knob(
        "guestAccess",
        "string",
        "{}",
        "Guests' access, a JSON object like 'access' but without '{identity}'. Needs allowGuests.",
    ),
    Knob(
        "corsOrigins",
        "array",
        [],
        "Browser origins allowed by the bucket's CORS rule (https://host[:port], or http://localhost). "
        "'*' only as the sole entry, and only if you mean it.",
        items="string",
    ),
    Knob("mfa", "string", "OPTIONAL", "User-pool MFA (TOTP): OPTIONAL or ON."),
    Knob("passwordMinLength", "integer", 12, "Minimum password length (12-99)."),
    Knob("accessTokenMinutes", "integer", 60, "Access-token lifetime in minutes (5-1440)."),
    Knob("idTokenMinutes", "integer", 60, "ID-token lifetime in minutes (5-1440)."),
    Knob("refreshTokenDays", "integer", 30, "Refresh-token lifetime in days (1-3650)."),
    Knob(
        "deletionProtection", "boolean", True, "User-pool deletion protection. Keep on for long-lived stacks."
    ),
    Knob(
        "ephemeral",
        "boolean",
        False,
        "A throw-away stack: the bucket may be destroyed with its objects and nothing is protected. "
        "Never set it on a stack that holds real users' files.",
    ),
    Knob(
        "kmsEncryption",
        "boolean",
        False,
        "Encrypt with a customer-managed KMS key (SSE-KMS) instead of SSE-S3.",
    ),
    Knob("noncurrentVersionDays", "integer", 30, "Days to keep noncurrent object versions (1-3650)."),
    Knob("abortMultipartDays", "integer", 7, "Days before incomplete multipart uploads are aborted (1-365)."),
)
KNOB_BY_KEY: dict[str, Knob] = {k.key: k for k in KNOBS}

MFA_MODES = ("OPTIONAL", "ON")
RANGES: dict[str, tuple[int, int]] = {
    "passwordMinLength": (12, 99),
    "accessTokenMinutes": (5, 1440),
    "idTokenMinutes": (5, 1440),
    "refreshTokenDays": (1, 3650),
    "noncurrentVersionDays": (1, 3650),
    "abortMultipartDays": (1, 365),
}


@dataclass(frozen=True)
class IdentitySettings:
    allow_guests: bool = False
    mfa: str = "OPTIONAL"
    password_min_length: int = 12
    access_token_minutes: int = 60
    id_token_minutes: int = 60
    refresh_token_days: int = 30
    deletion_protection: bool = True
    protect: bool = True  # long-lived: protect and retain the user pool and identity pool


@dataclass(frozen=True)
class StorageSettings:
    cors_origins: tuple[str, ...] = ()
    kms_encryption: bool = False
    noncurrent_version_days: int = 30
    abort_multipart_days: int = 7
    ephemeral: bool = False  # True: force_destroy, no protect / retain_on_delete


@dataclass(frozen=True)
class Settings:
    access: AccessDescription
    identity: IdentitySettings
    storage: StorageSettings
    folder_prefix: str  # the first per-identity folder's prefix (``users/``); all: access.identity_folders()


def _fail(key: str, value: Any, allowed: str) -> ConfigError:
    return ConfigError(f"config {PROJECT}:{key} = {value!r} is not allowed: {allowed}", key, value, allowed)


def _raw(raw: Mapping[str, str | None], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        value = raw.get(f"{PROJECT}:{key}")
    return value


def _boolean(raw: Mapping[str, str | None], key: str) -> bool:
    value = _raw(raw, key)
    if value is None:
        return bool(KNOB_BY_KEY[key].default)
    if value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise _fail(key, value, "true or false")


def _integer(raw: Mapping[str, str | None], key: str) -> int:
    value = _raw(raw, key)
    low, high = RANGES[key]
    if value is None:
        return int(KNOB_BY_KEY[key].default)
    try:
        number = int(value.strip())
    except ValueError:
        raise _fail(key, value, f"a whole number from {low} to {high}") from None
    if not low <= number <= high:
        raise _fail(key, value, f"a whole number from {low} to {high}")
    return number


class DuplicateKeyError(ValueError):
    """A JSON object that names one key twice; ``str(err)`` is the key."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` that refuses a repeated key instead of keeping the last one silently."""
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKeyError(repr(key))
        seen[key] = value
    return seen


def _choice(raw: Mapping[str, str | None], key: str, allowed: tuple[str, ...]) -> str:
    """A value from ``allowed``, exactly as written: no case folding, and an empty string is refused
    rather than read as the default (which is the weakest setting)."""
    value = _raw(raw, key)
    if value is None:
        return str(KNOB_BY_KEY[key].default)
    if value not in allowed:
        raise _fail(key, value, " or ".join(allowed) + (" (exactly, in upper case)" if value else ""))
    return value


def _json(raw: Mapping[str, str | None], key: str, kind: type, shape: str) -> Any:
    value = _raw(raw, key)
    if value is None:
        default = KNOB_BY_KEY[key].default
        value = default if isinstance(default, str) else json.dumps(default)
    try:
        parsed = json.loads(value, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError:
        raise _fail(key, value, f"{shape} (JSON)") from None
    except DuplicateKeyError as exn:
        repeated = f"{exn} is repeated; JSON would keep only the last"
        raise _fail(key, value, f"{shape}, each key once ({repeated})") from None
    if not isinstance(parsed, kind):
        raise _fail(key, value, shape)
    return parsed


def validate_origin(origin: Any) -> str:
    """An origin the browser sends: scheme://host[:port], https, or http only for localhost."""
    if not isinstance(origin, str):
        raise ValueError("an origin is a string")
    parts = urlsplit(origin)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError("an origin is scheme://host[:port]")
    if parts.path or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("an origin has no path, query, fragment or user info (no trailing '/')")
    if "*" in origin:
        raise ValueError("no wildcards inside an origin")
    if parts.scheme == "http" and parts.hostname not in ("localhost", "127.0.0.1"):
        raise ValueError("plain http only for localhost")
    # S3 matches the allowed origins against the Origin header as the browser sends it: in lower case
    # and without a default port. Written otherwise, an origin may silently never match.
    if origin != origin.lower():
        raise ValueError("write it in lower case, as browsers send it")
    if parts.port == {"https": 443, "http": 80}[parts.scheme]:  # parts.port raises on a bad port
        raise ValueError(f"leave out the default port {parts.port}: browsers send the origin without it")
    return _ascii_origin(parts.scheme, parts.hostname, parts.port)


def _ascii_origin(scheme: str, host: str, port: int | None) -> str:
    """The origin as a browser sends it: an internationalized host in punycode (IDNA 2008)."""
    if not host.isascii():
        try:
            host = idna.encode(host).decode("ascii")
        except idna.IDNAError as exn:
            raise ValueError(f"{host!r} is not a valid internationalized host name ({exn})") from None
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    return f"{scheme}://{host}" + (f":{port}" if port is not None else "")


def _origins(raw: Mapping[str, str | None]) -> tuple[str, ...]:
    origins = _json(raw, "corsOrigins", list, 'a JSON array of origins such as ["https://app.example.com"]')
    if origins == ["*"]:
        return ("*",)
    allowed = "https://host[:port] origins (http only for localhost), or ['*'] alone"
    converted = []
    for origin in origins:
        try:
            converted.append(validate_origin(origin))
        except ValueError as exn:
            raise _fail("corsOrigins", origin, f"{allowed}; {exn}") from None
    repeated = sorted({origin for origin in converted if converted.count(origin) > 1})
    if repeated:
        raise _fail("corsOrigins", origins, f"each origin once ({', '.join(repeated)} is repeated)")
    return tuple(converted)


def _access(raw: Mapping[str, str | None], allow_guests: bool) -> AccessDescription:
    shape = 'a JSON object of path -> levels, e.g. {"users/{identity}/*": ["read", "write"]}'
    authenticated = _json(raw, "access", dict, shape)
    guest = _json(raw, "guestAccess", dict, shape)
    try:
        auth_rules = parse_rules(authenticated, "authenticated")
    except AccessError as exn:
        raise _fail("access", json.dumps(authenticated), str(exn)) from None
    try:
        guest_rules = parse_rules(guest, "guest")
    except AccessError as exn:
        raise _fail("guestAccess", json.dumps(guest), str(exn)) from None
    if guest_rules and not allow_guests:
        raise _fail("guestAccess", json.dumps(guest), "guest rules only with allowGuests: true")
    return AccessDescription(auth_rules, guest_rules)


def load_settings(raw: Mapping[str, str | None]) -> Settings:
    """Validate the stack's config (keys with or without the project namespace) into :class:`Settings`."""
    allow_guests = _boolean(raw, "allowGuests")
    access = _access(raw, allow_guests)
    folder_prefix = access.user_folder_prefix()
    if folder_prefix is None:
        raise _fail(
            "access",
            _raw(raw, "access"),
            "a per-user folder rule whose last segment is '{identity}', e.g. 'users/{identity}/*'",
        )
    mfa = _choice(raw, "mfa", MFA_MODES)
    ephemeral = _boolean(raw, "ephemeral")
    deletion_protection = _boolean(raw, "deletionProtection")
    if not ephemeral and not deletion_protection:
        raise _fail(
            "deletionProtection",
            _raw(raw, "deletionProtection"),
            "true on a long-lived stack (set ephemeral: true for a throw-away stack)",
        )
    identity = IdentitySettings(
        allow_guests=allow_guests,
        mfa=mfa,
        password_min_length=_integer(raw, "passwordMinLength"),
        access_token_minutes=_integer(raw, "accessTokenMinutes"),
        id_token_minutes=_integer(raw, "idTokenMinutes"),
        refresh_token_days=_integer(raw, "refreshTokenDays"),
        deletion_protection=deletion_protection,
        protect=not ephemeral,
    )
    token_minutes = max(identity.access_token_minutes, identity.id_token_minutes)
    if identity.refresh_token_days * 24 * 60 <= token_minutes:
        raise _fail(
            "refreshTokenDays",
            identity.refresh_token_days,
            f"longer than the access and ID tokens ({token_minutes} minutes): "
            f"at least {token_minutes // (24 * 60) + 1} days",
        )
    storage = StorageSettings(
        cors_origins=_origins(raw),
        kms_encryption=_boolean(raw, "kmsEncryption"),
        noncurrent_version_days=_integer(raw, "noncurrentVersionDays"),
        abort_multipart_days=_integer(raw, "abortMultipartDays"),
        ephemeral=ephemeral,
    )
    return Settings(
        access=access,
        identity=identity,
        storage=storage,
        folder_prefix=folder_prefix,
    )
