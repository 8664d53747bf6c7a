"""`make demo`: the user's path offline against moto, run as a user runs it, in CI too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_make_demo_walks_the_user_path_and_says_where_moto_differs() -> None:
    venv = Path(sys.executable).parent.parent  # the virtualenv running the tests: make setup's .venv
    proc = subprocess.run(
        ["make", "--no-print-directory", "demo", f"VENV={venv}"],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert "Traceback" not in out + proc.stderr
    for step in (
        "1. start a local moto server",
        "2. set up the test stack's resources",
        "3. sign up demo.user@example.com",
        "4. sign in (SRP) and ask who I am",
        "5. upload, list and delete in my folder",
        "6. try another identity's folder",
    ):
        assert step in out, step
    assert "this user has not confirmed the account yet" in out  # before ConfirmSignUp
    assert "error: not found: s3://" in out  # the second delete
    assert "does not name a file inside your folder" in out  # the client will not name their folder
    assert "moto evaluates no IAM policy" in out or "refused:" in out  # said either way
    assert out.rstrip().endswith("demo done: every step behaved as described")
