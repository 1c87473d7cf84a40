"""asa-cli.md section 10.2: certificate-map sequences evaluated against certificates."""

from __future__ import annotations

import pytest
from cryptography import x509

from lab.emulator.device import CertificateMapEntry
from lab.rules.certificate_map import evaluate_criterion, evaluate_sequence
from tests.lab.rules.rule_devices import RulePki, criterion


@pytest.fixture(scope="module")
def contractor(pki: RulePki) -> x509.Certificate:
    return pki.issuing.issue_client(
        C="US",
        O="PingLabz",
        OU=["Contractors", "Engineering"],
        CN="Alice Example",
        EA="alice@partner.example.lab",
        sans=["alice@partner.example.lab", "laptop7.partner.example.lab"],
    ).certificate


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("subject-name attr cn eq alice example", True),
        ("subject-name attr cn eq alice", False),
        ("subject-name attr cn ne bob", True),
        ("subject-name attr cn ne alice example", False),
        ("subject-name attr cn co lice", True),
        ("subject-name attr cn co bob", False),
        ("subject-name attr cn nc bob", True),
        ("subject-name attr cn nc alice", False),
        ("subject-name attr o eq pinglabz", True),
        ("subject-name attr c eq us", True),
        ("subject-name attr ea co @partner.example.lab", True),
        ("subject-name attr ea eq bob@partner.example.lab", False),
    ],
)
def test_each_operator_on_one_attribute(
    contractor: x509.Certificate, line: str, expected: bool
) -> None:
    assert evaluate_criterion(criterion(line), contractor).matched is expected


def test_comparison_ignores_case(contractor: x509.Certificate) -> None:
    # The device stores the line lower-cased; the certificate says "Contractors".
    assert evaluate_criterion(criterion("subject-name attr ou eq CONTRACTORS"), contractor).matched


def test_a_multi_valued_attribute_matches_when_any_value_does(contractor: x509.Certificate) -> None:
    assert evaluate_criterion(criterion("subject-name attr ou eq engineering"), contractor).matched
    assert evaluate_criterion(criterion("subject-name attr ou eq contractors"), contractor).matched
    # "ne contractors" is satisfied by the other OU value.
    assert evaluate_criterion(criterion("subject-name attr ou ne contractors"), contractor).matched


def test_an_absent_attribute_satisfies_no_criterion(pki: RulePki) -> None:
    plain = pki.issuing.issue_client(CN="bob").certificate
    result = evaluate_criterion(criterion("subject-name attr ou ne contractors"), plain)
    assert not result.matched
    assert "has no subject-name attr ou" in result.reason


def test_whole_subject_and_issuer_fields(contractor: x509.Certificate) -> None:
    assert evaluate_criterion(criterion("subject-name co ou=contractors"), contractor).matched
    assert evaluate_criterion(
        criterion("issuer-name attr cn eq rules issuing ca"), contractor
    ).matched
    assert not evaluate_criterion(
        criterion("issuer-name attr cn eq rules root ca"), contractor
    ).matched


def test_alternate_subject_name_compares_every_san_entry(contractor: x509.Certificate) -> None:
    assert evaluate_criterion(criterion("alternate-subject-name co laptop7"), contractor).matched
    assert evaluate_criterion(
        criterion("alternate-subject-name eq alice@partner.example.lab"), contractor
    ).matched
    assert not evaluate_criterion(
        criterion("alternate-subject-name co other.lab"), contractor
    ).matched


def test_extended_key_usage_compares_the_set_of_oids(contractor: x509.Certificate) -> None:
    client_auth = "1.3.6.1.5.5.7.3.2"
    assert evaluate_criterion(criterion(f"extended-key-usage co {client_auth}"), contractor).matched
    assert evaluate_criterion(criterion(f"extended-key-usage eq {client_auth}"), contractor).matched
    assert not evaluate_criterion(
        criterion(f"extended-key-usage nc {client_auth}"), contractor
    ).matched
    assert evaluate_criterion(
        criterion("extended-key-usage nc 1.3.6.1.5.5.7.3.1"), contractor
    ).matched


def test_an_unknown_attribute_tag_never_matches(contractor: x509.Certificate) -> None:
    result = evaluate_criterion(criterion("subject-name attr zz eq x"), contractor)
    assert not result.matched
    assert "unknown attribute tag" in result.reason


def test_every_criterion_of_a_sequence_must_match(contractor: x509.Certificate) -> None:
    entry = CertificateMapEntry(
        "CM",
        10,
        [
            criterion("subject-name attr ou eq contractors"),
            criterion("issuer-name attr cn eq some other ca"),
        ],
    )
    result = evaluate_sequence(entry, "CM", 10, contractor)
    assert [c.matched for c in result.criteria] == [True, False]
    assert not result.matched
    assert result.reason.startswith("matched: ") and "failed: " in result.reason


def test_an_empty_sequence_matches_every_certificate(contractor: x509.Certificate) -> None:
    result = evaluate_sequence(CertificateMapEntry("CATCH-ALL", 99), "CATCH-ALL", 99, contractor)
    assert result.matched
    assert "no criteria" in result.reason


def test_a_sequence_missing_from_the_configuration_does_not_match(
    contractor: x509.Certificate,
) -> None:
    result = evaluate_sequence(None, "CM", 5, contractor)
    assert not result.matched
    assert "is not defined" in result.reason
