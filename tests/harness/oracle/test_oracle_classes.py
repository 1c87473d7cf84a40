"""The rows of the matrix: a certificate per certificate-group-map sequence that satisfies
every criterion (checked with the virtual ASA's own rule), issued by a CA the device trusts
when the harness holds one, described otherwise; a user's certificate when supplied."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from harness.oracle.classes import ClassInputs, plan_classes
from harness.oracle.model import OracleModel
from harness.oracle.records import ClientClass, ClientMaterial
from harness.oracle.synthesis import check
from harness.pki import CertificateAuthority, LabCA
from lab.emulator.device import (
    CertificateGroupMap,
    CertificateMapEntry,
    CertificateMapRule,
    CertMapField,
    CertMapOperator,
    Device,
    Interface,
    Trustpoint,
    TunnelGroup,
)
from lab.rules.client_certificate import validate_client_certificate
from lab.rules.tunnel_group import select_tunnel_group

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture(scope="module")
def corp() -> LabCA:
    return LabCA("Corp Client CA", key="ec256")


@pytest.fixture(scope="module")
def partner() -> LabCA:
    return LabCA("Partner Client CA", key="ec256")


def model_for(device: Device) -> OracleModel:
    return OracleModel(device, lambda _label: None, NOW, frozenset(), (), ())


def device_trusting(*cas: CertificateAuthority) -> Device:
    device = Device()
    device.interfaces["Gi0/0"] = Interface("Gi0/0", nameif="outside")
    device.webvpn.enabled_interfaces.append("outside")
    for index, ca in enumerate(cas):
        tp = Trustpoint(f"CA-{index}", enrollment="terminal")
        tp.ca_certificates.append(ca.certificate)
        device.trustpoints[tp.name] = tp
    return device


def add_map(device: Device, sequence: int, group: str, *rules: CertificateMapRule) -> None:
    device.certificate_maps[("CM", sequence)] = CertificateMapEntry("CM", sequence, list(rules))
    device.webvpn.certificate_group_maps.append(CertificateGroupMap("CM", sequence, group))
    device.tunnel_groups[group] = TunnelGroup(group, authentication="certificate")


def rule(
    field: CertMapField, operator: CertMapOperator, value: str, attribute: str | None = None
) -> CertificateMapRule:
    return CertificateMapRule(field, operator, value, attribute)


def only_map_class(device: Device, inputs: ClassInputs) -> ClientClass:
    classes, _ = plan_classes(model_for(device), inputs)
    (found,) = [c for c in classes if c.kind == "map"]
    return found


CRITERIA = [
    [rule("subject-name", "eq", "contractors", "ou")],
    [rule("subject-name", "co", "contract", "ou"), rule("subject-name", "nc", "eng", "ou")],
    [rule("subject-name", "ne", "engineering", "ou"), rule("subject-name", "eq", "alice", "cn")],
    [rule("subject-name", "eq", "de", "c"), rule("subject-name", "ne", "de", "c")],
    [rule("subject-name", "co", "ou=contractors")],
    [rule("subject-name", "eq", "cn=bob,o=corp")],
    [rule("alternate-subject-name", "co", "@partner.example")],
    [rule("alternate-subject-name", "eq", "host.partner.example")],
    [rule("extended-key-usage", "co", ExtendedKeyUsageOID.EMAIL_PROTECTION.dotted_string)],
    [rule("extended-key-usage", "eq", ExtendedKeyUsageOID.CLIENT_AUTH.dotted_string)],
    [rule("extended-key-usage", "nc", ExtendedKeyUsageOID.CLIENT_AUTH.dotted_string)],
    [rule("subject-name", "eq", "corp-client-ca", "ea")],
    [],
]


@pytest.mark.parametrize("rules", CRITERIA, ids=[str(i) for i in range(len(CRITERIA))])
def test_the_class_certificate_satisfies_its_sequence_and_is_trusted(
    rules: list[CertificateMapRule], corp: LabCA
) -> None:
    device = device_trusting(corp)
    add_map(device, 10, "TG-MAPPED", *rules)
    found = only_map_class(device, ClassInputs(issuers=(corp,)))
    assert found.material is not None and not found.described
    entry = device.certificate_maps[("CM", 10)]
    assert check(entry, found.material.certificate).matched
    verdict = validate_client_certificate(device, (found.material.certificate,), NOW)
    assert verdict.valid, verdict.reason
    decision = select_tunnel_group(
        device, client_certificate=found.material.certificate, group_url=None, group_select=None
    )
    assert decision.tunnel_group == "TG-MAPPED"
    assert found.needs == (tuple(r.config_line() for r in rules) or found.needs)


def test_an_issuer_criterion_picks_the_ca_it_names(corp: LabCA, partner: LabCA) -> None:
    device = device_trusting(corp, partner)
    add_map(device, 10, "TG-PARTNER", rule("issuer-name", "co", "partner", "cn"))
    found = only_map_class(device, ClassInputs(issuers=(corp, partner)))
    assert found.material is not None
    assert found.material.certificate.issuer == partner.certificate.subject
    assert "Partner Client CA" in found.origin


def test_without_a_ca_key_the_class_is_described(corp: LabCA) -> None:
    device = device_trusting(corp)
    add_map(device, 10, "TG-MAPPED", rule("subject-name", "eq", "contractors", "ou"))
    found = only_map_class(device, ClassInputs())
    assert found.described and found.material is None
    assert found.certificate is not None
    # It shows the certificate the class needs: the fields, under the trusted CA's name.
    assert found.certificate.issuer == corp.certificate.subject
    ous = found.certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    assert [a.value for a in ous] == ["contractors"]
    assert "described" in found.origin


def test_a_ca_the_device_does_not_trust_cannot_issue_for_a_class(
    corp: LabCA, partner: LabCA
) -> None:
    device = device_trusting(corp)
    add_map(device, 10, "TG-MAPPED", rule("subject-name", "eq", "contractors", "ou"))
    found = only_map_class(device, ClassInputs(issuers=(partner,)))
    assert found.described and found.material is None


def test_a_supplied_certificate_is_presented_for_its_class(corp: LabCA) -> None:
    device = device_trusting(corp)
    add_map(device, 10, "TG-MAPPED", rule("subject-name", "eq", "contractors", "ou"))
    alice = corp.issue_client(CN="alice", OU="Contractors", key="ec256")
    material = ClientMaterial(alice.certificate, alice.private_key, alice.chain)
    found = only_map_class(device, ClassInputs(supplied={"map:CM:10": material}))
    assert found.material == material and found.origin == "supplied by the user"


def test_a_supplied_certificate_that_misses_the_rules_says_so(corp: LabCA) -> None:
    device = device_trusting(corp)
    add_map(device, 10, "TG-MAPPED", rule("subject-name", "eq", "contractors", "ou"))
    bob = corp.issue_client(CN="bob", OU="Engineering", key="ec256")
    material = ClientMaterial(bob.certificate, bob.private_key, bob.chain)
    found = only_map_class(device, ClassInputs(supplied={"map:CM:10": material}))
    assert "does not satisfy the sequence" in found.origin and "Engineering" in found.origin


def test_an_undefined_sequence_gets_no_class_but_a_note(corp: LabCA) -> None:
    device = device_trusting(corp)
    device.webvpn.certificate_group_maps.append(CertificateGroupMap("GHOST", 5, "TG"))
    classes, notes = plan_classes(model_for(device), ClassInputs(issuers=(corp,)))
    assert [c.id for c in classes] == ["no-certificate", "trusted", "unknown-ca"]
    assert any("GHOST 5" in note and "undefined" in note for note in notes)


def test_a_catch_all_sequence_leaves_no_unmapped_class(corp: LabCA) -> None:
    device = device_trusting(corp)
    add_map(device, 10, "TG-ALL")
    classes, notes = plan_classes(model_for(device), ClassInputs(issuers=(corp,)))
    assert [c.id for c in classes] == ["no-certificate", "map:CM:10", "unknown-ca"]
    assert any("no 'trusted, unmapped' class" in note for note in notes)


def test_the_rows_follow_the_rule_order(corp: LabCA) -> None:
    device = device_trusting(corp)
    add_map(device, 20, "TG-B", rule("subject-name", "eq", "b", "ou"))
    add_map(device, 10, "TG-A", rule("subject-name", "eq", "a", "ou"))
    classes, _ = plan_classes(model_for(device), ClassInputs(issuers=(corp,)))
    assert [c.id for c in classes] == [
        "no-certificate",
        "map:CM:10",
        "map:CM:20",
        "trusted",
        "unknown-ca",
    ]
    unknown = classes[-1]
    assert unknown.material is not None
    assert not validate_client_certificate(device, (unknown.material.certificate,), NOW).valid


def test_no_client_ca_means_no_trusted_class() -> None:
    classes, _ = plan_classes(model_for(device_trusting()), ClassInputs())
    assert [c.id for c in classes] == ["no-certificate", "unknown-ca"]


def test_the_synthetic_subject_has_a_common_name(corp: LabCA) -> None:
    device = device_trusting(corp)
    add_map(device, 10, "TG", rule("subject-name", "eq", "x", "ou"))
    found = only_map_class(device, ClassInputs(issuers=(corp,)))
    assert found.certificate is not None
    names = found.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    assert [a.value for a in names] == ["oracle-cm-10"]
    assert isinstance(found.certificate, x509.Certificate)
