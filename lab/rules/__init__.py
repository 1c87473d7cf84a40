"""The documented ASA rules that turn configuration into wire behaviour.

The virtual ASA's listener applies them, and the oracle (expected behaviour computed
from a device's running-config) applies the very same functions, so the two cannot
silently disagree. Each rule cites its evidence in docs/fidelity.md.
"""

from lab.rules.server_identity import ServedIdentity, select_server_identity

__all__ = ["ServedIdentity", "select_server_identity"]
