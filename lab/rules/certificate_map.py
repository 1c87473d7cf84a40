"""One ``crypto ca certificate map NAME SEQ`` sequence evaluated against a certificate.

asa-cli.md section 10.2: every criterion of a sequence must match (AND); an empty sequence
matches every certificate; comparisons ignore case; a multi-valued attribute (two OUs)
satisfies a criterion when any one of its values does. Operators: ``eq`` equals, ``ne``
does not equal, ``co`` contains, ``nc`` does not contain.

Two choices the sources leave open, both [INFERENCE]: an attribute the certificate lacks
has no value, so it satisfies no criterion, not even ``ne``/``nc``; ``extended-key-usage``
compares the set of OIDs (``co``: the set holds the OID, ``eq``: it is exactly that OID).
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509

from lab.emulator.device import CertificateMapEntry, CertificateMapRule, CertMapOperator
from lab.rules.certificate_fields import UnknownAttributeTagError, field_values

_VERBS: dict[CertMapOperator, str] = {
    "eq": "equals",
    "ne": "does not equal",
    "co": "contains",
    "nc": "does not contain",
}


@dataclass(frozen=True)
class CriterionResult:
    rule: CertificateMapRule
    matched: bool
    reason: str


@dataclass(frozen=True)
class SequenceResult:
    """The verdict of one (map, sequence) on one certificate, criterion by criterion."""

    map_name: str
    sequence: int
    defined: bool
    criteria: tuple[CriterionResult, ...]

    @property
    def matched(self) -> bool:
        return self.defined and all(criterion.matched for criterion in self.criteria)

    @property
    def reason(self) -> str:
        if not self.defined:
            return f"crypto ca certificate map {self.map_name} {self.sequence} is not defined"
        if not self.criteria:
            return "the sequence has no criteria, so it matches every certificate"
        return "; ".join(
            f"{'matched' if c.matched else 'failed'}: {c.reason}" for c in self.criteria
        )


def _compare(operator: CertMapOperator, observed: str, wanted: str) -> bool:
    observed, wanted = observed.casefold(), wanted.casefold()
    if operator == "eq":
        return observed == wanted
    if operator == "ne":
        return observed != wanted
    if operator == "co":
        return wanted in observed
    return wanted not in observed


def _compare_key_usages(operator: CertMapOperator, oids: tuple[str, ...], wanted: str) -> bool:
    present = wanted in oids
    if operator == "co":
        return present
    if operator == "nc":
        return not present
    exactly = oids == (wanted,)
    return exactly if operator == "eq" else not exactly


def _field_label(rule: CertificateMapRule) -> str:
    return f"{rule.field} attr {rule.attribute}" if rule.attribute else rule.field


def evaluate_criterion(rule: CertificateMapRule, certificate: x509.Certificate) -> CriterionResult:
    line = rule.config_line()
    try:
        values = field_values(certificate, rule.field, rule.attribute)
    except UnknownAttributeTagError:
        return CriterionResult(rule, False, f"'{line}': unknown attribute tag {rule.attribute!r}")
    shown = ", ".join(repr(v) for v in values)
    if not values:
        return CriterionResult(
            rule, False, f"'{line}': the certificate has no {_field_label(rule)}"
        )
    if rule.field == "extended-key-usage":
        matched = _compare_key_usages(rule.operator, values, rule.value)
        verdict = "holds" if matched else "does not hold"
        return CriterionResult(rule, matched, f"'{line}': the key usages [{shown}] {verdict} it")
    satisfying = [v for v in values if _compare(rule.operator, v, rule.value)]
    if satisfying:
        why = f"{satisfying[0]!r} {_VERBS[rule.operator]} {rule.value!r}"
    else:
        why = f"no value of [{shown}] {_VERBS[rule.operator]} {rule.value!r}"
    return CriterionResult(rule, bool(satisfying), f"'{line}': {why}")


def evaluate_sequence(
    entry: CertificateMapEntry | None, map_name: str, sequence: int, certificate: x509.Certificate
) -> SequenceResult:
    """``entry`` is the configured sequence, or None when the configuration lacks it."""
    if entry is None:
        return SequenceResult(map_name, sequence, False, ())
    results = tuple(evaluate_criterion(rule, certificate) for rule in entry.rules)
    return SequenceResult(map_name, sequence, True, results)
