"""``asa-harness audit``: the matrix as text, JSON or HTML; exit 0 without deviations, 1 with,
2 when the target cannot be used."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.cli import main
from harness.run.pki_store import PkiStore
from tests.harness.oracle.oracle_support import ROOT, export_configuration, finished


@dataclass(frozen=True)
class Saved:
    config: Path
    pki: PkiStore


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Saved:
    """A configuration saved from a virtual ASA after the certificate-map scenario."""
    folder = tmp_path_factory.mktemp("audit-cli")
    with finished(ROOT / "scenarios/06_certificate_map_routing.yaml") as done:
        config, _ = export_configuration(done.access, folder)
    return Saved(config, done.pki)


@pytest.fixture
def production(saved: Saved) -> Path:
    return saved.config


def test_a_ca_key_or_a_client_certificate_makes_the_classes_probeable(
    saved: Saved,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AUDIT_TEST_P12", "audit-test-p12")
    issuer = tmp_path / "client-ca.p12"
    issuer.write_bytes(saved.pki.ca("client-root").identity.pkcs12(b"audit-test-p12"))
    alice = tmp_path / "alice.p12"
    alice.write_bytes(saved.pki.identity("contractor").pkcs12(b"audit-test-p12"))
    target = f"replica:{saved.config}"
    code = main(
        [
            "audit",
            "--target",
            target,
            "--json",
            "--issuer",
            str(issuer),
            "--passphrase-env",
            "AUDIT_TEST_P12",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["summary"]["not_probed"] == 0
    mapped = next(c for c in data["cells"] if c["client"] == "map:CONTRACTOR-MAP:10")
    assert mapped["observed"]["tunnel_group"] == "CONTRACTOR_PROFILE"
    code = main(
        [
            "audit",
            "--target",
            target,
            "--json",
            "--client",
            f"map:CONTRACTOR-MAP:10={alice}",
            "--passphrase-env",
            "AUDIT_TEST_P12",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    mapped = next(c for c in data["cells"] if c["client"] == "map:CONTRACTOR-MAP:10")
    assert code == 0 and mapped["status"] == "pass"
    assert mapped["observed"]["tunnel_group"] == "CONTRACTOR_PROFILE"
    described = {c["id"] for c in data["classes"] if c["described"]}
    assert described == {"trusted"}


def test_audit_of_a_replica_prints_the_matrix_and_exits_0(
    production: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "audit.html"
    code = main(["audit", "--target", f"replica:{production}", "--html", str(page)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"oracle audit of replica:{production}" in out
    assert "0 deviation(s)" in out
    # The production client CA's key is not here: the map class is described, not probed.
    assert "certificate map CONTRACTOR-MAP 10 -> CONTRACTOR_PROFILE needs: " in out
    assert "subject-name attr ou eq contractors" in out
    assert '<table class="asa-matrix">' in page.read_text()


def test_json_output_is_the_matrix(production: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["audit", "--target", f"replica:{production}", "--json", "--sni", "-"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["kind"] == "oracle-matrix" and data["stand_ins"] is True
    assert [c["id"] for c in data["columns"]] == ["outside/-"]
    served = {c["observed"]["served"] for c in data["cells"] if c["observed"]}
    assert served == {"REPLICA STAND-IN for trustpoint PINGLABZ-SELFSIGNED"}


def test_a_configuration_the_device_does_not_run_exits_1_with_the_deviation(
    production: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    intended = tmp_path / "intended.txt"
    text = production.read_text()
    for line in (" authentication aaa certificate\n", " certificate-group-map CONTRACTOR-MAP 10"):
        assert line in text
    intended.write_text(
        text.replace(" authentication aaa certificate\n", "")
        .replace(" certificate-group-map CONTRACTOR-MAP 10 CONTRACTOR_PROFILE\n", "")
        # as `more system:running-config` shows it: the oracle must never print it
        .replace("webvpn\n", "snmp-server community Clear-Community-9\nwebvpn\n")
    )
    code = main(["audit", "--target", f"replica:{production}", "--config", str(intended)])
    out = capsys.readouterr().out
    assert code == 1, out
    assert f"expectations from configuration file {intended}" in out
    section = out[out.index("deviations:") :]
    for client in ("no client certificate", "certificate from a CA the device does not trust"):
        assert f"* {client} @ outside, no SNI: client-certificate-request" in section
    assert "    expected: not requested\n    observed: requested" in section
    assert "no reachable tunnel-group uses certificate authentication" in section
    assert "snmp-server community *****" in out and "Clear-Community-9" not in out


def test_an_unknown_target_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--target", "no-such-target"]) == 2
    assert "unknown target 'no-such-target'" in capsys.readouterr().err


def test_a_missing_configuration_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--target", f"replica:{tmp_path / 'missing.txt'}"]) == 2
    assert "cannot read the configuration" in capsys.readouterr().err
