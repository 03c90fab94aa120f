"""Registry behaviour that needs no server: a missing optional SDK names the extra to install."""
from __future__ import annotations

import sys

import pytest

from scanner.connectors import connector_class
from scanner.errors import MissingDependency


@pytest.mark.parametrize("scheme,sdk,extra", [("smb", "smbclient", "smb"), ("az", "azure.storage.blob", "azure")])
def test_missing_sdk_names_the_extra(monkeypatch, scheme, sdk, extra):
    module = {"smb": "scanner.connectors.smb", "az": "scanner.connectors.azure"}[scheme]
    monkeypatch.delitem(sys.modules, module, raising=False)
    monkeypatch.setitem(sys.modules, sdk, None)      # makes `import sdk` fail like an absent package
    with pytest.raises(MissingDependency) as err:
        connector_class(scheme)
    message = str(err.value)
    assert f"pii-scan[{extra}]" in message and "\n" not in message
