"""Where scenarios run: the embedded virtual ASA (default), a container, or a real device.

Every target gives the same thing once started: a :class:`TargetAccess` with the SSH login
and the address of each interface's HTTPS listener, so scenarios run unchanged on all.
"""

from lab.targets.base import Target, TargetAccess, TargetStartError
from lab.targets.embedded import EmbeddedTarget
from lab.targets.registry import make_target

__all__ = ["EmbeddedTarget", "Target", "TargetAccess", "TargetStartError", "make_target"]
