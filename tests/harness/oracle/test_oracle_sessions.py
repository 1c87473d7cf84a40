"""A certificate-only login completes without naming its tunnel-group: the oracle reads it
from the session table, then logs the session off."""

from __future__ import annotations

from harness.run.runner import run_scenario
from harness.scenario import Scenario
from lab.targets import EmbeddedTarget
from tests.harness.oracle.oracle_support import ROOT

SCENARIO = {
    "name": "certificate-only map target",
    "pki": {
        "cas": [{"name": "client-root", "subject": "CN=Session Client CA,O=Corp"}],
    },
    "steps": [
        {
            "configure": "\n".join(
                [
                    "crypto key generate rsa label K modulus 2048 noconfirm",
                    "crypto ca trustpoint TP",
                    " enrollment self",
                    " fqdn vpn.corp.example",
                    " keypair K",
                    " exit",
                    "crypto ca enroll TP noconfirm",
                    "ssl trust-point TP outside",
                    "crypto ca trustpoint CLIENT-CA",
                    " enrollment terminal",
                    " exit",
                ]
            )
        },
        {"authenticate": {"trustpoint": "CLIENT-CA", "ca": "client-root"}},
        {
            "configure": "\n".join(
                [
                    "tunnel-group CERT-ONLY type remote-access",
                    "tunnel-group CERT-ONLY webvpn-attributes",
                    " authentication certificate",
                    "crypto ca certificate map CM 10",
                    " subject-name attr ou eq staff",
                    " exit",
                    "webvpn",
                    " certificate-group-map CM 10 CERT-ONLY",
                ]
            )
        },
        {"audit": {"expect": {"deviations": 0}}},
        {"exec": "show vpn-sessiondb anyconnect", "expect": {"contains": ["no active sessions"]}},
    ],
}


def test_the_group_of_a_certificate_only_login_comes_from_the_session_table() -> None:
    scenario = Scenario.model_validate(SCENARIO)
    result = run_scenario(scenario, ROOT / "scenarios/x.yaml", EmbeddedTarget())
    assert result.status == "passed", [(s.title, s.error) for s in result.failed_steps]
    matrix = result.steps[3].facts["oracle_matrix"]
    cell = next(c for c in matrix["cells"] if c["client"] == "map:CM:10")
    assert cell["expected"]["login"]["outcome"] == "complete"
    observed = cell["observed"]
    assert observed["outcome"] == "complete"
    assert (observed["tunnel_group"], observed["tunnel_group_source"]) == (
        "CERT-ONLY",
        "session table",
    )
    assert (
        "tunnel-group CERT-ONLY (show vpn-sessiondb anyconnect); logged off"
        in (observed["notes"][0])
    )
    # Without a certificate the certificate-only group is never reached: the default group.
    plain = next(c for c in matrix["cells"] if c["client"] == "no-certificate")
    assert plain["observed"]["tunnel_group"] == "DefaultWEBVPNGroup"
