"""Launch a Python component package (a plugin folder) as the Pulumi CLI does, and play the engine for it.

How the CLI runs a Python component provider (pulumi/pulumi: ``pkg/.../plugin.go`` ``ExecPlugin`` and
``NewProvider``, and the Python language host's ``RunPlugin``):

- **argv**: ``<virtualenv>/bin/python <plugin folder> <engine address>`` (the folder's ``__main__.py``
  runs), plus ``--logtostderr``/``-v=N``/``--tracing`` only when logging flows.
- **cwd**: the *consumer* program's working directory, not the plugin folder.
- **env**: the CLI's own environment, the virtualenv activated (``VIRTUAL_ENV``, its ``bin`` first on
  ``PATH``, no ``PYTHONHOME``), ``PULUMI_PROJECT`` (the consumer's project) and ``PULUMI_CONFIG``.
- **handshake**: the plugin prints its port as the first stdout line; the engine dials it, tries
  ``Handshake`` (a Python provider answers UNIMPLEMENTED, which the engine accepts), then asks
  ``GetPluginInfo``, ``GetSchema``, ``Configure`` and, per component resource, ``Construct``.
- **Construct**: the request names the engine's resource monitor; the plugin registers the component
  and its children there (``RegisterResource``), asks it for invokes, and answers with the component's
  URN and outputs.

:func:`launch` does the same and yields a :class:`PackageClient`. :class:`EngineStub` is that resource
monitor (and the engine's ``Log`` service): it answers through the same :class:`~offline.mockrun.AwsMocks`
and records every registration as :class:`~offline.mockrun.CaptureMonitor` does for a program run under
mocks, so what a package registers compares one to one with what a Python program registers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from concurrent import futures
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import (
    engine_pb2,
    engine_pb2_grpc,
    errors_pb2,
    provider_pb2,
    provider_pb2_grpc,
    resource_pb2,
    resource_pb2_grpc,
    status_pb2,  # the SDK's copy of google.rpc.Status (googleapis' would clash with it)
)

from offline.mockrun import AwsMocks, CaptureMonitor, struct_to_python
from offline.model import STACK_TYPE, ResourceRecord, StackCapture

_MAX_MESSAGE = 1024 * 1024 * 400


class PackageError(RuntimeError):
    """The plugin could not be started, or a call failed. ``property_errors``: (path, reason) pairs."""

    def __init__(self, message: str, property_errors: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        self.property_errors = property_errors


# --- the engine side: resource monitor + engine log -----------------------------------------------


class _Monitor(CaptureMonitor):
    """A CaptureMonitor whose URNs use the consumer's project and stack (not this process's settings)."""

    def __init__(self, mocks: AwsMocks, project: str, stack: str) -> None:
        super().__init__(mocks)
        self.project, self.stack = project, stack

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        if parent:
            parent_type = parent.split("::")[2].split("$").pop()
            type_ = f"{parent_type}${type_}"
        return "urn:pulumi:" + "::".join([self.stack, self.project, type_, name])


class _MonitorService(resource_pb2_grpc.ResourceMonitorServicer):
    def __init__(self, monitor: _Monitor) -> None:
        self.monitor = monitor

    def SupportsFeature(self, request: Any, context: Any) -> Any:
        answer = self.monitor.SupportsFeature(request)
        return resource_pb2.SupportsFeatureResponse(hasSupport=answer.hasSupport)

    def GetDeploymentInfo(self, request: Any, context: Any) -> Any:
        return self.monitor.GetDeploymentInfo(request)

    def RegisterResource(self, request: Any, context: Any) -> Any:
        return self.monitor.RegisterResource(request)

    def RegisterResourceOutputs(self, request: Any, context: Any) -> Any:
        return self.monitor.RegisterResourceOutputs(request)

    def Invoke(self, request: Any, context: Any) -> Any:
        return self.monitor.Invoke(request)

    def RegisterPackage(self, request: Any, context: Any) -> Any:
        return self.monitor.RegisterPackage(request)


class _EngineService(engine_pb2_grpc.EngineServicer):
    def __init__(self, root_urn: str) -> None:
        self.root_urn = root_urn
        self.logs: list[tuple[int, str]] = []

    def Log(self, request: Any, context: Any) -> Any:
        self.logs.append((request.severity, request.message))
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> Any:
        return engine_pb2.GetRootResourceResponse(urn=self.root_urn)

    def SetRootResource(self, request: Any, context: Any) -> Any:
        return engine_pb2.SetRootResourceResponse()


class EngineStub:
    """The engine's gRPC side for one consumer stack: the resource monitor and the engine's Log.

    The consumer's root stack is registered first, as a program's is. ``records`` is every
    registration in order (:class:`~offline.model.ResourceRecord`); ``preview=True`` is a first preview.
    """

    def __init__(self, project: str, stack: str, *, preview: bool, region: str = "us-east-1") -> None:
        self.project, self.stack, self.preview = project, stack, preview
        self.mocks = AwsMocks(preview=preview, region=region)
        self.monitor = _Monitor(self.mocks, project, stack)
        root = self.monitor.RegisterResource(
            resource_pb2.RegisterResourceRequest(type=STACK_TYPE, name=f"{project}-{stack}")
        )
        self.root_urn: str = root.urn
        self.engine = _EngineService(self.root_urn)
        self._server = grpc.server(
            futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="engine-stub"),
            options=[("grpc.max_receive_message_length", _MAX_MESSAGE)],
        )
        resource_pb2_grpc.add_ResourceMonitorServicer_to_server(_MonitorService(self.monitor), self._server)
        engine_pb2_grpc.add_EngineServicer_to_server(self.engine, self._server)
        port = self._server.add_insecure_port("127.0.0.1:0")
        self.address = f"127.0.0.1:{port}"
        self._server.start()

    @property
    def records(self) -> list[ResourceRecord]:
        return list(self.monitor.records)

    def capture(self, config: Mapping[str, str] | None = None) -> StackCapture:
        """What was registered, in the shape :func:`offline.mockrun.run_program` returns."""
        return StackCapture(
            project=self.project,
            stack=self.stack,
            preview=self.preview,
            resources=self.records,
            config=dict(config or {}),
        )

    def close(self) -> None:
        self._server.stop(grace=None)


# --- the plugin side ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Constructed:
    """A Construct answer: the component's URN and its outputs (wire form: unknowns as the sentinel)."""

    urn: str
    outputs: dict[str, Any] = field(default_factory=dict)
    output_dependencies: dict[str, list[str]] = field(default_factory=dict)


def _property_errors(error: grpc.RpcError) -> tuple[tuple[str, str], ...]:
    """(property path, reason) pairs of an InputPropertiesError status detail, as the engine reads them."""
    found: list[tuple[str, str]] = []
    metadata = error.trailing_metadata() if hasattr(error, "trailing_metadata") else None
    for key, value in metadata or ():
        if key != "grpc-status-details-bin":
            continue
        status = status_pb2.Status.FromString(value)
        for detail in status.details:
            errors = errors_pb2.InputPropertiesError()
            if detail.Unpack(errors):
                found += [(e.property_path, e.reason) for e in errors.errors]
    return tuple(found)


class PackageClient:
    """A running plugin and a ResourceProvider channel to it. Use :func:`launch` to get one."""

    def __init__(self, channel: grpc.Channel, process: subprocess.Popen[bytes], stderr_path: Path) -> None:
        self._channel = channel
        self._stub = provider_pb2_grpc.ResourceProviderStub(channel)
        self.process = process
        self._stderr_path = stderr_path

    def stderr(self) -> str:
        try:
            return self._stderr_path.read_text(errors="replace")
        except OSError:
            return ""

    def _call(self, what: str, method: Any, request: Any, timeout: float = 120.0) -> Any:
        try:
            return method(request, timeout=timeout)
        except grpc.RpcError as exc:
            detail = exc.details() if hasattr(exc, "details") else str(exc)
            raise PackageError(f"{what} failed: {detail}", _property_errors(exc)) from exc

    def handshake(self, engine_address: str, plugin_dir: Path) -> bool:
        """The engine's first call; False when the plugin does not implement it (Python providers)."""
        request = provider_pb2.ProviderHandshakeRequest(
            engine_address=engine_address,
            root_directory=str(plugin_dir),
            program_directory=str(plugin_dir),
            configure_with_urn=True,
        )
        try:
            self._stub.Handshake(request, timeout=60)
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.UNIMPLEMENTED:
                return False
            raise PackageError(f"Handshake failed: {exc.details()}") from exc
        return True

    def plugin_version(self) -> str:
        return self._call("GetPluginInfo", self._stub.GetPluginInfo, empty_pb2.Empty()).version

    def schema(self) -> dict[str, Any]:
        reply = self._call("GetSchema", self._stub.GetSchema, provider_pb2.GetSchemaRequest(version=0))
        return json.loads(reply.schema)

    def configure(self) -> None:
        request = provider_pb2.ConfigureRequest(acceptSecrets=True, acceptResources=True)
        self._call("Configure", self._stub.Configure, request)

    def construct(
        self,
        engine: EngineStub,
        type_token: str,
        name: str,
        inputs: Mapping[str, Any],
        config: Mapping[str, str] | None = None,
    ) -> Constructed:
        """One component resource, as the engine asks for it when a consumer program declares one."""
        struct = struct_pb2.Struct()
        struct.update(dict(inputs))
        request = provider_pb2.ConstructRequest(
            project=engine.project,
            stack=engine.stack,
            organization="organization",
            config=dict(config or {}),
            dryRun=engine.preview,
            parallel=8,
            monitorEndpoint=engine.address,
            type=type_token,
            name=name,
            parent=engine.root_urn,
            inputs=struct,
            accepts_output_values=True,
        )
        reply = self._call(f"Construct {type_token} {name!r}", self._stub.Construct, request)
        return Constructed(
            urn=reply.urn,
            outputs=struct_to_python(reply.state),
            output_dependencies={k: list(v.urns) for k, v in reply.stateDependencies.items()},
        )

    def close(self) -> None:
        self._channel.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)


def plugin_environment(python: str, project: str, config: Mapping[str, str]) -> dict[str, str]:
    """The CLI's environment for a plugin: its own, the plugin's virtualenv activated, project and config.

    ``PYTHONPATH`` is dropped as well (the CLI keeps it): the plugin must find its code by itself.
    """
    venv = Path(python).parent.parent
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME", "VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    env["VIRTUAL_ENV"] = str(venv)
    env["PULUMI_PROJECT"] = project
    env["PULUMI_CONFIG"] = json.dumps(dict(config))
    return env


def _read_port(process: subprocess.Popen[bytes], timeout: float) -> str:
    """The first stdout line, read in a thread so that a plugin that hangs cannot hang us."""
    assert process.stdout is not None
    stdout, box, got = process.stdout, [], threading.Event()

    def reader() -> None:
        box.append(stdout.readline())
        got.set()
        for _ in iter(lambda: stdout.read(65536), b""):  # keep draining
            pass

    threading.Thread(target=reader, name="plugin-stdout", daemon=True).start()
    if not got.wait(timeout):
        raise PackageError(f"the plugin printed no port within {timeout:.0f}s")
    return box[0].decode(errors="replace").strip()


def _start(argv: list[str], cwd: Path, env: dict[str, str], stderr_path: Path) -> subprocess.Popen[bytes]:
    with stderr_path.open("wb") as err_file:
        return subprocess.Popen(
            argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err_file
        )


@contextmanager
def launch(
    plugin_dir: str | os.PathLike[str],
    engine_address: str,
    *,
    cwd: str | os.PathLike[str],
    project: str = "consumer",
    config: Mapping[str, str] | None = None,
    python: str = sys.executable,
    startup_timeout: float = 120.0,
) -> Iterator[PackageClient]:
    """Start the plugin as the CLI does (from the consumer's ``cwd``) and yield a client; always stopped."""
    plugin = Path(plugin_dir).resolve()
    if not (plugin / "PulumiPlugin.yaml").is_file() or not (plugin / "__main__.py").is_file():
        raise PackageError(f"{plugin} is not a Python plugin folder (PulumiPlugin.yaml and __main__.py)")
    env = plugin_environment(python, project, config or {})
    with tempfile.NamedTemporaryFile(prefix="plugin-", suffix=".stderr", delete=False) as err:
        stderr_path = Path(err.name)
    process = _start([python, str(plugin), engine_address], Path(cwd), env, stderr_path)
    client: PackageClient | None = None
    try:
        line = _read_port(process, startup_timeout)
        if not line.isdigit():
            raise PackageError(
                f"the plugin did not print a port first (got {line!r})\n"
                f"--- plugin stderr ---\n{stderr_path.read_text(errors='replace')[-4000:]}"
            )
        channel = grpc.insecure_channel(
            f"127.0.0.1:{line}", options=[("grpc.max_receive_message_length", _MAX_MESSAGE)]
        )
        grpc.channel_ready_future(channel).result(timeout=startup_timeout)
        client = PackageClient(channel, process, stderr_path)
        yield client
    finally:
        if client is not None:
            client.close()
        elif process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        stderr_path.unlink(missing_ok=True)


def schema_property(schema: Mapping[str, Any], type_token: str, name: str, *, output: bool = False) -> Any:
    """One input (or output) property of a resource in a package schema, as JSON."""
    resource = schema["resources"][type_token]
    return resource["properties" if output else "inputProperties"][name]
