"""Sending a file to Team Chat: ``POST /chat/users/{userId}/messages/files``, multipart.

The spec says three things the JSON client does not do: the route's base URL is
``https://file.zoom.us/v2`` (not ``api.zoom.us``), the caller must follow HTTP 30x redirects, and it
must keep the Authorization header when redirected to another host (httpx drops it across origins).
An emulator serves the route on its own origin, so only the production API base is swapped. The request
goes through the client's ``metered``: the same limiter, 429 retries and error answers as every other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import httpx

from host.errors import TransientError
from zoom_workplace.client import API_BASE
from zoom_workplace.labels import label_for

if TYPE_CHECKING:
    from zoom_workplace.client import ZoomClient

FILE_API_BASE = "https://file.zoom.us/v2"
FILES_PATH = "/chat/users/me/messages/files"
#: More hops than this is a loop, not a load balancer.
MAX_REDIRECTS = 5


def file_base_url(api_base: str) -> str:
    """Where file uploads go for a client of ``api_base``: file.zoom.us for Zoom's API, else the same origin."""
    base = api_base.rstrip("/")
    return FILE_API_BASE if base == API_BASE else base


async def _post(http: httpx.AsyncClient, url: str, form: dict[str, str], files: dict[str, Any]) -> httpx.Response:
    """POST, following redirects by hand: each hop is a request of the authorised client, so it is signed."""
    for _ in range(MAX_REDIRECTS + 1):
        response = await http.post(url, data=form, files=files, follow_redirects=False)
        if not response.has_redirect_location:
            return response
        url = urljoin(url, response.headers["location"])
    raise TransientError(f"Zoom redirected the file upload more than {MAX_REDIRECTS} times.", hint="Try again later.")


async def send_file(
    client: ZoomClient,
    name: str,
    data: bytes,
    *,
    content_type: str,
    target: dict[str, str],
    reply_to: str | None = None,
) -> str:
    """Send ``data`` as a chat file named ``name`` to ``target`` (``to_contact``: a user id, or
    ``to_channel``), as a reply to ``reply_to`` when given; returns the file message's id."""
    url = file_base_url(client.base_url) + FILES_PATH
    form = {**target, **({"reply_main_message_id": reply_to} if reply_to else {})}
    files = {"files": (name, data, content_type)}
    response = await client.metered(
        label_for("POST", FILES_PATH),
        lambda: _post(client.http, url, form, files),
        unreachable="Zoom could not be reached to send the file",
    )
    return str(response.json().get("id", ""))
