"""python -m harness.cli: the same as the asa-harness command."""

from harness.cli import main

raise SystemExit(main())
