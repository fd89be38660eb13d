"""A host with TestMail and a Zoom Phone plugin whose Zoom client comes from the Zoom sign-in (the emulators,
the secret store, the sign-in as ``zoom_user`` and the opened session: zoom_workplace.testing)."""

from __future__ import annotations

import pytest
from testprovider import plugin as testmail_plugin

from host.app import Host
from host.secrets import MemorySecretStore
from zoom_phone.plugin import ZoomPhonePlugin
from zoom_workplace.session import open_client

DISTRIBUTION = "zoomclient-zoom-phone"


@pytest.fixture
def phone_plugin(secrets: MemorySecretStore) -> ZoomPhonePlugin:
    return ZoomPhonePlugin(connect=lambda host: open_client(secrets, host))


@pytest.fixture
def host(make_host, phone_plugin: ZoomPhonePlugin) -> Host:
    return make_host(testmail_plugin, (DISTRIBUTION, phone_plugin))
