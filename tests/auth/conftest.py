"""Shared fixtures of the sign-in tests: a real authorization server on 127.0.0.1.

``oauth_server(**config)`` starts an emulator-like app (the sandbox OAuthServer plus one protected
API route, ``GET /api/whoami`` needing ``test.mail.read``) under uvicorn on an ephemeral port and
returns an ``oauth_support.Served``; ``GET /api/slow`` answers after 30 s and sets ``Served.waiting`` when
a request arrives; every server is stopped when its test ends. ``clock`` is the
server's time, which tests move forward instead of sleeping.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from host.sandbox.oauth import OAuthServer, OAuthServerConfig
from host.sandbox.runner import ServerThread

# The test modules import their shared constants and helpers as ``oauth_support``.
sys.path.insert(0, str(Path(__file__).parent))

from oauth_support import CALENDAR, CLIENT_ID, IDENTITY, MAIL, REDIRECT_PATH, USER, Clock, Served


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def oauth_server(clock: Clock) -> Iterator[Callable[..., Served]]:
    servers: list[ServerThread] = []

    def start(**config: Any) -> Served:
        oauth = OAuthServer(
            OAuthServerConfig(
                clients={CLIENT_ID: REDIRECT_PATH},
                users=[USER, ("grace@example.com", "Grace Hopper")],
                scopes=(*IDENTITY, *MAIL, *CALENDAR),
                clock=clock,
                **config,
            )
        )

        async def whoami(request: Request) -> JSONResponse:
            token = oauth.require_token(request, scopes=("test.mail.read",))
            return JSONResponse({"email": token.email, "scopes": sorted(token.scopes)})

        waiting = threading.Event()

        async def slow(request: Request) -> JSONResponse:
            waiting.set()
            await asyncio.sleep(30)
            return JSONResponse({})

        app = Starlette(routes=[*oauth.routes, Route("/api/whoami", whoami), Route("/api/slow", slow)])
        server = ServerThread(app, name="oauth-test")
        servers.append(server)
        return Served(server.start(), oauth, waiting)

    yield start
    for server in servers:
        server.stop()
