"""Certificates for the rule tests: a root, an issuing CA below it, and a stranger CA."""

from __future__ import annotations

import pytest

from harness.pki import LabCA
from tests.lab.rules.rule_devices import RulePki


@pytest.fixture(scope="session")
def pki() -> RulePki:
    root = LabCA("Rules Root CA")
    return RulePki(root, root.intermediate("Rules Issuing CA"), LabCA("Stranger Root CA"))
