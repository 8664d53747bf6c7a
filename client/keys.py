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


class FolderError(ValueError):
    """A folder or object key that the client refuses to build."""


def is_identity_id(value: str) -> bool:
    """True for an identity-pool identity ID (``us-east-1:1f2e...``)."""
    return bool(_IDENTITY_ID.match(value))


def looks_like_user_pool_sub(value: str) -> bool:
    """True for a bare UUID, the shape of a user pool's ``sub`` claim (not an identity ID)."""
    return bool(_BARE_UUID.match(value))


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
    for placeholder in IDENTITY_PLACEHOLDERS:
        if placeholder in folder_prefix:
            folder = folder_prefix.replace(placeholder, identity_id)
            break
    else:
        prefix = folder_prefix if not folder_prefix or folder_prefix.endswith("/") else folder_prefix + "/"
        folder = f"{prefix}{identity_id}/"
    return folder if folder.endswith("/") else folder + "/"


def object_key(folder: str, name: str) -> str:
    """The key for ``name`` inside ``folder``; refuses names that would leave the folder."""
    if not folder.endswith("/"):
        raise FolderError(f"folder {folder!r} must end with '/'")
    cleaned = name.replace("\\", "/").lstrip("/")
    normal = posixpath.normpath(cleaned) if cleaned else ""
    if not cleaned or normal in (".", "") or normal == ".." or normal.startswith("../"):
        raise FolderError(f"object name {name!r} does not name a file inside your folder")
    return folder + normal


def relative_name(folder: str, key: str) -> str:
    """The part of ``key`` after ``folder`` (for listings)."""
    return key[len(folder) :] if key.startswith(folder) else key
