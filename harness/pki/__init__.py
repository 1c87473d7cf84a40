"""The lab CA: issue roots, intermediates, server and client certificates, sign CSRs.

ca = LabCA("PingLabz Root CA")
issuing = ca.intermediate("PingLabz Issuing CA")
server = issuing.issue_server("vpn.pinglabz.com")
client = issuing.issue_client(CN="alice", OU="Contractors")
signed_pem = issuing.sign_csr(csr_pem, sans=["vpn.pinglabz.com"])
"""

from harness.pki._ca import CertificateAuthority, LabCA
from harness.pki._identity import IssuedIdentity
from harness.pki._keys import KeySpec, generate_key

__all__ = ["CertificateAuthority", "IssuedIdentity", "KeySpec", "LabCA", "generate_key"]
