"""Text the virtual ASA prints: show commands and the running configuration, per profile."""
