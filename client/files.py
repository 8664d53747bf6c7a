"""Upload, list and delete files in the user's own folder (``users/<identity id>/``)."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

from .errors import ClientFailure, error_code, explain
from .keys import FolderError, object_key, relative_name


@dataclass(frozen=True)
class StoredFile:
    key: str
    name: str
    size: int


#: S3 takes at most 5 GiB in one PUT; a larger file goes up in parts (S3's limit for an object: 5 TiB).
MAX_SINGLE_PUT = 5 * 1024**3
MAX_OBJECT = 5 * 1024**4
PART_SIZE = 64 * 1024**2


def upload_size(path: str | Path) -> int:
    """The local file's size, checked before any network call: a regular file, at most 5 TiB."""
    p = Path(path)
    if not p.is_file():
        raise FolderError(f"{str(p)!r} is not a file" + ("" if p.exists() else " (it does not exist)"))
    size = p.stat().st_size
    if size > MAX_OBJECT:
        raise FolderError(f"{str(p)!r} is {size} bytes; an S3 object is at most 5 TiB")
    return size


def upload(s3: Any, bucket: str, folder: str, path: str | Path, name: str | None = None) -> str:
    """Put the local file ``path`` at ``folder/<name>`` (default: its file name); return the key.

    Up to 5 GiB in one PutObject; above that, a multipart upload (s3:PutObject covers its parts).
    """
    p = Path(path)
    key = object_key(folder, name or p.name)
    extra: dict[str, str] = {}
    content_type, _ = mimetypes.guess_type(p.name)
    if content_type:
        extra["ContentType"] = content_type
    large = upload_size(p) > MAX_SINGLE_PUT
    with p.open("rb") as body:  # a missing local file raises OSError before any AWS call
        try:
            if large:
                config = TransferConfig(multipart_threshold=MAX_SINGLE_PUT, multipart_chunksize=PART_SIZE)
                s3.upload_fileobj(body, bucket, key, ExtraArgs=extra, Config=config)
            else:
                s3.put_object(Bucket=bucket, Key=key, Body=body, **extra)
        except S3UploadFailedError as exc:
            raise explain(exc.__cause__ or exc, "s3", key=key) from exc
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


def exists(s3: Any, bucket: str, key: str) -> bool | None:
    """Whether ``key`` exists, by listing its own prefix (the role may list only inside its folder, and
    HeadObject answers 403, not 404, for a missing key without bucket-wide list rights). None when
    listing is not allowed."""
    try:
        page = s3.list_objects_v2(Bucket=bucket, Prefix=key, MaxKeys=1)  # the key itself sorts first
    except ClientError as exc:
        if error_code(exc) in ("AccessDenied", "403", "Forbidden"):
            return None
        raise explain(exc, "s3", key=key) from exc
    return any(item.get("Key") == key for item in page.get("Contents", []))


def delete(s3: Any, bucket: str, folder: str, name: str) -> str:
    """Delete ``folder/<name>``; return the key. A missing object is a :class:`ClientFailure` ("not
    found"), since S3's DeleteObject succeeds either way (for a role that may delete but not list, the
    object is deleted unchecked)."""
    key = object_key(folder, name)
    if exists(s3, bucket, key) is False:
        raise ClientFailure(f"not found: s3://{bucket}/{key}", "`list` shows your files", "NotFound")
    try:
        s3.delete_object(Bucket=bucket, Key=key)
    except Exception as exc:
        raise explain(exc, "s3", key=key) from exc
    return key
