"""The probes: what an ASA really serves, checked from the client side.

* :func:`probes.tls.handshake`: one TLS handshake (SNI, client certificate, CA names).
* :func:`probes.chain.analyse`: order, completeness, trust, name and dates of a served chain.
* :func:`probes.anyconnect.discover`: the AnyConnect aggregate-auth exchange, up to the
  connection profile the gateway assigns.
"""
