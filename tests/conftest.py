"""Shared pytest configuration; the real-server fixtures live in tests/services.py."""
pytest_plugins = ["tests.services", "tests.core_fixtures"]
