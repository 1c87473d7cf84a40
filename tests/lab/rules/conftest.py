"""Certificates for the rule tests: a root, an issuing CA below it, and a stranger CA."""

from __future__ import annotations

import pytest
from rule_devices import RulePki

from harness.pki import LabCA


@pytest.fixture(scope="session")
def pki() -> RulePki:
    root = LabCA("Rules Root CA")
    return RulePki(root, root.intermediate("Rules Issuing CA"), LabCA("Stranger Root CA"))
