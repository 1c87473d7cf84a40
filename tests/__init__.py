"""The test suite. Every test folder is a package, so helper modules are imported by their full
name (``from tests.harness.parse.parse_fixtures import golden``), which pytest (rootdir on
sys.path) and mypy resolve the same way."""
