"""Upload, list and delete files in the user's own folder (``users/<identity id>/``)."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import explain
from .keys import object_key, relative_name


@dataclass(frozen=True)
class StoredFile:
    key: str
    name: str
    size: int


def upload(s3: Any, bucket: str, folder: str, path: str | Path, name: str | None = None) -> str:
    """Put the local file ``path`` at ``folder/<name>`` (default: its file name); return the key."""
    p = Path(path)
    key = object_key(folder, name or p.name)
    extra: dict[str, str] = {}
    content_type, _ = mimetypes.guess_type(p.name)
    if content_type:
        extra["ContentType"] = content_type
    with p.open("rb") as body:  # a missing local file raises OSError before any AWS call
        try:
            s3.put_object(Bucket=bucket, Key=key, Body=body, **extra)
        except Exception as exc:
            raise explain(exc, "s3", key=key) from exc
    return key


def list_files(s3: Any, bucket: str, folder: str) -> list[StoredFile]:
    """Every object under the user's folder (ListObjectsV2 with the folder as prefix)."""
    found: list[StoredFile] = []
    try:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=folder):
            for item in page.get("Contents", []):
                found.append(
                    StoredFile(item["Key"], relative_name(folder, item["Key"]), int(item.get("Size", 0)))
                )
    except Exception as exc:
        raise explain(exc, "s3", key=folder) from exc
    return found


def delete(s3: Any, bucket: str, folder: str, name: str) -> str:
    """Delete ``folder/<name>``; return the key. (S3 does not say whether it existed.)"""
    key = object_key(folder, name)
    try:
        s3.delete_object(Bucket=bucket, Key=key)
    except Exception as exc:
        raise explain(exc, "s3", key=key) from exc
    return key
