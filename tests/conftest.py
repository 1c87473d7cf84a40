"""Fixtures shared by the whole suite.

* ``require_tool("openssl")`` skips a test when a system program is missing, except in CI
  (``CI=true``), where a missing tool fails the test: CI installs every tool the suite needs.
* ``virtual_asa``: a fresh virtual ASA per test (starting one takes milliseconds).
* ``asa_session``: a scrapli DeviceSession logged in to it (privileged mode).
* ``lab_ca``: a root CA and an issuing intermediate, once per test session.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from harness.device import DeviceSession, LoginDetails
from harness.pki import CertificateAuthority, LabCA
from lab.emulator.embedded import EmbeddedASA


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require_tool(name: str) -> str:
    """Path of a system program; skip (locally) or fail (CI) when it is missing."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (Debian package: see .ci/run)"
    if in_ci():
        pytest.fail(f"{message}; CI must provide it")
    pytest.skip(message)


@pytest.fixture
def tool() -> Callable[[str], str]:
    return require_tool


@pytest.fixture
def virtual_asa() -> Iterator[EmbeddedASA]:
    with EmbeddedASA() as asa:
        yield asa


def login_for(asa: EmbeddedASA) -> LoginDetails:
    return LoginDetails(asa.host, asa.ssh_port, asa.username, asa.password, asa.enable_password)


@pytest.fixture
def asa_session(virtual_asa: EmbeddedASA) -> Iterator[DeviceSession]:
    with DeviceSession(login_for(virtual_asa)) as session:
        yield session


@dataclass(frozen=True)
class LabPki:
    root: LabCA
    issuing: CertificateAuthority


@pytest.fixture(scope="session")
def lab_ca() -> LabPki:
    root = LabCA("PingLabz Test Root CA")
    return LabPki(root, root.intermediate("PingLabz Test Issuing CA"))
