"""Launch a Pulumi policy pack and speak the analyzer gRPC protocol to it, exactly as the CLI does.

The CLI's Python language host starts ``python -u -m pulumi.policy <engine-address> <pack-dir>`` with
the pack directory as working directory and ``PULUMI_PROJECT``, ``PULUMI_STACK``, ``PULUMI_DRY_RUN``
and ``PULUMI_CONFIG`` in the environment, reads the port from the first stdout line, and then calls
``ConfigureStack``, ``GetAnalyzerInfo``, ``Configure``, ``Analyze`` once per resource (its inputs) and
``AnalyzeStack`` once (every resource's outputs, parent, dependencies and property dependencies).
:class:`PolicyPackClient` does the same; :func:`judge` runs that whole sequence for a
:class:`~offline.model.StackCapture`.

Values in our records use Pulumi's wire conventions (see ``offline/model.py``), so they go into the
protobuf ``Struct`` unchanged: the unknown sentinel stays a string, a secret stays a signature object.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from offline import policyconfig
from offline.model import Diagnostic, ResourceRecord, StackCapture

# The pack never dials the engine; the CLI passes its address, and so do we, for fidelity.
DEFAULT_ENGINE_ADDRESS = "127.0.0.1:0"

_LEVEL_NAMES: dict[int, str] = {
    analyzer_pb2.ADVISORY: "advisory",
    analyzer_pb2.MANDATORY: "mandatory",
    analyzer_pb2.REMEDIATE: "remediate",
    analyzer_pb2.DISABLED: "disabled",
}
_LEVEL_VALUES: dict[str, int] = {name: value for value, name in _LEVEL_NAMES.items()}
_MAX_MESSAGE = 1024 * 1024 * 400  # the SDK server accepts up to 400 MB; so must we send and receive


class AnalyzerError(RuntimeError):
    """The pack could not be started, configured or asked; the message says which and why."""


class PolicyConfigError(AnalyzerError):
    """The policy config does not fit the pack's policies and schemas."""


class PackTimeout(AnalyzerError):
    """The pack did not answer within the time it was given."""


@dataclass(frozen=True)
class PolicyInfo:
    """One policy as the pack describes it in ``GetAnalyzerInfo``."""

    name: str
    description: str
    enforcement_level: str
    policy_type: str  # "resource" | "stack" | "unknown"
    config_schema: dict[str, Any] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    display_name: str = ""
    remediation_steps: str = ""


@dataclass(frozen=True)
class AnalyzerInfo:
    """The pack's self-description."""

    name: str
    version: str
    description: str
    policies: tuple[PolicyInfo, ...]
    initial_config: dict[str, dict[str, Any]] = field(default_factory=dict)

    def policy(self, name: str) -> PolicyInfo:
        for policy in self.policies:
            if policy.name == name:
                return policy
        raise KeyError(f"policy pack {self.name!r} has no policy {name!r}")


# --- conversions (pure) --------------------------------------------------------------------------


def to_struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    """Our wire-convention property map -> a protobuf Struct (what the engine sends)."""
    struct = struct_pb2.Struct()
    try:
        struct.update(_plain(values))
    except (TypeError, ValueError) as exc:
        raise AnalyzerError(f"property values are not JSON-like: {exc}") from exc
    return struct


def _plain(value: Any) -> Any:
    """Tuples to lists, and mapping keys to strings, as the engine's JSON-like values are."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _options(record: ResourceRecord) -> analyzer_pb2.AnalyzerResourceOptions:
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=record.protect,
        ignoreChanges=list(record.ignore_changes),
        deleteBeforeReplace=record.delete_before_replace,
        deleteBeforeReplaceDefined=record.delete_before_replace,
        parent=record.parent or "",
    )


def analyze_request(record: ResourceRecord) -> analyzer_pb2.AnalyzeRequest:
    """The per-resource request: the resource's inputs."""
    return analyzer_pb2.AnalyzeRequest(
        type=record.type,
        properties=to_struct(record.inputs),
        urn=record.urn,
        name=record.name,
        options=_options(record),
    )


def analyzer_resource(record: ResourceRecord) -> analyzer_pb2.AnalyzerResource:
    """One resource of the stack request: outputs, parent, dependencies, property dependencies."""
    return analyzer_pb2.AnalyzerResource(
        type=record.type,
        properties=to_struct(record.outputs),
        urn=record.urn,
        name=record.name,
        options=_options(record),
        parent=record.parent or "",
        dependencies=list(record.dependencies),
        propertyDependencies={
            key: analyzer_pb2.AnalyzerPropertyDependencies(urns=list(urns))
            for key, urns in record.property_dependencies.items()
        },
    )


def analyze_stack_request(records: Iterable[ResourceRecord]) -> analyzer_pb2.AnalyzeStackRequest:
    return analyzer_pb2.AnalyzeStackRequest(resources=[analyzer_resource(r) for r in records])


def to_diagnostic(d: analyzer_pb2.AnalyzeDiagnostic, default_urn: str = "") -> Diagnostic:
    return Diagnostic(
        policy=d.policyName,
        level=_LEVEL_NAMES.get(d.enforcementLevel, str(d.enforcementLevel)),
        message=d.message,
        urn=d.urn or default_urn,
        pack=d.policyPackName,
        description=d.description,
    )


def is_preview_skip(diagnostic: Diagnostic) -> bool:
    """True for the SDK's "can't run policy ... during preview" advisory: a policy that enforced nothing."""
    return diagnostic.preview_skip


def preview_skips(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if is_preview_skip(d)]


def _policy_info(p: analyzer_pb2.PolicyInfo) -> PolicyInfo:
    kind = {
        analyzer_pb2.POLICY_TYPE_RESOURCE: "resource",
        analyzer_pb2.POLICY_TYPE_STACK: "stack",
    }.get(p.policy_type, "unknown")
    return PolicyInfo(
        name=p.name,
        description=p.description,
        enforcement_level=_LEVEL_NAMES.get(p.enforcementLevel, str(p.enforcementLevel)),
        policy_type=kind,
        config_schema=json_format.MessageToDict(p.configSchema.properties),
        required=tuple(p.configSchema.required),
        display_name=p.displayName,
        remediation_steps=p.remediation_steps,
    )


def _analyzer_info(info: analyzer_pb2.AnalyzerInfo) -> AnalyzerInfo:
    initial: dict[str, dict[str, Any]] = {}
    for key, cfg in info.initialConfig.items():
        entry = dict(json_format.MessageToDict(cfg.properties))
        if cfg.enforcementLevel in _LEVEL_NAMES:
            entry["enforcementLevel"] = _LEVEL_NAMES[cfg.enforcementLevel]
        initial[key] = entry
    return AnalyzerInfo(
        name=info.name,
        version=info.version,
        description=info.description,
        policies=tuple(_policy_info(p) for p in info.policies),
        initial_config=initial,
    )


def resolve_policy_config(
    info: AnalyzerInfo,
    policy_config: Mapping[str, Any] | None,
    file: str = "policy config",
    schemas: bool = True,
) -> dict[str, tuple[str, dict[str, Any]]]:
    """The CLI's view of a pack config: every policy gets a level and its properties with defaults.

    ``policy_config`` is shaped like a ``--policy-pack-config`` file: ``{"all": level}`` or
    ``{policy: level}`` or ``{policy: {"enforcementLevel": level, <property>: value, ...}}``, and is
    validated against each policy's schema (:mod:`offline.policyconfig`) unless ``schemas`` is false.
    Errors are :class:`PolicyConfigError` (an :class:`AnalyzerError`), naming ``file``, the key and
    what is allowed.
    """
    try:
        return policyconfig.resolve(info, policy_config, file, schemas)
    except policyconfig.PolicyConfigError as exc:
        raise PolicyConfigError(str(exc)) from None


# --- the client ----------------------------------------------------------------------------------


class PolicyPackClient:
    """A running policy pack plus a gRPC channel to it. Use :func:`launch` to get one."""

    def __init__(self, channel: grpc.Channel, process: subprocess.Popen[bytes], stderr_path: Path) -> None:
        self._channel = channel
        self._stub = analyzer_pb2_grpc.AnalyzerStub(channel)
        self.process = process
        self._stderr_path = stderr_path
        self.info: AnalyzerInfo | None = None
        self.timeout: float | None = None  # caps every call's own timeout when set

    def stderr(self) -> str:
        try:
            return self._stderr_path.read_text(errors="replace")
        except OSError:
            return ""

    def _call(self, what: str, method: Any, request: Any, timeout: float) -> Any:
        timeout = min(timeout, self.timeout) if self.timeout else timeout
        try:
            return method(request, timeout=timeout)
        except grpc.RpcError as exc:
            if hasattr(exc, "code") and exc.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
                message = f"the policy pack did not answer {what} within {timeout:g} s (--timeout)"
                raise PackTimeout(message) from None
            detail = exc.details() if hasattr(exc, "details") else str(exc)
            raise AnalyzerError(
                f"{what} failed: {detail}\n--- policy pack stderr ---\n{self.stderr()[-4000:]}"
            ) from exc

    def configure_stack(
        self,
        project: str,
        stack: str,
        dry_run: bool,
        config: Mapping[str, str] | None = None,
        tags: Mapping[str, str] | None = None,
        organization: str = "organization",
        timeout: float = 60.0,
    ) -> None:
        request = analyzer_pb2.AnalyzerStackConfigureRequest(
            stack=stack,
            project=project,
            organization=organization,
            dry_run=dry_run,
            config=dict(config or {}),
            tags=dict(tags or {}),
        )
        self._call("ConfigureStack", self._stub.ConfigureStack, request, timeout)

    def get_info(self, timeout: float = 60.0) -> AnalyzerInfo:
        reply = self._call("GetAnalyzerInfo", self._stub.GetAnalyzerInfo, empty_pb2.Empty(), timeout)
        self.info = _analyzer_info(reply)
        return self.info

    def configure(
        self,
        policy_config: Mapping[str, Any] | None = None,
        timeout: float = 60.0,
        file: str = "policy config",
        schemas: bool = False,
    ) -> None:
        """Send every policy's level and properties (schema defaults filled in), as the CLI does.

        Policies and levels are always checked. The properties are checked against the pack's schemas
        only with ``schemas`` (the gate's way): by default they reach the pack's own ``Configure`` as
        given, so that tests can prove the pack refuses a hand-written config by itself.
        """
        info = self.info or self.get_info()
        resolved = resolve_policy_config(info, policy_config, file, schemas)
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, (level, props) in resolved.items():
            request.policyConfig[name].CopyFrom(
                analyzer_pb2.PolicyConfig(enforcementLevel=_LEVEL_VALUES[level], properties=to_struct(props))
            )
        self._call("Configure", self._stub.Configure, request, timeout)

    def analyze(self, record: ResourceRecord, timeout: float = 60.0) -> list[Diagnostic]:
        response = self._call("Analyze", self._stub.Analyze, analyze_request(record), timeout)
        # A resource policy's violation is about the analyzed resource; the engine attributes it so.
        return [to_diagnostic(d, default_urn=record.urn) for d in response.diagnostics]

    def analyze_stack(self, records: Iterable[ResourceRecord], timeout: float = 600.0) -> list[Diagnostic]:
        return self.analyze_stack_request(analyze_stack_request(records), timeout)

    def analyze_stack_request(
        self, request: analyzer_pb2.AnalyzeStackRequest, timeout: float = 600.0
    ) -> list[Diagnostic]:
        """Send a prebuilt request (the benchmark times the call without the conversion)."""
        response = self._call("AnalyzeStack", self._stub.AnalyzeStack, request, timeout)
        return [to_diagnostic(d) for d in response.diagnostics]

    def judge(
        self,
        capture: StackCapture,
        policy_config: Mapping[str, Any] | None = None,
        file: str = "policy config",
        schemas: bool = False,
    ) -> list[Diagnostic]:
        """The CLI's whole sequence for one captured run; diagnostics in the order the pack sent them."""
        self.configure_stack(capture.project, capture.stack, capture.preview, config=capture.config)
        self.get_info()
        self.configure(policy_config, file=file, schemas=schemas)
        diagnostics: list[Diagnostic] = []
        for record in capture.resources:
            diagnostics.extend(self.analyze(record))
        diagnostics.extend(self.analyze_stack(capture.resources))
        return diagnostics

    def close(self) -> None:
        self._channel.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)


def _read_port(process: subprocess.Popen[bytes], timeout: float) -> str:
    """Read the handshake line in a thread, so a pack that hangs or dies cannot hang us."""
    assert process.stdout is not None
    box: list[bytes] = []
    got_line = threading.Event()
    stdout = process.stdout

    def reader() -> None:
        box.append(stdout.readline())
        got_line.set()
        for _ in iter(lambda: stdout.read(65536), b""):  # keep draining: a chatty pack must not block
            pass

    threading.Thread(target=reader, name="policy-pack-stdout", daemon=True).start()
    if not got_line.wait(timeout):
        raise PackTimeout(f"the policy pack printed no port within {timeout:g} s (--timeout)")
    return box[0].decode(errors="replace").strip()


def _pack_env(project: str, stack: str, dry_run: bool, config: Mapping[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PULUMI_PROJECT=project,
        PULUMI_STACK=stack,
        PULUMI_DRY_RUN="true" if dry_run else "false",
        PULUMI_CONFIG=json.dumps(dict(config or {})),
    )
    return env


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None and process.poll() is None:
        process.kill()
        process.wait(timeout=30)


def _connect(process: subprocess.Popen[bytes], stderr_path: Path, timeout: float) -> grpc.Channel:
    """Read the pack's port from its first stdout line and open a channel to it."""
    line = _read_port(process, timeout)
    if not line.isdigit():
        _stop(process)
        raise AnalyzerError(
            f"the policy pack did not print a port (got {line!r}); exit code {process.returncode}\n"
            f"--- policy pack stderr ---\n{stderr_path.read_text(errors='replace')[-4000:]}"
        )
    channel = grpc.insecure_channel(
        f"127.0.0.1:{line}",
        options=[
            ("grpc.max_receive_message_length", _MAX_MESSAGE),
            ("grpc.max_send_message_length", _MAX_MESSAGE),
        ],
    )
    grpc.channel_ready_future(channel).result(timeout=timeout)
    return channel


@contextmanager
def launch(
    pack_dir: str | os.PathLike[str] = "policypack",
    *,
    project: str = "project",
    stack: str = "stack",
    dry_run: bool = True,
    config: Mapping[str, str] | None = None,
    engine_address: str = DEFAULT_ENGINE_ADDRESS,
    python: str = sys.executable,
    startup_timeout: float = 60.0,
) -> Iterator[PolicyPackClient]:
    """Start the pack as the CLI does and yield a client; the subprocess is always killed on exit."""
    pack = Path(pack_dir).resolve()
    if not (pack / "__main__.py").is_file():
        raise AnalyzerError(f"{pack} is not a Python policy pack: it has no __main__.py")
    with tempfile.NamedTemporaryFile(prefix="policy-pack-", suffix=".stderr", delete=False) as err:
        stderr_path = Path(err.name)
    process: subprocess.Popen[bytes] | None = None
    client: PolicyPackClient | None = None
    try:
        with stderr_path.open("wb") as err_file:
            process = subprocess.Popen(
                [python, "-u", "-m", "pulumi.policy", engine_address, str(pack)],
                cwd=pack,
                env=_pack_env(project, stack, dry_run, config),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=err_file,
            )
        client = PolicyPackClient(_connect(process, stderr_path, startup_timeout), process, stderr_path)
        yield client
    finally:
        if client is not None:
            client.close()
        else:
            _stop(process)
        stderr_path.unlink(missing_ok=True)


def launch_for(
    capture: StackCapture, pack_dir: str | os.PathLike[str] = "policypack", startup_timeout: float = 60.0
) -> AbstractContextManager[PolicyPackClient]:
    """:func:`launch` the pack as the CLI would for ``capture``'s project, stack, mode and config."""
    return launch(
        pack_dir,
        project=capture.project,
        stack=capture.stack,
        dry_run=capture.preview,
        config=capture.config,
        startup_timeout=startup_timeout,
    )


def judge(
    capture: StackCapture,
    pack_dir: str | os.PathLike[str] = "policypack",
    policy_config: Mapping[str, Any] | None = None,
) -> list[Diagnostic]:
    """Launch the pack for ``capture``'s project and stack, run the CLI's sequence, and stop it."""
    with launch_for(capture, pack_dir) as client:
        return client.judge(capture, policy_config)
