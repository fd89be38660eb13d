"""A host with TestMail and a Zoom meetings plugin whose Zoom client comes from Alex's Zoom sign-in (the
emulators, the secret store, the sign-in and the opened session: zoom_workplace.testing)."""

from __future__ import annotations

import pytest
from testprovider import plugin as testmail_plugin

from host.app import Host
from host.secrets import MemorySecretStore
from zoom_meetings.plugin import ZoomMeetingsPlugin
from zoom_workplace.session import open_client

DISTRIBUTION = "zoomclient-zoom-meetings"


@pytest.fixture
def meetings_plugin(secrets: MemorySecretStore) -> ZoomMeetingsPlugin:
    return ZoomMeetingsPlugin(connect=lambda host: open_client(secrets, host))


@pytest.fixture
def host(make_host, meetings_plugin: ZoomMeetingsPlugin) -> Host:
    return make_host(testmail_plugin, (DISTRIBUTION, meetings_plugin), trusted=[DISTRIBUTION])
