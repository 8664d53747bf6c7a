"""Object keys: every key a user touches lives under ``users/<identity id>/``.

The folder is the identity-pool identity ID (``region:uuid``, from Cognito ``GetId``), because the
role's policy scopes objects by ``${cognito-identity.amazonaws.com:sub}``, which *is* that ID. The
user pool's ``sub`` claim (a bare UUID) is a different value: a key built from it matches no grant
and draws AccessDenied. That mistake is the one the field report made.
"""

from __future__ import annotations

import posixpath
import re

IDENTITY_PLACEHOLDERS = ("{identity}", "${cognito-identity.amazonaws.com:sub}")

_IDENTITY_ID = re.compile(
    r"^[a-z]{2}(-[a-z]+)+-\d:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
_BARE_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: S3's limit on an object key, in UTF-8 bytes.
MAX_KEY_BYTES = 1024
#: The longest identity ID Cognito hands out (``region:uuid``; the API allows 55 characters).
MAX_IDENTITY_ID_BYTES = 55


class FolderError(ValueError):
    """A folder or object key that the client refuses to build."""


def is_identity_id(value: str) -> bool:
    """True for an identity-pool identity ID (``us-east-1:1f2e...``)."""
    return bool(_IDENTITY_ID.match(value))


def looks_like_user_pool_sub(value: str) -> bool:
    """True for a bare UUID, the shape of a user pool's ``sub`` claim (not an identity ID)."""
    return bool(_BARE_UUID.match(value))


def _control(text: str) -> str | None:
    """The first control character (newline, tab, NUL, ...) in ``text``, shown escaped; None if none."""
    found = _CONTROL.search(text)
    return None if found is None else repr(found.group())


def check_folder_prefix(folder_prefix: str) -> str:
    """A folder prefix from the stack's outputs or ``--folder``: relative, no ``..``, no control characters.

    Returns it unchanged; raises :class:`FolderError` naming what is wrong.
    """
    if not isinstance(folder_prefix, str):
        raise FolderError(f"folder prefix {folder_prefix!r} is not text")
    if (char := _control(folder_prefix)) is not None:
        raise FolderError(f"folder prefix {folder_prefix!r} holds a control character ({char})")
    if folder_prefix.startswith("/"):
        raise FolderError(f"folder prefix {folder_prefix!r} starts with '/'; S3 keys are relative")
    if any(part in (".", "..") for part in folder_prefix.replace("\\", "/").split("/")):
        raise FolderError(f"folder prefix {folder_prefix!r} has a '.' or '..' segment; S3 keys are literal")
    return folder_prefix


def check_object_name(name: str) -> str:
    """An object name as given on the command line: not empty, no control characters or newlines."""
    if not name:
        raise FolderError("the object name is empty")
    if (char := _control(name)) is not None:
        raise FolderError(f"object name {name!r} holds a control character ({char}); S3 keys should not")
    return name


def check_key_length(folder: str, name: str) -> None:
    """S3 keys are at most 1,024 bytes; ``folder`` may still hold the identity placeholder."""
    size = len(folder.encode()) + len(name.encode())
    for placeholder in IDENTITY_PLACEHOLDERS:
        if placeholder in folder:
            size += MAX_IDENTITY_ID_BYTES - len(placeholder.encode())
            break
    if size > MAX_KEY_BYTES:
        raise FolderError(f"the key for {name!r} would be {size} bytes; S3 keys are at most {MAX_KEY_BYTES}")


def user_folder(folder_prefix: str, identity_id: str) -> str:
    """The user's own folder, ending in ``/``.

    ``folder_prefix`` is either a plain prefix (``users/``) to which the identity ID is appended, or a
    template that holds the identity placeholder (``users/{identity}/``).
    """
    if looks_like_user_pool_sub(identity_id):
        raise FolderError(
            f"{identity_id!r} is a bare UUID, the shape of a user-pool sub; the folder must be the "
            "identity ID from Cognito GetId (region:uuid)"
        )
    if not is_identity_id(identity_id):
        raise FolderError(f"{identity_id!r} is not an identity ID (expected region:uuid from Cognito GetId)")
    check_folder_prefix(folder_prefix)
    for placeholder in IDENTITY_PLACEHOLDERS:
        if placeholder in folder_prefix:
            folder = folder_prefix.replace(placeholder, identity_id)
            break
    else:
        prefix = folder_prefix if not folder_prefix or folder_prefix.endswith("/") else folder_prefix + "/"
        folder = f"{prefix}{identity_id}/"
    return folder if folder.endswith("/") else folder + "/"


def user_folder_template(folder_prefix: str) -> str:
    """The folder with ``{identity}`` in place of the identity ID, to check names before sign-in."""
    check_folder_prefix(folder_prefix)
    if any(p in folder_prefix for p in IDENTITY_PLACEHOLDERS):
        return folder_prefix if folder_prefix.endswith("/") else folder_prefix + "/"
    prefix = folder_prefix if not folder_prefix or folder_prefix.endswith("/") else folder_prefix + "/"
    return f"{prefix}{{identity}}/"


def object_key(folder: str, name: str) -> str:
    """The key for ``name`` inside ``folder``; refuses names that would leave the folder."""
    if not folder.endswith("/"):
        raise FolderError(f"folder {folder!r} must end with '/'")
    check_object_name(name)
    cleaned = name.replace("\\", "/").lstrip("/")
    normal = posixpath.normpath(cleaned) if cleaned else ""
    if not cleaned or normal in (".", "") or normal == ".." or normal.startswith("../"):
        raise FolderError(f"object name {name!r} does not name a file inside your folder")
    check_key_length(folder, normal)
    return folder + normal


def relative_name(folder: str, key: str) -> str:
    """The part of ``key`` after ``folder`` (for listings)."""
    return key[len(folder) :] if key.startswith(folder) else key
