"""Shared pytest configuration; the real-server fixtures live in tests/services.py."""
import pytest

pytest_plugins = ["tests.services", "tests.core_fixtures"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist's ``--dist loadgroup`` (.ci/run) a test file runs whole on one worker, so its
    module-scoped fixtures (one shared scan) are built once; a test marked ``xdist_group`` joins that group
    instead (the Dask tests share one cluster). Without xdist the mark does nothing."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
