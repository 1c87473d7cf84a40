"""Loading the client certificate a probe presents."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.pki import IssuedIdentity
from probes.identity import ClientIdentity, ClientIdentityError
from tests.conftest import LabPki


@pytest.fixture(scope="module")
def alice(lab_ca: LabPki) -> IssuedIdentity:
    return lab_ca.issuing.issue_client(CN="alice", OU="Contractors", key="ec256")


def test_pem_files_with_chain(alice: IssuedIdentity, tmp_path: Path, lab_ca: LabPki) -> None:
    cert, key = alice.write(tmp_path, "alice")

    identity = ClientIdentity.from_pem_files(cert, key)

    assert identity.certificate == alice.certificate
    assert identity.chain == (lab_ca.issuing.certificate, lab_ca.root.certificate)


def test_encrypted_key(alice: IssuedIdentity, tmp_path: Path) -> None:
    cert, _ = alice.write(tmp_path, "alice")
    key = tmp_path / "encrypted.key"
    key.write_bytes(alice.key_pem(b"s3cret"))

    assert ClientIdentity.from_pem_files(cert, key, b"s3cret").certificate == alice.certificate
    with pytest.raises(ClientIdentityError, match="encrypted: give its passphrase"):
        ClientIdentity.from_pem_files(cert, key)
    with pytest.raises(ClientIdentityError, match="wrong passphrase"):
        ClientIdentity.from_pem_files(cert, key, b"wrong")


def test_pkcs12(alice: IssuedIdentity, tmp_path: Path) -> None:
    bundle = tmp_path / "alice.p12"
    bundle.write_bytes(alice.pkcs12(b"p12-pass"))

    identity = ClientIdentity.from_pkcs12(bundle, b"p12-pass")

    assert identity.certificate == alice.certificate and len(identity.chain) == 2
    with pytest.raises(ClientIdentityError, match="wrong passphrase"):
        ClientIdentity.from_pkcs12(bundle, b"nope")


def test_missing_files_and_mismatched_key(
    alice: IssuedIdentity, lab_ca: LabPki, tmp_path: Path
) -> None:
    cert, _ = alice.write(tmp_path, "alice")
    _, other_key = lab_ca.issuing.issue_client(CN="bob").write(tmp_path, "bob")

    with pytest.raises(ClientIdentityError, match="does not exist"):
        ClientIdentity.from_pkcs12(tmp_path / "absent.p12", b"x")
    with pytest.raises(ClientIdentityError, match="no certificate in"):
        ClientIdentity.from_pem_files(cert, other_key)
    with pytest.raises(ClientIdentityError, match="does not belong"):
        ClientIdentity.from_objects(alice.certificate, lab_ca.root.private_key)
