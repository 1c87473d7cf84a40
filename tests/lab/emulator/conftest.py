"""Fixtures for the virtual ASA's CLI tests: an in-process console, and keys made once."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from lab.emulator.device import Keypair, PrivateKey
from tests.lab.emulator.cli_console import Console


@cache
def rsa_key(name: str = "a") -> PrivateKey:
    """An RSA-2048 key per name, made once per test run (key generation is the slow part)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@cache
def ec_key(name: str = "a") -> PrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def install_key(console: Console, label: str, key: PrivateKey) -> None:
    console.device.keypairs[label] = Keypair(label, key, console.device.clock.now_utc())


@pytest.fixture
def console() -> Iterator[Console]:
    con = Console()
    yield con
    con.close()


@pytest.fixture
def legacy_console() -> Iterator[Console]:
    con = Console(profile="legacy")
    yield con
    con.close()
