"""``asa-harness probe``: JSON keys, exit statuses 0/1/2, clear one-line errors."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from harness.cli import main
from tests.conftest import LabPki

HOST = "vpn.example.lab"
PASSPHRASE = "correct horse battery"


@pytest.fixture
def files(lab_ca: LabPki, tmp_path: Path) -> dict[str, Path]:
    server = lab_ca.issuing.issue_server(HOST)
    alice = lab_ca.issuing.issue_client(CN="alice", OU="Contractors")
    paths = {
        "server": tmp_path / "server.pem",
        "server_key": tmp_path / "server.key",
        "chain": tmp_path / "chain.pem",
        "root": tmp_path / "root.pem",
        "client_cas": tmp_path / "client-cas.pem",
        "alice_p12": tmp_path / "alice.p12",
    }
    paths["server"].write_bytes(server.cert_pem)
    paths["server_key"].write_bytes(server.key_pem())
    paths["chain"].write_bytes(lab_ca.issuing.identity.cert_pem)
    paths["root"].write_bytes(lab_ca.root.identity.cert_pem)
    paths["client_cas"].write_bytes(lab_ca.issuing.identity.cert_pem)
    paths["alice_p12"].write_bytes(alice.pkcs12(PASSPHRASE.encode()))
    return paths


@pytest.fixture
def serve(tool: Callable[[str], str], files: dict[str, Path]) -> Iterator[Callable[..., str]]:
    """Start `openssl s_server` with the lab server certificate; return ``127.0.0.1:PORT``."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(*options: str) -> str:
        process = subprocess.Popen(
            [
                tool("openssl"),
                "s_server",
                "-accept",
                "127.0.0.1:0",
                "-www",
                "-cert",
                str(files["server"]),
                "-key",
                str(files["server_key"]),
                "-cert_chain",
                str(files["chain"]),
                *options,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        address: list[str] = []
        ready = threading.Event()

        def drain() -> None:
            assert process.stdout is not None
            for line in process.stdout:  # s_server prints ACCEPT once it listens
                match = re.match(rb"ACCEPT (\S+:\d+)", line)
                if match and not address:
                    address.append(match.group(1).decode())
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        assert ready.wait(20) and address, "openssl s_server did not start"
        return address[0]

    yield start
    for process in processes:
        process.kill()
        process.wait()


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    status = main(["probe", *arguments])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_json_report_and_exit_0(
    serve: Callable[..., str], files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    target = serve()

    status, out, err = run(capsys, target, "--sni", HOST, "--ca", str(files["root"]), "--json")

    report = json.loads(out)
    assert status == 0, (out, err)
    required = {"served_chain", "tls_version", "cipher", "hostname_match", "chain"}
    required |= {"client_cert_requested", "client_ca_names", "anyconnect", "diagnoses"}
    assert required <= set(report)
    assert [c["subject"] for c in report["served_chain"]] == [
        "CN=vpn.example.lab",
        "CN=PingLabz Test Issuing CA",
    ]
    assert set(report["served_chain"][0]) >= {
        "subject",
        "issuer",
        "serial",
        "not_before",
        "not_after",
        "sha256",
        "self_signed",
    }
    assert report["hostname_match"] is True and report["anyconnect"] is None
    assert report["chain"]["complete"] is True and report["chain"]["trusted"] is True
    assert report["chain"]["missing_issuer"] is None and report["chain"]["order_ok"] is True
    assert report["client_cert_requested"] is False and report["diagnoses"] == []


def test_human_output(
    serve: Callable[..., str], files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, serve(), "--sni", HOST, "--ca", str(files["root"]))

    assert status == 0
    assert "Served chain" in out and "Verdicts" in out and "SHA-256" in out
    assert "matches vpn.example.lab (SAN)" in out and "Diagnoses\n  none" in out


def test_failed_verdict_exits_1(
    serve: Callable[..., str], files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(
        capsys, serve(), "--sni", HOST, "--hostname", "other.example.lab", "--json"
    )

    assert status == 1
    assert "FQDN_MISMATCH" in [d["code"] for d in json.loads(out)["diagnoses"]]


def test_unmet_client_certificate_expectation_exits_1(
    serve: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, serve(), "--sni", HOST, "--expect-client-cert-request")

    assert status == 1 and "CLIENT_CERT_NOT_REQUESTED" in out


def test_client_certificate_from_pkcs12(
    serve: Callable[..., str],
    files: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALICE_P12_PASS", PASSPHRASE)
    target = serve(
        "-Verify",
        "2",
        "-verify_return_error",
        "-partial_chain",
        "-CAfile",
        str(files["client_cas"]),
    )

    status, out, err = run(
        capsys, target, "--sni", HOST, "--pkcs12", str(files["alice_p12"]),
        "--passphrase-env", "ALICE_P12_PASS", "--expect-client-cert-request", "--json",
    )  # fmt: skip

    report = json.loads(out)
    assert status == 0, report["diagnoses"]
    assert report["client_cert_requested"] is True and report["client_cert_sent"] is True
    assert report["client_ca_names"] == ["CN=PingLabz Test Issuing CA"]
    assert PASSPHRASE not in out + err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--pkcs12", "{missing}", "--passphrase-env", "ALICE_P12_PASS"], "does not exist"),
        (["--pkcs12", "{p12}", "--passphrase-env", "WRONG_PASS"], "wrong passphrase"),
        (["--pkcs12", "{p12}", "--passphrase-env", "UNSET_VARIABLE_FOR_TEST"], "is not set"),
        (["--pkcs12", "{p12}"], "needs --passphrase-env"),
        (["--cert", "{p12}"], "--cert and --key go together"),
        (["--ca", "{missing}"], "No such file"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, Path],
    tmp_path: Path,
    arguments: list[str],
    message: str,
) -> None:
    monkeypatch.setenv("ALICE_P12_PASS", PASSPHRASE)
    monkeypatch.setenv("WRONG_PASS", "not it")
    monkeypatch.delenv("UNSET_VARIABLE_FOR_TEST", raising=False)
    names = {"missing": str(tmp_path / "absent.p12"), "p12": str(files["alice_p12"])}

    status, out, err = run(capsys, "127.0.0.1:9", *[a.format(**names) for a in arguments])

    assert status == 2 and out == ""
    assert message in err and err.count("\n") == 1 and err.startswith("asa-harness probe: ")
    assert PASSPHRASE not in err and "not it" not in err


@pytest.mark.parametrize("target", ["vpn:notaport", "vpn:0", "[::1]x"])
def test_bad_target(capsys: pytest.CaptureFixture[str], target: str) -> None:
    status, _, err = run(capsys, target)

    assert status == 2 and "port" in err


def test_connection_refused_exits_2_without_traceback() -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]  # bound, never listening: connections are refused

        done = subprocess.run(
            [sys.executable, "-m", "harness.cli", "probe", f"127.0.0.1:{port}", "--timeout", "2"],
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert done.returncode == 2 and done.stdout == ""
    assert (
        done.stderr
        == f"asa-harness probe: cannot connect to 127.0.0.1:{port}: Connection refused\n"
    )


def test_connection_error_still_prints_the_json_report(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        status, out, err = run(capsys, f"127.0.0.1:{placeholder.getsockname()[1]}", "--json")

    report = json.loads(out)
    assert status == 2 and "Connection refused" in err
    assert report["failure"]["kind"] == "refused" and report["served_chain"] == []
    assert [d["code"] for d in report["diagnoses"]] == ["HANDSHAKE_FAILED"]


def test_sni_follows_the_hostname_unless_told_otherwise(
    serve: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    target = serve()

    _, by_name, _ = run(capsys, target, "--hostname", HOST, "--json")
    _, without, _ = run(capsys, target, "--hostname", HOST, "--no-sni", "--json")

    assert json.loads(by_name)["sni"] == HOST and json.loads(without)["sni"] is None
