# ruff: noqa: E501  (a table: one row per bad input reads better on one line)
"""Every bad input, through the real command line: the gate as ``python -m offline.gate`` and the
client as ``python -m client``, each in its own process, as a user or a CI job runs them.

Each row names the input, the exit code the contract promises (gate: 0 judged and clean, 1 only for
a mandatory violation, 2 bad input to the program, 3 the pack cannot be run; client: 2 bad arguments,
nothing sent), and what the message must name (the file, the key, the value, what is allowed).
No row may show a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GATE_PROGRAMS = REPO / "tests" / "gate" / "programs"
GATE_PACKS = REPO / "tests" / "gate" / "packs"
CLEAN = str(GATE_PROGRAMS / "clean")
MISBEHAVES = str(GATE_PROGRAMS / "misbehaves")
SCHEMA_PACK = str(GATE_PACKS / "schema")
FORBID_PACK = str(GATE_PACKS / "forbid")

BASE_STACK = "config:\n  aws:region: us-east-1\n  cognito-user-files:ephemeral: true\n  cognito-user-files:deletionProtection: false\n"


@dataclass(frozen=True)
class Case:
    """One bad input: what to run, what the exit code must be, and what the message must name."""

    id: str
    argv: tuple[str, ...]
    code: int
    names: tuple[str, ...]
    files: dict[str, str] = field(default_factory=dict)  # written into the copied program first
    tool: str = "gate"  # or "client"


def stack(extra: str) -> str:
    return BASE_STACK + extra


def access(value: object) -> str:
    return f"  cognito-user-files:access: '{json.dumps(value) if not isinstance(value, str) else value}'\n"


GATE_CASES = [
    # stacks and files, as the CLI reads them (exit 2)
    Case("unknown-stack", ("--stack", "prd"), 2, ("no stack named 'prd' found; stacks here: prod, test",)),
    Case("project-file-not-yaml", ("--stack", "t"), 2, ("Pulumi.yaml line", "not valid YAML"),
         {"Pulumi.yaml": "name: [broken\n", "Pulumi.t.yaml": BASE_STACK}),
    Case("stack-file-not-yaml", ("--stack", "t"), 2, ("Pulumi.stack-file-not-yaml.yaml line 3", "not valid YAML", "flow sequence at line 2"),
         {"Pulumi.t.yaml": "config:\n  a: [1\n"}),
    Case("stack-config-a-list", ("--stack", "t"), 2, ("Pulumi.stack-config-a-list.yaml line 1", "'config' must be a mapping", "a list"),
         {"Pulumi.t.yaml": "config:\n  - cognito-user-files:mfa\n"}),
    Case("stack-file-duplicate-key", ("--stack", "t"), 2, ("Pulumi.stack-file-duplicate-key.yaml line", "duplicate key"),
         {"Pulumi.t.yaml": stack("  cognito-user-files:mfa: ON\n  cognito-user-files:mfa: OPTIONAL\n")}),
    Case("mfa-On-as-written", ("--stack", "t"), 2,
         ("cognito-user-files:mfa = 'On'", "OPTIONAL or ON", "Pulumi.mfa-On-as-written.yaml line 5"),
         {"Pulumi.t.yaml": stack("  cognito-user-files:mfa: On\n")}),
    Case("mfa-empty-no-fallback", ("--stack", "t"), 2, ("cognito-user-files:mfa = ''", "OPTIONAL or ON"),
         {"Pulumi.t.yaml": stack("  cognito-user-files:mfa: ''\n")}),
    Case("boolean-yes-is-a-string", ("--stack", "t"), 2,
         ("configuration key 'kmsEncryption' must be of type 'boolean'", "Pulumi.boolean-yes-is-a-string.yaml line 5", "'yes'"),
         {"Pulumi.t.yaml": stack("  cognito-user-files:kmsEncryption: yes\n")}),
    Case("config-override-not-key-value", ("-c", "mfa"), 2, ("-c 'mfa': expected key=value",)),
    # access rules and CORS, before anything is registered (exit 2)
    Case("access-beyond-1024-bytes", ("--stack", "t"), 2, ("cognito-user-files:access", "at most 1024 bytes"),
         {"Pulumi.t.yaml": stack(access({"a/" * 550 + "{identity}/*": ["read"]}))}),
    Case("access-duplicate-key", ("--stack", "t"), 2, ("cognito-user-files:access", "'users/{identity}/*' is repeated"),
         {"Pulumi.t.yaml": stack(access('{"users/{identity}/*": ["read"], "users/{identity}/*": ["write"]}'))}),
    Case("access-empty-levels", ("--stack", "t"), 2, ("cognito-user-files:access", "empty rule"),
         {"Pulumi.t.yaml": stack(access({"users/{identity}/*": []}))}),
    Case("cors-origin-with-a-path", ("--stack", "t"), 2, ("cognito-user-files:corsOrigins", "no path"),
         {"Pulumi.t.yaml": stack("  cognito-user-files:corsOrigins: ['https://app.example.com/x']\n")}),
    Case("cors-host-not-idna", ("--stack", "t"), 2, ("cognito-user-files:corsOrigins", "internationalized host"),
         {"Pulumi.t.yaml": stack("  cognito-user-files:corsOrigins: ['https://bad_ü.example']\n")}),
    # programs that fail (exit 2)
    Case("program-raises", ("--program", MISBEHAVES, "-c", "how=keyerror"), 2, ("KeyError: 'unknown'", "at __main__.py:")),
    Case("program-exits-0", ("--program", MISBEHAVES, "-c", "how=exit-0"), 2, ("the program exited with status 0",)),
    Case("program-exits-3", ("--program", MISBEHAVES, "-c", "how=exit-3"), 2, ("the program exited with status 3",)),
    Case("program-exits-with-text", ("--program", MISBEHAVES, "-c", "how=exit-text"), 2,
         ("the program exited with status 1: the program gave up", "at __main__.py:")),
    Case("program-hangs", ("--program", MISBEHAVES, "-c", "how=hang", "--timeout", "3"), 2, ("within 3 s (--timeout)",)),
    # the policy config and the pack (exit 3)
    Case("policy-config-not-json", ("--program", CLEAN, "--policy-config", "{pc}"), 3, ("pc.json line 2, column", "not JSON"),
         {"pc.json": '{\n  "all": advisory\n}'}),
    Case("policy-config-an-array", ("--program", CLEAN, "--policy-config", "{pc}"), 3, ("pc.json", "got an array"),
         {"pc.json": "[]"}),
    Case("policy-config-duplicate-key", ("--program", CLEAN, "--policy-config", "{pc}"), 3, ("pc.json", "'all' is given twice"),
         {"pc.json": '{"all": "advisory", "all": "disabled"}'}),
    Case("policy-config-missing", ("--program", CLEAN, "--policy-config", "{tmp}/nope.json"), 3, ("nope.json", "cannot be read")),
    Case("unknown-policy", ("--program", CLEAN, "--policy-config", "{pc}"), 3,
         ("pc.json", "no policy 'nosuch' in pack 'cognito-s3-guard'; policies: 'cognito-bucket-access'"),
         {"pc.json": '{"nosuch": "advisory"}'}),
    Case("unknown-level", ("--program", CLEAN, "--policy-config", "{pc}"), 3,
         ("pc.json", "identity-pool-settings", "enforcement level 'loud' is not one of advisory, mandatory"),
         {"pc.json": '{"identity-pool-settings": "loud"}'}),
    Case("unknown-key", ("--program", CLEAN, "--policy-config", "{pc}"), 3,
         ("pc.json", "cognito-bucket-access: unknown key 'bogus'; allowed: ", "exemptions"),
         {"pc.json": '{"cognito-bucket-access": {"bogus": 1}}'}),
    Case("wrong-type", ("--program", CLEAN, "--policy-config", "{pc}"), 3,
         ("pc.json", "cognito-bucket-access.exemptions: a string is not allowed; expected array"),
         {"pc.json": '{"cognito-bucket-access": {"exemptions": "legacy-bucket"}}'}),
    Case("unknown-rule-id-real-pack", ("--program", CLEAN, "--policy-config", "{pc}"), 3,
         ("pc.json", "cognito-bucket-access.rules: unknown key 'granting-bucket-polcy'; allowed: ", "granting-bucket-policy"),
         {"pc.json": '{"cognito-bucket-access": {"rules": {"granting-bucket-polcy": "advisory"}}}'}),
    Case("unknown-rule-level-real-pack", ("--program", CLEAN, "--policy-config", "{pc}"), 3,
         ("pc.json", "cognito-bucket-access.rules.no-widening: 'off' is not allowed; allowed: 'mandatory', 'advisory', 'disabled'"),
         {"pc.json": '{"cognito-bucket-access": {"rules": {"no-widening": "off"}}}'}),
    Case("old-disabled-rules-real-pack", ("--program", CLEAN, "--policy-config", "{pc}"), 3,
         ("pc.json", "cognito-bucket-access: unknown key 'disabledRules'", "replaced by \"rules\""),
         {"pc.json": '{"cognito-bucket-access": {"disabledRules": ["cognito-role-trust"]}}'}),
    Case("unknown-rule-id", ("--program", CLEAN, "--pack", SCHEMA_PACK, "--policy-config", "{pc}"), 3,
         ("pc.json", "per-rule.rules: unknown key 'bucket-name'; allowed: bucket-named"),
         {"pc.json": '{"per-rule": {"rules": {"bucket-name": "advisory"}}}'}),
    Case("unknown-rule-level", ("--program", CLEAN, "--pack", SCHEMA_PACK, "--policy-config", "{pc}"), 3,
         ("pc.json", "per-rule.rules.bucket-named: 'loud' is not allowed; allowed: 'mandatory', 'advisory', 'disabled'"),
         {"pc.json": '{"per-rule": {"rules": {"bucket-named": "loud"}}}'}),
    Case("retired-key-names-its-replacement", ("--program", CLEAN, "--pack", SCHEMA_PACK, "--policy-config", "{pc}"), 3,
         ("per-rule: unknown key 'disabledRules'; allowed: rules, exemptions, behaviour",
          "'disabledRules' was replaced by \"rules\": {\"<rule-id>\": \"disabled\"}"),
         {"pc.json": '{"per-rule": {"disabledRules": ["bucket-named"]}}'}),
    Case("timeout-not-positive", ("--timeout", "0"), 2, ("--timeout", "'0' is not a number of seconds above 0")),
    Case("missing-pack", ("--program", CLEAN, "--pack", "{tmp}"), 3, ("is not a Python policy pack", "no __main__.py")),
    Case("pack-fails-to-start", ("--program", CLEAN, "--pack", str(GATE_PACKS / "broken")), 3,
         ("did not print a port", "ModuleNotFoundError: No module named 'a_module_that_is_not_installed'",
          "broken/__main__.py\", line 3")),
    Case("pack-crashes", ("--program", CLEAN, "--pack", SCHEMA_PACK, "--policy-config", "{pc}"), 3,
         ("AnalyzeStack failed", "crashed on purpose"), {"pc.json": '{"per-rule": {"behaviour": "crash"}}'}),
    Case("pack-hangs", ("--program", CLEAN, "--pack", SCHEMA_PACK, "--policy-config", "{pc}", "--timeout", "20"), 3,
         ("did not answer AnalyzeStack within 20 s (--timeout)",), {"pc.json": '{"per-rule": {"behaviour": "hang"}}'}),
]  # fmt: skip

OUTPUTS = {
    "region": "us-east-1",
    "userPoolId": "us-east-1_AbC123xyz",
    "userPoolClientId": "3n4b5urk1ft4fl3mg5e62d9ado",
    "identityPoolId": "us-east-1:0a1b2c3d-4e5f-6789-abcd-ef0123456789",
    "bucket": "user-files-test-1a2b3c",
    "folderPrefix": "users/",
    "folderKey": "identityId",
}


def outputs(**changes: object) -> str:
    return json.dumps({**OUTPUTS, **changes})


CLIENT_CASES = [
    Case("outputs-missing", ("list", "--outputs", "{tmp}/none.json"), 2, ("cannot read outputs file", "none.json"), tool="client"),
    Case("outputs-not-json", ("list", "--outputs", "{out}"), 2, ("out.json", "is not JSON"), {"out.json": "{"}, "client"),
    Case("folder-prefix-dotdot", ("list", "--outputs", "{out}"), 2, ("folderPrefix", "'..'"),
         {"out.json": outputs(folderPrefix="../users/")}, "client"),
    Case("folder-prefix-absolute", ("list", "--outputs", "{out}"), 2, ("folderPrefix", "starts with '/'"),
         {"out.json": outputs(folderPrefix="/abs/")}, "client"),
    Case("folder-prefix-control", ("list", "--outputs", "{out}"), 2, ("folderPrefix", "control character"),
         {"out.json": outputs(folderPrefix="users\t/")}, "client"),
    Case("several-folders-no-choice", ("list", "--outputs", "{out}"), 2, ("several per-identity folders", "--folder"),
         {"out.json": outputs(folderPrefixes=["users/{identity}/", "profile/{identity}/"])}, "client"),
    Case("folder-not-in-stack", ("list", "--folder", "public/", "--outputs", "{out}"), 2,
         ("--folder 'public/' is not a folder of this stack", "users/"), {"out.json": outputs()}, "client"),
    Case("name-with-newline", ("delete", "a\nb.txt", "--outputs", "{out}"), 2, ("control character", "'\\n'"),
         {"out.json": outputs()}, "client"),
    Case("name-leaves-folder", ("delete", "../other/x", "--outputs", "{out}"), 2, ("does not name a file inside your folder",),
         {"out.json": outputs()}, "client"),
    Case("upload-missing-file", ("upload", "{tmp}/nope.txt", "--outputs", "{out}"), 2, ("nope.txt", "does not exist"),
         {"out.json": outputs()}, "client"),
    Case("name-over-1024-bytes", ("delete", "x" * 1000, "--outputs", "{out}"), 2, ("at most 1024",),
         {"out.json": outputs()}, "client"),
    Case("bad-mfa-code", ("list", "--username", "a@example.com", "--mfa-code", "12ab", "--outputs", "{out}"), 2,
         ("MFA code '12ab' is not 6 digits",), {"out.json": outputs()}, "client"),
    Case("no-user-name", ("list", "--outputs", "{out}"), 2, ("no user name", "USER_FILES_USERNAME"),
         {"out.json": outputs()}, "client"),
]  # fmt: skip


@pytest.fixture(scope="module")
def program_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stack program and its components, copied, so that each case writes its own stack file."""
    root = tmp_path_factory.mktemp("program")
    shutil.copy(REPO / "__main__.py", root)
    shutil.copy(REPO / "Pulumi.yaml", root)
    shutil.copytree(REPO / "components", root / "components", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _command(case: Case, program: Path, tmp: Path) -> list[str]:
    """The argv with placeholders filled; the case's stack file is ``Pulumi.<case id>.yaml``."""
    for name, text in case.files.items():
        target = name.replace("Pulumi.t.yaml", f"Pulumi.{case.id}.yaml")
        (program if name.startswith("Pulumi.") else tmp).joinpath(target).write_text(text)
    fill = {"{pc}": str(tmp / "pc.json"), "{out}": str(tmp / "out.json"), "{tmp}": str(tmp)}
    argv = [case.id if (arg == "t" and prev == "--stack") else arg for prev, arg in zip(("", *case.argv), case.argv, strict=False)]
    for i, arg in enumerate(argv):
        for key, value in fill.items():
            arg = arg.replace(key, value)
        argv[i] = arg
    if case.tool == "client":
        return [sys.executable, "-m", "client", *argv]
    uses_copy = any(n.startswith("Pulumi.") for n in case.files)
    return [sys.executable, "-m", "offline.gate", *(["--program", str(program)] if uses_copy else []), *argv]


def _run(case: Case, program_copy: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    program = program_copy
    if "Pulumi.yaml" in case.files:  # a broken project file gets a program of its own
        program = tmp / "program"
        shutil.copytree(program_copy, program)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("USER_FILES_", "AWS_"))}
    if case.tool == "client" and case.id != "no-user-name":
        env.update(USER_FILES_USERNAME="a@example.com", USER_FILES_PASSWORD="pw")
    env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9"  # nothing listens: a network call would fail loudly
    command = _command(case, program, tmp)
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def results(program_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every case run once, a few at a time (each is its own process; most of the time is start-up)."""
    cases = GATE_CASES + CLIENT_CASES
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = pool.map(lambda c: _run(c, program_copy, tmp_path_factory.mktemp(c.id)), cases)
        return {f"{case.tool}-{case.id}": proc for case, proc in zip(cases, done, strict=True)}


@pytest.mark.parametrize("case", GATE_CASES + CLIENT_CASES, ids=lambda c: f"{c.tool}-{c.id}")
def test_bad_input_exit_code_and_message(case: Case, results: dict[str, subprocess.CompletedProcess[str]]) -> None:
    proc = results[f"{case.tool}-{case.id}"]
    told = proc.stderr
    assert proc.returncode == case.code, f"exit {proc.returncode}, expected {case.code}\n{proc.stdout}\n{told}"
    for name in case.names:
        assert name in told, f"{name!r} not named in:\n{told}"
    assert "Traceback" not in proc.stdout + told
    assert "signed in" not in proc.stdout  # the client sent nothing


def test_an_undeclared_project_key_warns_and_the_run_goes_on(program_copy: Path, tmp_path: Path) -> None:
    (program_copy / "Pulumi.typo.yaml").write_text(stack("  cognito-user-files:mfaa: ON\n"))
    command = [sys.executable, "-m", "offline.gate", "--program", str(program_copy), "--stack", "typo"]
    proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "warning: Pulumi.typo.yaml line 5: 'cognito-user-files:mfaa' is not declared" in proc.stderr
    assert "declared keys: abortMultipartDays, access," in proc.stderr and " mfa, " in proc.stderr
    assert "Traceback" not in proc.stderr


def test_debug_shows_the_traceback_that_is_otherwise_hidden() -> None:
    command = [sys.executable, "-m", "offline.gate", "--program", MISBEHAVES, "-c", "how=keyerror", "--debug"]
    proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert "Traceback" in proc.stderr and "KeyError: 'unknown'" in proc.stderr


def test_make_check_with_a_mistyped_stack_names_the_stacks() -> None:
    venv = Path(sys.executable).parent.parent
    command = ["make", "--no-print-directory", "check", "STACK=prd", f"VENV={venv}"]
    proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2  # make's own code for a failed recipe; the gate's message says why
    assert "no stack named 'prd' found; stacks here: prod, test" in proc.stderr


def test_make_check_without_a_virtualenv_says_run_make_setup_first(tmp_path: Path) -> None:
    command = ["make", "--no-print-directory", "check", f"VENV={tmp_path / 'none'}"]
    proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "run make setup first" in proc.stderr


def test_help_states_the_exit_codes() -> None:
    proc = subprocess.run([sys.executable, "-m", "offline.gate", "--help"], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0
    for line in ("0  the stack was judged and no mandatory policy was violated",
                 "1  the stack was judged and a mandatory policy was violated (nothing else exits 1)",
                 "2  bad input to the program", "3  the policy pack cannot be run"):  # fmt: skip
        assert line in proc.stdout, line
