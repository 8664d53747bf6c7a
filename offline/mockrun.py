"""Run any Pulumi Python program under ``pulumi.runtime.set_mocks`` and capture what it registers.

This is product code shared by the tests and the offline gate. ``run_program`` plays the parts that the
Pulumi CLI, the engine and the AWS provider play in a real ``pulumi preview`` / ``pulumi up``:

- **CLI**: the project name and the config defaults come from ``<dir>/Pulumi.yaml`` (its project
  ``config:`` block), the stack's values from ``<dir>/Pulumi.<stack>.yaml``, then ``config`` overrides.
  Values reach the program as strings, structured values (lists, objects) as JSON text, exactly as the
  CLI passes them. As the CLI does, a declared key with no value and a value of the wrong declared
  type stop the run before the program starts. The program runs with its directory as working
  directory and on ``sys.path``.
- **Engine**: a :class:`CaptureMonitor` (a ``MockMonitor`` subclass) sees every raw
  ``RegisterResource`` request and records type, name, parent, dependencies, property dependencies,
  resource options and inputs as :class:`offline.model.ResourceRecord`, values kept in wire form
  (unknowns as the ``UNKNOWN`` sentinel, secrets as signature dicts).
- **Provider**: :class:`AwsMocks`. Like the provider's ``Check``, names are assigned before anything
  else (Pulumi autonaming, ``<logical name>-<7 hex chars>``, deterministic from the URN), so they are
  known at preview and appear in the recorded inputs, as the engine hands them to an analyzer. Like
  its ``Create``, it computes ids, ARNs and pool ids: on a *first preview* (``preview=True``) they are
  all unknown; in the deployed shape (``preview=False``) they are known and shaped like AWS's.
  Invokes get fixed answers (caller identity, region, partition); any other invoke is an error that
  names its token.

Runs are serialised by a lock and each runs in a fresh copy of the Pulumi runtime state (context,
settings, root stack, event loop, config), so a process may run programs many times, preview and
deployed, one after the other.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import ctypes
import hashlib
import heapq
import json
import os
import re
import runpy
import sys
import threading
import traceback
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime.mocks import MockMonitor

from offline.model import STACK_TYPE, UNKNOWN, ResourceRecord, StackCapture
from offline.native_mocks import (
    NATIVE_AUTONAME_PROPERTY,
    NATIVE_PREFIX,
    native_computed_outputs,
    native_invoke_answer,
)
from offline.stackfiles import ProjectError as ProjectError  # re-exported: callers import it from here
from offline.stackfiles import (
    StackConfig,
    apply_overrides,
    apply_stack_file,
    read_project,
    stack_file,
    undeclared_warnings,
)
from offline.stackfiles import config_value_to_wire as config_value_to_wire

# Resource type -> the property the provider fills in by autonaming when the program leaves it out.
AUTONAME_PROPERTY: dict[str, str] = {
    "aws:s3/bucket:Bucket": "bucket",
    "aws:s3/bucketV2:BucketV2": "bucket",
    "aws:iam/role:Role": "name",
    "aws:iam/rolePolicy:RolePolicy": "name",
    "aws:iam/policy:Policy": "name",
    "aws:iam/user:User": "name",
    "aws:iam/group:Group": "name",
    "aws:cognito/userPool:UserPool": "name",
    "aws:cognito/userPoolClient:UserPoolClient": "name",
}
# S3 bucket names are lower case; the provider's autoname for them is lower-cased too.
_LOWERCASE_AUTONAME = {"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"}


class ProgramError(Exception):
    """The program failed. ``str(err)`` is the program's own message; ``capture`` what it registered.

    ``kind`` is the exception's type name, ``location`` the program's own ``file:line`` where it was
    raised (relative to the program directory; empty when no frame of the program is involved), and
    ``status`` the exit status when the program called ``sys.exit`` (else None).
    """

    def __init__(
        self,
        message: str,
        capture: StackCapture,
        cause: BaseException,
        *,
        kind: str = "",
        location: str = "",
        status: int | str | None = None,
    ) -> None:
        super().__init__(message)
        self.capture = capture
        self.cause = cause
        self.kind = kind or type(cause).__name__
        self.location = location
        self.status = status


class MockInvokeError(Exception):
    """The program called a provider function that the mocks do not answer."""


class ProgramTimeout(ProgramError):
    """The program did not finish within the time it was given."""


class ProgramExit(Exception):
    """The program called ``sys.exit`` (raised in its place, so that the event loop sees an Exception).

    As Python does: ``sys.exit()`` is status 0, ``sys.exit(n)`` status n, and ``sys.exit("text")``
    status 1 with the text as the message.
    """

    def __init__(self, code: int | str | None) -> None:
        status = 0 if code is None else code if isinstance(code, int) else 1
        said = "" if code is None or isinstance(code, int) else f": {code}"
        super().__init__(f"the program exited with status {status}{said}")
        self.status = status


# ---------------------------------------------------------------------------------------------------
# Project and stack config, the way the CLI assembles it
# ---------------------------------------------------------------------------------------------------


def _config_type_error(value: Any, decl: Mapping[str, Any]) -> str | None:
    """The declared type ``value`` fails, as the CLI names it (``integer``, ``array<string>``), or None.

    As the CLI sees them: a scalar is text (``12`` and ``"12"`` are both an integer), a list or a
    mapping is a structured value; array items are checked by their JSON type. Text that holds JSON
    of the declared structure passes too, because overrides arrive as wire text.
    """
    kind, items = decl.get("type"), (decl.get("items") or {}).get("type")
    if isinstance(value, str) and kind in ("array", "object"):
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    text = None if isinstance(value, (list, dict)) else config_value_to_wire(value)
    if kind == "string":
        ok = text is not None
    elif kind == "integer":
        ok = text is not None and re.fullmatch(r"[+-]?\d+", text) is not None
    elif kind == "boolean":
        ok = text in ("true", "false")
    elif kind == "array":
        item_types = {"string": (str,), "boolean": (bool,), "integer": (int,)}.get(items, (object,))
        ok = isinstance(value, list) and all(
            isinstance(v, item_types) and not (items == "integer" and isinstance(v, bool)) for v in value
        )
    elif kind == "object":
        ok = isinstance(value, dict)
    else:
        return None  # untyped: the CLI does not check it
    if ok:
        return None
    return f"{kind}<{items}>" if kind == "array" and items else str(kind)


def read_stack_config(
    program_dir: str | os.PathLike[str], stack: str, overrides: Mapping[str, str] | None = None
) -> StackConfig:
    """The stack's config as the CLI assembles it, each value with where it was set.

    Order: project ``config:`` defaults, then ``Pulumi.<stack>.yaml`` values (when the file exists),
    then ``overrides`` (keys may omit the project namespace). Then, as the CLI does before it runs a
    program, a declared project key with no default and no value is an error, and so is a value that
    is not of its declared type (:class:`ProjectError`, with the CLI's message and where the value was
    set). Undeclared keys in the project's namespace become ``warnings``.
    """
    root = Path(program_dir)
    config = read_project(root)
    found = stack_file(root, stack)
    if found is not None:
        apply_stack_file(config, found)
    apply_overrides(config, overrides or {})
    _check_declared(config, stack)
    config.warnings = undeclared_warnings(config)
    return config


def _check_declared(config: StackConfig, stack: str) -> None:
    in_project = {k: v for k, v in config.declared.items() if k.startswith(f"{config.project}:")}
    missing = sorted(key for qualified, (key, _) in in_project.items() if qualified not in config.values)
    if missing:
        noun = "value" if len(missing) == 1 else "values"
        names = " and ".join(", ".join(f"'{k}'" for k in missing).rsplit(", ", 1))
        raise ProjectError(f"Stack '{stack}' is missing configuration {noun} {names}")
    for qualified, (key, decl) in sorted(in_project.items()):
        value = config.values[qualified]
        wanted = _config_type_error(value, decl)
        if wanted:
            shown = value if isinstance(value, str) else json.dumps(value)
            raise ProjectError(
                f"Stack '{stack}' with configuration key '{key}' must be of type '{wanted}'"
                f" ({config.sources.get(qualified, qualified)}: {key}: {shown!r})"
            )


def load_stack_config(
    program_dir: str | os.PathLike[str], stack: str, overrides: Mapping[str, str] | None = None
) -> tuple[str, dict[str, str]]:
    """Return ``(project name, {"ns:key": "value"})``: :func:`read_stack_config` as the program sees it."""
    config = read_stack_config(program_dir, stack, overrides)
    return config.project, {key: config_value_to_wire(value) for key, value in config.values.items()}


# ---------------------------------------------------------------------------------------------------
# Wire values
# ---------------------------------------------------------------------------------------------------


def struct_to_python(struct: struct_pb2.Struct) -> dict[str, Any]:
    """A protobuf Struct as plain Python, sentinels and signature dicts untouched.

    Integral numbers become ``int`` (the wire has only doubles); nothing else changes.
    """
    return {key: _value_to_python(value) for key, value in struct.fields.items()}


def _value_to_python(value: struct_pb2.Value) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        return struct_to_python(value.struct_value)
    if kind == "list_value":
        return [_value_to_python(v) for v in value.list_value.values]
    if kind == "number_value":
        number = value.number_value
        return int(number) if number.is_integer() else number
    if kind == "string_value":
        return value.string_value
    if kind == "bool_value":
        return value.bool_value
    return None


def autoname(urn: str, logical_name: str, lowercase: bool = False) -> str:
    """Pulumi-style autoname: ``<logical name>-<7 hex chars>``, deterministic from the URN."""
    suffix = hashlib.sha256(urn.encode()).hexdigest()[:7]
    name = f"{logical_name}-{suffix}"
    return name.lower() if lowercase else name


# ---------------------------------------------------------------------------------------------------
# The provider: computed outputs and invokes
# ---------------------------------------------------------------------------------------------------


def _digest(*parts: object) -> bytes:
    # A part may be an input that is unknown at a first preview (a computed role name): the outputs made
    # from it are unknown there anyway, so it only has to hash, not to mean anything.
    return hashlib.sha256("\x00".join(map(str, parts)).encode()).digest()


def _uuid(*parts: str) -> str:
    return str(uuid.UUID(bytes=_digest(*parts)[:16], version=4))


def _alnum(length: int, *parts: str, upper: bool = False) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    if upper:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    raw = _digest(*parts)
    while len(raw) < length:
        raw += _digest(raw.hex())
    return "".join(alphabet[b % len(alphabet)] for b in raw[:length])


def _plain(value: Any) -> Any:
    """Unwrap an SDK secret wrapper (from ``deserialize_properties``) to its plain value."""
    return getattr(value, "value", value) if type(value).__name__ == "wrap_rpc_secret" else value


@dataclass
class AwsMocks:
    """Computed outputs and invoke answers shaped like the AWS provider's.

    ``preview=True`` is a first preview: every computed output is unknown (and the id is empty, as
    the AWS provider sends it at preview), names are known.
    """

    preview: bool
    account_id: str = "123456789012"
    region: str = "us-east-1"
    calls: list[str] = field(default_factory=list)

    @property
    def partition(self) -> str:
        """The region's partition, as getPartition answers and as every ARN in it begins."""
        if self.region.startswith("cn-"):
            return "aws-cn"
        if self.region.startswith("us-gov-"):
            return "aws-us-gov"
        return "aws"

    @property
    def dns_suffix(self) -> str:
        return "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com"

    # pulumi.runtime.Mocks protocol -------------------------------------------------------------
    def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
        if not args.custom:
            return "", {}
        computed = self.computed_outputs(args.typ, args.name, dict(args.inputs))
        resource_id = computed.pop("id")
        if self.preview:
            # What the program set stays as it set it (CaptureMonitor keeps the inputs); only what the
            # provider alone decides is unknown.
            return "", {key: UNKNOWN for key in computed if key not in args.inputs}
        return resource_id, computed

    def call(self, args: Any) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        self.calls.append(args.token)
        answer = self.invoke_answer(args.token)
        if answer is None:
            raise MockInvokeError(
                f"offline mocks have no answer for invoke {args.token!r}; they answer "
                "aws:index/getCallerIdentity:getCallerIdentity, aws:index/getRegion:getRegion and "
                "aws:index/getPartition:getPartition (and aws-native:index:getAccountId, getRegion, "
                "getPartition, getUrlSuffix)"
            )
        return answer, []

    def register_transform(self, transform: Any) -> None:  # pragma: no cover - Mocks protocol
        pass

    def register_invoke_transform(self, transform: Any) -> None:  # pragma: no cover - Mocks protocol
        pass

    # answers -----------------------------------------------------------------------------------
    def invoke_answer(self, token: str) -> dict[str, Any] | None:
        if token.startswith(NATIVE_PREFIX):
            return native_invoke_answer(token, self.account_id, self.region, self.partition, self.dns_suffix)
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "accountId": self.account_id,
                "arn": f"arn:{self.partition}:iam::{self.account_id}:user/offline-mock",
                "userId": "AIDAOFFLINEMOCK000000",
                "id": self.account_id,
            }
        if token.startswith("aws:index/getRegion:"):
            return {
                "name": self.region,
                "region": self.region,
                "id": self.region,
                "endpoint": f"ec2.{self.region}.{self.dns_suffix}",
                "description": self.region,
            }
        if token.startswith("aws:index/getPartition:"):
            return {
                "partition": self.partition,
                "id": self.partition,
                "dnsSuffix": self.dns_suffix,
                "reverseDnsPrefix": ".".join(reversed(self.dns_suffix.split("."))),
            }
        return None

    def computed_outputs(self, type_token: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        """The outputs a provider computes on create, ``id`` included (all known)."""
        inputs = {key: _plain(value) for key, value in inputs.items()}
        if type_token.startswith(NATIVE_PREFIX):
            return native_computed_outputs(self, type_token, name, inputs)
        for family in (self._s3_outputs, self._iam_outputs, self._cognito_outputs, self._kms_outputs):
            found = family(type_token, name, inputs)
            if found is not None:
                return found
        return {"id": f"{name}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"}

    def _s3_outputs(self, type_token: str, name: str, inputs: dict[str, Any]) -> dict[str, Any] | None:
        region = self.region
        if type_token in ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"):
            bucket = inputs.get("bucket") or name
            return {
                "id": bucket,
                "arn": f"arn:{self.partition}:s3:::{bucket}",
                "bucketDomainName": f"{bucket}.s3.{self.dns_suffix}",
                "bucketRegionalDomainName": f"{bucket}.s3.{region}.{self.dns_suffix}",
                "hostedZoneId": "Z3AQBSTGFYJSTF",
                "region": inputs.get("region") or region,
            }
        if type_token.startswith("aws:s3/") and "bucket" in inputs:
            # Bucket sub-resources (policy, public access block, versioning, ...) use the bucket as id.
            return {"id": inputs["bucket"]}
        return None

    def _iam_outputs(self, type_token: str, name: str, inputs: dict[str, Any]) -> dict[str, Any] | None:
        acct = self.account_id
        if type_token == "aws:iam/role:Role":
            role = inputs.get("name") or name
            path = inputs.get("path") or "/"
            return {
                "id": role,
                "arn": f"arn:{self.partition}:iam::{acct}:role{path}{role}",
                "uniqueId": "AROA" + _alnum(17, type_token, role, upper=True).upper(),
                "createDate": "2026-01-01T00:00:00Z",
            }
        if type_token == "aws:iam/policy:Policy":
            policy = inputs.get("name") or name
            path = inputs.get("path") or "/"
            return {
                "id": f"arn:{self.partition}:iam::{acct}:policy{path}{policy}",
                "arn": f"arn:{self.partition}:iam::{acct}:policy{path}{policy}",
                "policyId": "ANPA" + _alnum(17, type_token, policy, upper=True).upper(),
            }
        if type_token == "aws:iam/rolePolicy:RolePolicy":
            return {"id": f"{inputs.get('role')}:{inputs.get('name') or name}"}
        return None

    def _cognito_outputs(self, type_token: str, name: str, inputs: dict[str, Any]) -> dict[str, Any] | None:
        acct, region = self.account_id, self.region
        if type_token == "aws:cognito/userPool:UserPool":
            pool_id = f"{region}_{_alnum(9, type_token, name, upper=True)}"
            return {
                "id": pool_id,
                "arn": f"arn:{self.partition}:cognito-idp:{region}:{acct}:userpool/{pool_id}",
                "endpoint": f"cognito-idp.{region}.{self.dns_suffix}/{pool_id}",
                "creationDate": "2026-01-01T00:00:00Z",
                "lastModifiedDate": "2026-01-01T00:00:00Z",
                "estimatedNumberOfUsers": 0,
            }
        if type_token == "aws:cognito/userPoolClient:UserPoolClient":
            return {"id": _alnum(26, type_token, name)}
        if type_token == "aws:cognito/identityPool:IdentityPool":
            pool_id = f"{region}:{_uuid(type_token, name)}"
            return {
                "id": pool_id,
                "arn": f"arn:{self.partition}:cognito-identity:{region}:{acct}:identitypool/{pool_id}",
            }
        if type_token == "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment":
            return {"id": inputs.get("identityPoolId") or _uuid(type_token, name)}
        return None

    def _kms_outputs(self, type_token: str, name: str, inputs: dict[str, Any]) -> dict[str, Any] | None:
        acct, region = self.account_id, self.region
        if type_token == "aws:kms/key:Key":
            key_id = _uuid(type_token, name)
            return {
                "id": key_id,
                "keyId": key_id,
                "arn": f"arn:{self.partition}:kms:{region}:{acct}:key/{key_id}",
            }
        if type_token == "aws:kms/alias:Alias":
            alias = inputs.get("name") or f"alias/{name}"
            return {"id": alias, "arn": f"arn:{self.partition}:kms:{region}:{acct}:{alias}"}
        return None


# ---------------------------------------------------------------------------------------------------
# The engine: a monitor that records every registration
# ---------------------------------------------------------------------------------------------------


class CaptureMonitor(MockMonitor):
    """A ``MockMonitor`` that records each raw registration as a :class:`ResourceRecord`.

    It also does what the provider's ``Check`` does before ``Create``: it fills in autonamed names, so
    the recorded inputs are the checked inputs an analyzer sees. The response object is the checked
    inputs merged with the mocks' computed outputs, at the wire level, so unknown inputs stay unknown.
    """

    def __init__(self, mocks: AwsMocks) -> None:
        super().__init__(mocks)
        self.mocks = mocks
        self.records: list[ResourceRecord] = []
        self._by_urn: dict[str, ResourceRecord] = {}
        self._lock = threading.Lock()

    def RegisterResource(self, request: Any) -> Any:
        from pulumi.runtime.proto import resource_pb2

        urn = self.make_urn(request.parent, request.type, request.name)
        checked = resource_pb2.RegisterResourceRequest()
        checked.CopyFrom(request)
        prop = AUTONAME_PROPERTY.get(request.type) or NATIVE_AUTONAME_PROPERTY.get(request.type)
        if request.custom and prop and prop not in checked.object.fields:
            lowercase = request.type in _LOWERCASE_AUTONAME
            checked.object.fields[prop].string_value = autoname(urn, request.name, lowercase)

        response = super().RegisterResource(checked)

        state = struct_pb2.Struct()
        if request.type != STACK_TYPE:
            state.CopyFrom(checked.object)
            for key, value in response.object.fields.items():
                state.fields[key].CopyFrom(value)
        record = ResourceRecord(
            urn=response.urn,
            type=request.type,
            name=request.name,
            custom=request.custom,
            parent=request.parent or None,
            inputs=struct_to_python(checked.object),
            outputs=struct_to_python(state) if request.custom else {},
            dependencies=list(request.dependencies),
            property_dependencies={
                key: list(deps.urns) for key, deps in request.propertyDependencies.items()
            },
            protect=request.protect if request.HasField("protect") else False,
            retain_on_delete=request.retainOnDelete if request.HasField("retainOnDelete") else False,
            delete_before_replace=request.deleteBeforeReplace,
            ignore_changes=list(request.ignoreChanges),
            provider=request.provider or None,
        )
        with self._lock:
            self.records.append(record)
            self._by_urn[record.urn] = record
        return resource_pb2.RegisterResourceResponse(urn=response.urn, id=response.id, object=state)

    def RegisterResourceOutputs(self, request: Any) -> Any:
        """Component outputs (``register_outputs``) land in the component's record."""
        with self._lock:
            record = self._by_urn.get(request.urn)
            if record is not None and record.type != STACK_TYPE:
                record.outputs = struct_to_python(request.outputs)
        return super().RegisterResourceOutputs(request)


# ---------------------------------------------------------------------------------------------------
# Running a program
# ---------------------------------------------------------------------------------------------------

_RUN_LOCK = threading.Lock()


@contextlib.contextmanager
def _program_imports(program_dir: Path) -> Iterator[None]:
    """Put ``program_dir`` first on ``sys.path`` and keep its top-level modules apart from others'.

    A cached module of the same top-level name loaded from elsewhere (another program's
    ``components``) is set aside for the run and restored afterwards; modules already loaded from
    ``program_dir`` itself are reused.
    """
    local_names = {
        p.stem if p.suffix == ".py" else p.name
        for p in program_dir.iterdir()
        if (p.suffix == ".py" and p.stem != "__main__") or (p / "__init__.py").is_file()
    }

    def top(name: str) -> str:
        return name.split(".", 1)[0]

    def from_here(module: Any) -> bool:
        origin = getattr(module, "__file__", None)
        if origin is None:
            return False
        return Path(origin).resolve().is_relative_to(program_dir)

    set_aside = {
        name: mod
        for name, mod in list(sys.modules.items())
        if top(name) in local_names and not from_here(mod)
    }
    for name in set_aside:
        del sys.modules[name]
    sys.path.insert(0, str(program_dir))
    cwd = os.getcwd()
    os.chdir(program_dir)
    try:
        yield
    finally:
        os.chdir(cwd)
        with contextlib.suppress(ValueError):
            sys.path.remove(str(program_dir))
        if set_aside:
            for name in [n for n in sys.modules if top(n) in local_names]:
                del sys.modules[name]
            sys.modules.update(set_aside)


def _run_in_fresh_runtime(
    program: Callable[[], Any],
    *,
    project: str,
    stack: str,
    preview: bool,
    config: dict[str, str],
    mocks: AwsMocks,
    monitor: CaptureMonitor,
) -> dict[str, Any]:
    """Run ``program`` against fresh runtime state; return the stack outputs in wire form."""
    import pulumi
    from pulumi.runtime import rpc, settings
    from pulumi.runtime.config import set_all_config
    from pulumi.runtime.stack import massage, run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        settings.ROOT.set(None)
        settings.SETTINGS.outputs = set()
        settings.SETTINGS.lock = threading.Lock()
        set_all_config(dict(config), [])
        # set_mocks also registers the root pulumi:pulumi:Stack (the engine registers it first too).
        pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=preview, monitor=monitor)
        # run_pulumi_func waits for every outstanding RPC and output task, as the language host does.
        _sync_await(run_pulumi_func(program))
        root = settings.get_root_resource()
        exported = getattr(root, "outputs", {}) or {}
        struct = _sync_await(rpc.serialize_properties(massage(exported, []), {}))
        return struct_to_python(struct)
    finally:
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        if pending:
            with contextlib.suppress(BaseException):
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()
        asyncio.set_event_loop(None)


def program_location(exn: BaseException, program_dir: Path) -> str:
    """``file:line`` of the innermost frame in the program's own files (not the SDK's, not a venv's)."""
    found = ""
    seen: set[int] = set()
    current: BaseException | None = exn
    while current is not None and id(current) not in seen:  # the exception, then what it wraps
        seen.add(id(current))
        for frame in traceback.extract_tb(current.__traceback__):
            path = Path(frame.filename)
            if path.is_absolute() and path.is_relative_to(program_dir) and not _in_venv(path, program_dir):
                found = f"{path.relative_to(program_dir)}:{frame.lineno}"
        if found:
            return found
        current = current.__cause__ or current.__context__
    return found


def _in_venv(path: Path, program_dir: Path) -> bool:
    parts = path.relative_to(program_dir).parts
    return "site-packages" in parts or any(p in (".venv", "venv") for p in parts[:1])


def _stop_thread(thread: threading.Thread) -> None:
    """Best effort: raise SystemExit in a thread that overran its time, so it stops at its next bytecode."""
    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(SystemExit))


def run_program(
    program_dir: str | os.PathLike[str] = ".",
    stack: str = "test",
    *,
    preview: bool,
    config: Mapping[str, str] | None = None,
    account_id: str = "123456789012",
    region: str | None = None,
    timeout: float | None = None,
) -> StackCapture:
    """Run ``<program_dir>/__main__.py`` for ``stack`` under mocks and capture its resources and outputs.

    ``preview=True`` is a first ``pulumi preview`` (computed outputs unknown, names known);
    ``preview=False`` the deployed shape. ``region`` defaults to the stack's ``aws:region``, else
    ``us-east-1``. Raises :class:`ProgramError` (the program's message, with ``.capture``) if the
    program fails or exits, :class:`ProgramTimeout` if it runs longer than ``timeout`` seconds,
    :class:`ProjectError` if the directory is not a Pulumi project or its files are malformed.
    Resources come in a deterministic order (:func:`deterministic_order`).
    """
    root = Path(program_dir).resolve()
    main = root / "__main__.py"
    if not main.is_file():
        raise ProjectError(f"{main} not found: only Python programs with a __main__.py can be run")
    capture = _new_capture(read_stack_config(root, stack, config), stack, preview)
    region = region or capture.config.get("aws:region") or "us-east-1"
    monitor = CaptureMonitor(AwsMocks(preview=preview, account_id=account_id, region=region))
    result: dict[str, Any] = {}
    failure: list[BaseException] = []

    def program() -> None:
        try:
            runpy.run_path(str(main), run_name="__main__")
        except SystemExit as exn:
            raise ProgramExit(exn.code) from exn

    def target() -> None:
        try:
            result["outputs"] = _run_in_fresh_runtime(
                program,
                project=capture.project,
                stack=stack,
                preview=preview,
                config=dict(capture.config),
                mocks=monitor.mocks,
                monitor=monitor,
            )
        except BaseException as exn:  # handed to the caller below
            failure.append(exn)

    with _RUN_LOCK, _program_imports(root):
        finished = _run_thread(target, f"mockrun-{capture.project}-{stack}", timeout)
    capture.resources = deterministic_order(monitor.records)
    if not finished:
        message = f"the program did not finish within {timeout:g} s (--timeout); it was stopped"
        raise ProgramTimeout(message, capture, TimeoutError(message), kind="timeout")
    if failure:
        raise _program_error(failure[0], capture, root)
    capture.outputs = result.get("outputs", {})
    return capture


def _new_capture(stack_config: StackConfig, stack: str, preview: bool) -> StackCapture:
    return StackCapture(
        project=stack_config.project,
        stack=stack,
        preview=preview,
        config={key: config_value_to_wire(value) for key, value in stack_config.values.items()},
        sources=dict(stack_config.sources),
        warnings=list(stack_config.warnings),
    )


def _run_thread(target: Callable[[], None], name: str, timeout: float | None) -> bool:
    """Run ``target`` in a new thread; False if it overran ``timeout`` (then it is stopped, best effort).

    A new thread starts from a copy of the caller's context but its own event loop, and nothing it
    sets (root stack, settings, config) leaks back into the caller.
    """
    ctx = contextvars.copy_context()
    worker = threading.Thread(target=ctx.run, args=(target,), name=name, daemon=True)
    worker.start()
    worker.join(timeout)
    if not worker.is_alive():
        return True
    _stop_thread(worker)
    worker.join(5)
    return False


def _program_error(exn: BaseException, capture: StackCapture, root: Path) -> ProgramError:
    if isinstance(exn, ProgramExit):
        cause = exn.__cause__ or exn
        return ProgramError(
            str(exn),
            capture,
            exn,
            kind="SystemExit",
            location=program_location(cause, root),
            status=exn.status,
        )
    return ProgramError(str(exn) or type(exn).__name__, capture, exn, location=program_location(exn, root))


def deterministic_order(records: Sequence[ResourceRecord]) -> list[ResourceRecord]:
    """The records in an order that is the same on every run.

    Registration is asynchronous, so the order in which the engine sees registrations varies. This is
    the order the engine must follow (a parent and every dependency before a resource), and among the
    resources free to go next, the one with the smallest URN.
    """
    by_urn = {r.urn: r for r in records}
    waits_on: dict[str, set[str]] = {}
    for record in records:
        needs = set(record.dependencies) | {u for urns in record.property_dependencies.values() for u in urns}
        if record.parent:
            needs.add(record.parent)
        waits_on[record.urn] = {u for u in needs if u in by_urn and u != record.urn}
    dependents: dict[str, list[str]] = {}
    for urn, needs in waits_on.items():
        for need in needs:
            dependents.setdefault(need, []).append(urn)
    ready = [urn for urn, needs in waits_on.items() if not needs]
    heapq.heapify(ready)
    ordered: list[ResourceRecord] = []
    while ready:
        urn = heapq.heappop(ready)
        ordered.append(by_urn[urn])
        for dependent in dependents.get(urn, []):
            waits_on[dependent].discard(urn)
            if not waits_on[dependent]:
                heapq.heappush(ready, dependent)
    placed = {r.urn for r in ordered}
    ordered += sorted((r for r in records if r.urn not in placed), key=lambda r: r.urn)  # a cycle
    return ordered


def registered(capture: StackCapture) -> list[ResourceRecord]:
    """The program's own resources: everything but the root stack the engine registers first."""
    return [r for r in capture.resources if r.type != STACK_TYPE]
