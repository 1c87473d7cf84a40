"""``replica:PATH``: a virtual ASA booted from a saved production configuration, keys from
the sidecar file; the rotation runs on it before it runs in production."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes

from harness.device import DeviceSession, LoginDetails
from harness.run.context import login_for
from harness.run.runner import run_scenario
from harness.scenario import Scenario
from lab.emulator.embedded import EmbeddedASA
from lab.targets import TargetStartError, make_target
from lab.targets.replica import ReplicaTarget
from lab.targets.replica_sidecar import SidecarError
from probes.tls import handshake

EXPORT = "replica-test-export"
ENV = "REPLICA_TARGET_TEST_PASSPHRASE"
SECRET = "Sup3rSecretCommunity"

PRODUCTION = """\
domain-name corp.example
crypto key generate rsa label VPN-RSA modulus 2048 noconfirm
crypto ca trustpoint VPN-TP
 enrollment self
 fqdn vpn.corp.example
 subject-name CN=vpn.corp.example,O=Corp
 keypair VPN-RSA
 exit
crypto ca enroll VPN-TP noconfirm
ssl trust-point VPN-TP outside
"""
#: What the virtual ASA does not model, as a production box would have it.
EXTRA = f"""\
object network WEB
 host 10.1.1.10
access-list OUT extended permit tcp any object WEB eq https
snmp-server community {SECRET}
"""


@dataclass(frozen=True)
class Production:
    config: Path
    p12: Path
    leaf_sha: bytes


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Production]:
    folder = tmp_path_factory.mktemp("production")
    with EmbeddedASA() as asa:
        login = login_for_asa(asa)
        with DeviceSession(login) as session:
            outputs = session.configure(PRODUCTION.splitlines())
            assert not any(o.failed for o in outputs)
            text = session.exec("show running-config").output
            exported = session.send(
                f"crypto ca export VPN-TP pkcs12 {EXPORT}", mode="configuration"
            )
        leaf = handshake(*asa.interface_address("outside")).served_chain[0]
    body = re.search(r"-----BEGIN PKCS12-----\n(.*?)\n-----END PKCS12-----", exported.output, re.S)
    assert body is not None
    p12 = folder / "vpn.p12"
    p12.write_bytes(base64.b64decode("".join(body.group(1).split())))
    config = folder / "running-config.txt"
    config.write_text(text.replace("webvpn\n", EXTRA + "webvpn\n") + "\n")
    yield Production(config, p12, leaf.fingerprint(hashes.SHA256()))


def login_for_asa(asa: EmbeddedASA) -> LoginDetails:
    return LoginDetails(asa.host, asa.ssh_port, asa.username, asa.password, asa.enable_password)


def write_sidecar(production: Production, text: str) -> Path:
    path = production.config.with_name("running-config.replica.yaml")
    path.write_text(text)
    return path


@pytest.fixture
def no_sidecar(production: Production) -> Iterator[None]:
    path = production.config.with_name("running-config.replica.yaml")
    path.unlink(missing_ok=True)
    yield
    path.unlink(missing_ok=True)


def test_the_prefix_makes_a_replica_target(production: Production, no_sidecar: None) -> None:
    target = make_target(f"replica:{production.config}")
    assert isinstance(target, ReplicaTarget)
    assert target.exclusive is False and target.config == production.config


def test_with_the_sidecar_keys_the_replica_serves_the_production_certificate(
    production: Production, monkeypatch: pytest.MonkeyPatch, no_sidecar: None
) -> None:
    write_sidecar(production, f"pkcs12:\n  VPN-TP: vpn.p12\npassphrase_env: {ENV}\n")
    monkeypatch.setenv(ENV, EXPORT)
    target = make_target(f"replica:{production.config}")
    access = target.start()
    try:
        assert access.kind == "replica" and access.disposable
        leaf = handshake(*access.interface("outside")).served_chain[0]
        assert leaf.fingerprint(hashes.SHA256()) == production.leaf_sha
        with DeviceSession(login_for(access)) as session:
            shown = session.exec("show running-config").output
    finally:
        target.stop()
    # Unmodelled lines are kept; the clear secret is not.
    assert "object network WEB\n host 10.1.1.10" in shown
    assert "access-list OUT extended permit tcp any object WEB eq https" in shown
    assert "snmp-server community *****" in shown and SECRET not in shown


def test_without_keys_the_replica_serves_a_labelled_stand_in(
    production: Production, no_sidecar: None
) -> None:
    target = make_target(f"replica:{production.config}")
    access = target.start()
    try:
        chain = handshake(*access.interface("outside")).served_chain
    finally:
        target.stop()
    assert chain[0].fingerprint(hashes.SHA256()) != production.leaf_sha
    assert "REPLICA STAND-IN CA" in chain[0].issuer.rfc4514_string()
    assert "vpn.corp.example" in chain[0].subject.rfc4514_string()


@pytest.mark.parametrize(
    ("sidecar", "message"),
    [
        ("passphrase: hunter2\n", "passphrase_env"),
        (f"pkcs12:\n  VPN-TP: vpn.p12\npassphrase_env: {ENV}_UNSET\n", "not set"),
        (f"pkcs12:\n  NOPE: vpn.p12\npassphrase_env: {ENV}\n", "NOPE"),
        ("pkcs12: [vpn.p12]\n", "running-config.replica.yaml:1: pkcs12"),
    ],
)
def test_a_wrong_sidecar_stops_the_start_with_a_clear_error(
    production: Production,
    monkeypatch: pytest.MonkeyPatch,
    no_sidecar: None,
    sidecar: str,
    message: str,
) -> None:
    write_sidecar(production, sidecar)
    monkeypatch.setenv(ENV, EXPORT)
    monkeypatch.delenv(f"{ENV}_UNSET", raising=False)
    target = make_target(f"replica:{production.config}")
    with pytest.raises((TargetStartError, SidecarError)) as error:
        target.start()
    target.stop()
    assert message in str(error.value)
    assert "hunter2" not in str(error.value) and EXPORT not in str(error.value)


ROTATION = {
    "name": "Rotate the production certificate on its replica",
    "pki": {
        "cas": [
            {"name": "root", "subject": "CN=Rotation Root,O=Corp"},
            {"name": "issuing", "issuer": "root", "subject": "CN=Rotation Issuing,O=Corp"},
        ]
    },
    "steps": [
        {"audit": {"expect": {"deviations": 0}}},
        {
            "rotate": {
                "interface": "outside",
                "old_trustpoint": "VPN-TP",
                "new_trustpoint": "VPN-TP-2027",
                "keypair": "VPN-RSA-2027",
                "fqdn": "vpn.corp.example",
                "subject": "CN=vpn.corp.example,O=Corp",
                "ca": "issuing",
                "authenticate": ["issuing"],
                "trust": ["root"],
                "verify": {"hostname_match": True, "trusted": True, "chain_complete": True},
            }
        },
        {"audit": {"expect": {"deviations": 0}}},
        {"exec": "show running-config", "expect": {"contains": ["access-list OUT extended"]}},
    ],
}


def test_the_rotation_runs_on_the_replica_first(production: Production, no_sidecar: None) -> None:
    scenario = Scenario.model_validate(ROTATION)
    result = run_scenario(scenario, production.config, make_target(f"replica:{production.config}"))
    failed = [
        (s.title, s.error, [c for c in s.checks if not c.passed]) for s in result.failed_steps
    ]
    assert result.status == "passed", failed
    before, after = result.steps[0], result.steps[2]
    served_before = {c["observed"]["served"] for c in before.facts["oracle_matrix"]["cells"]}
    served_after = {c["observed"]["served"] for c in after.facts["oracle_matrix"]["cells"]}
    assert served_before == {"REPLICA STAND-IN for trustpoint VPN-TP"}
    assert served_after == {"trustpoint VPN-TP-2027"}


def test_write_memory_and_reload_keep_the_replica_as_it_was(
    production: Production, no_sidecar: None
) -> None:
    scenario = Scenario.model_validate(
        {
            "name": "reload a replica",
            "steps": [
                {"write_memory": True},
                {"reload": {"save": False}},
                {
                    "exec": "show running-config",
                    "expect": {
                        "contains": [
                            "object network WEB\n host 10.1.1.10",
                            "snmp-server community *****",
                        ],
                        "not_contains": [SECRET],
                    },
                },
                {"probe": {"interface": "outside", "sni": "vpn.corp.example"}},
            ],
        }
    )
    result = run_scenario(scenario, production.config, make_target(f"replica:{production.config}"))
    assert result.status == "passed", [(s.title, s.error) for s in result.failed_steps]
    chain = result.steps[-1].chain
    assert "REPLICA STAND-IN CA" in chain[0].issuer and "vpn.corp.example" in chain[0].subject


def test_a_probe_step_recognises_the_stand_in_for_the_expected_trustpoint(
    production: Production, no_sidecar: None
) -> None:
    scenario = Scenario.model_validate(
        {
            "name": "served trustpoint on a replica without keys",
            "steps": [
                {
                    "probe": {
                        "interface": "outside",
                        "sni": "vpn.corp.example",
                        "expect": {"served_trustpoint": "VPN-TP"},
                    }
                }
            ],
        }
    )
    result = run_scenario(scenario, production.config, make_target(f"replica:{production.config}"))
    check = result.steps[0].checks[0]
    assert check.passed, check
    assert "STAND-IN for trustpoint VPN-TP" in check.evidence
