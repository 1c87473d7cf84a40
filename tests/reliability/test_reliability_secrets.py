"""No secret in any report, log or transcript of a run.

A representative part of the shipped suite (CA-signed enrollment, client certificates, a
local user with a password, PKCS#12 imports with and without the chain, rotation, write
memory and reload) runs through ``asa-harness run`` with HTML, JUnit and JSON reports; the
run records every password, passphrase and private key it makes (secret_recorder.py).
Then every byte the run wrote (reports and its stdout/stderr) is searched for all of them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from harness.pki import LabCA
from tests.reliability import secret_recorder

ROOT = Path(__file__).resolve().parents[2]
RECORDER = Path(__file__).resolve().with_name("secret_recorder.py")
SCENARIOS = [
    "03_ca_signed_terminal.yaml",
    "04_client_certificate_auth.yaml",
    "05_two_factor.yaml",
    "08_sni_two_trustpoints.yaml",
    "10_rotation.yaml",
    "13_gotcha_missing_intermediate.yaml",
    "19_persistence.yaml",
]
#: The ASA command (``username bob password Lab-Passw0rd-1 privilege 2``), not prose.
#: A private key PEM block with base64 in it (raw or JSON-escaped newlines).
PEM_KEY_BLOCK = re.compile(r"PRIVATE KEY-----(?:\r?\n|\\n)[A-Za-z0-9+/=]{40}")
USER_PASSWORD = re.compile(r"^\s*username \S+ password (\S+)(?: privilege \d+)?\s*$", re.MULTILINE)


@dataclass(frozen=True)
class RunOutput:
    files: dict[str, str]
    recorded: dict[str, list[object]]
    scenario_passwords: list[str]


def run_recorded(out: Path) -> RunOutput:
    recorded = out.parent / f"{out.name}-recorded-secrets.json"  # outside the searched folder
    completed = subprocess.run(
        [
            sys.executable,
            str(RECORDER),
            str(recorded),
            "run",
            *(str(ROOT / "scenarios" / name) for name in SCENARIOS),
            "--html",
            str(out / "report.html"),
            "--junitxml",
            str(out / "junit.xml"),
            "--results",
            str(out / "results.json"),
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    (out / "stdout.log").write_text(completed.stdout)
    (out / "stderr.log").write_text(completed.stderr)
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    files = {path.name: path.read_text(errors="replace") for path in out.iterdir()}
    passwords = [
        found
        for name in SCENARIOS
        for found in USER_PASSWORD.findall((ROOT / "scenarios" / name).read_text())
    ]
    return RunOutput(files, json.loads(recorded.read_text()), passwords)


def _leaks(files: dict[str, str], secrets: list[str]) -> list[str]:
    return [
        f"{name} contains {secret[:6]}... ({len(secret)} characters)"
        for secret in secrets
        for name, text in files.items()
        if secret in text
    ]


@pytest.mark.slow
def test_no_secret_in_any_report_log_or_transcript(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    run = run_recorded(out)

    # Not vacuous: the recorder saw the logins, passphrases, keys and user passwords ...
    assert {"report.html", "junit.xml", "results.json", "stdout.log"} <= set(run.files)
    # (two credentials per virtual ASA, and the PKCS#12 passphrases of 08 and 13)
    assert len(run.recorded["tokens"]) >= 2 * len(SCENARIOS) + 2
    assert len(run.recorded["keys"]) >= 10
    assert run.scenario_passwords == ["Lab-Passw0rd-1"]
    # ... and the reports do show the commands that carried them (redacted)
    assert "username bob password" in run.files["results.json"]
    assert "pkcs12" in run.files["results.json"]

    tokens = [str(t) for t in run.recorded["tokens"]]
    assert not _leaks(run.files, tokens + run.scenario_passwords)
    material: list[str] = []
    for key in run.recorded["keys"]:
        assert isinstance(key, dict)
        material += [*key["lines"], key["hex"], key["hex"].upper(), key["decimal"]]
    assert not _leaks(run.files, material)
    # nor any other key block with content (e.g. one the recorder could not see)
    for name, text in run.files.items():
        assert not PEM_KEY_BLOCK.search(text), name


@pytest.mark.parametrize("kind", ["rsa", "ec"])
def test_the_key_fingerprints_find_a_leaked_key_and_only_that(kind: str) -> None:
    """The search is not vacuous: a private key's PEM (PKCS#8 or traditional) is found; its
    public key and a certificate for it are not."""
    key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if kind == "rsa"
        else ec.generate_private_key(ec.SECP256R1())
    )
    secret_recorder.record_key(key)
    entry = secret_recorder.KEYS[-1]
    material = [*entry["lines"], entry["hex"], entry["decimal"]]
    for private_format in (PrivateFormat.PKCS8, PrivateFormat.TraditionalOpenSSL):
        pem = key.private_bytes(Encoding.PEM, private_format, NoEncryption()).decode()
        assert _leaks({"report": pem}, material)
    certificate = LabCA("Fingerprint Test CA").issue_server("vpn.test.lab", key=key).certificate
    public = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    shown = public.decode() + certificate.public_bytes(Encoding.PEM).decode()
    assert not _leaks({"report": shown}, material)
