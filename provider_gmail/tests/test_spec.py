"""The emulator against the discovery documents: every route, its parameters, its scopes and the
shapes of its answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from starlette.routing import Route

from host.providers import ProviderConnection
from provider_gmail.emulator import GoogleEmulator
from provider_gmail.emulator.app import AUTHORIZE_PATH, BATCH_PATHS, TOKEN_PATH, USERINFO_PATH
from provider_gmail.emulator.routing import GLOBAL_PARAMS


def _methods(document: dict) -> dict[str, dict]:
    found: dict[str, dict] = {}

    def walk(resources: dict) -> None:
        for resource in resources.values():
            for method in resource.get("methods", {}).values():
                found[method["id"]] = method
            walk(resource.get("resources", {}))

    walk(document["resources"])
    return found


def test_every_endpoint_is_a_documented_method_with_its_path_parameters_and_scopes(
    emulator: GoogleEmulator, documents: dict[str, dict]
) -> None:
    methods = {api: _methods(document) for api, document in documents.items()}
    assert len(emulator.api.endpoints) >= 40
    for endpoint in emulator.api.endpoints:
        api = endpoint.operation_id.split(".")[0]
        document = documents[api]
        method = methods[api].get(endpoint.operation_id)
        assert method is not None, f"{endpoint.operation_id} is not in the {api} discovery document"
        assert endpoint.http_method == method["httpMethod"], endpoint.operation_id
        assert endpoint.path == "/" + document["servicePath"] + method.get("flatPath", method["path"]), (
            endpoint.operation_id
        )
        documented = method.get("parameters", {})
        query_params = {name for name, p in documented.items() if p["location"] == "query"}
        assert endpoint.params <= query_params, (endpoint.operation_id, endpoint.params - query_params)
        assert set(endpoint.scopes) == set(method["scopes"]), endpoint.operation_id
    assert set(documents["gmail"]["parameters"]) & set(documents["calendar"]["parameters"]) >= GLOBAL_PARAMS


def test_every_served_route_is_an_endpoint_batch_or_oauth(emulator: GoogleEmulator, documents: dict[str, dict]) -> None:
    endpoint_routes = {(e.http_method, e.path) for e in emulator.api.endpoints}
    batch_path = "/" + documents["gmail"]["batchPath"]
    assert batch_path in BATCH_PATHS
    for route in emulator.app.routes:
        assert isinstance(route, Route)
        methods = (route.methods or set()) - {"HEAD"}
        if route.path in (AUTHORIZE_PATH, TOKEN_PATH, USERINFO_PATH, *BATCH_PATHS):
            continue
        assert len(methods) == 1
        assert (methods.pop(), route.path) in endpoint_routes


def check_shape(document: dict, schema: dict, value: Any, where: str) -> int:
    """Every key of ``value`` is a property the schema documents, all the way down; counts the keys."""
    if "$ref" in schema:
        schema = document["schemas"][schema["$ref"]]
    checked = 0
    if isinstance(value, dict) and "properties" in schema:
        for key, item in value.items():
            assert key in schema["properties"], f"{where}.{key} is not in {schema.get('id')}"
            checked += 1 + check_shape(document, schema["properties"][key], item, f"{where}.{key}")
    elif isinstance(value, dict) and "additionalProperties" in schema:
        for key, item in value.items():
            checked += check_shape(document, schema["additionalProperties"], item, f"{where}[{key}]")
    elif isinstance(value, list) and "items" in schema:
        for number, item in enumerate(value):
            checked += check_shape(document, schema["items"], item, f"{where}[{number}]")
    return checked


async def _get(connection: ProviderConnection, api: str, path: str, **params: Any) -> Any:
    response = await connection.http.get(connection.url(api, path), params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("path", "params", "schema"),
    [
        ("gmail/v1/users/me/profile", {}, "Profile"),
        ("gmail/v1/users/me/labels", {}, "ListLabelsResponse"),
        ("gmail/v1/users/me/labels/Label_1", {}, "Label"),
        ("gmail/v1/users/me/messages", {"maxResults": 5}, "ListMessagesResponse"),
        ("gmail/v1/users/me/threads", {"maxResults": 5}, "ListThreadsResponse"),
        ("gmail/v1/users/me/settings/vacation", {}, "VacationSettings"),
        ("gmail/v1/users/me/settings/sendAs", {}, "ListSendAsResponse"),
    ],
)
async def test_gmail_answers_have_the_documented_shape(
    connection: ProviderConnection, documents: dict[str, dict], path: str, params: dict, schema: str
) -> None:
    document = documents["gmail"]
    value = await _get(connection, "gmail", path, **params)
    assert check_shape(document, {"$ref": schema}, value, schema) > 0


@pytest.mark.parametrize("fmt", ["minimal", "raw", "metadata", "full"])
async def test_messages_and_threads_in_every_format_have_the_documented_shape(
    connection: ProviderConnection, emulator: GoogleEmulator, documents: dict[str, dict], fmt: str
) -> None:
    document = documents["gmail"]
    newest = next(emulator.mailbox.newest_first())
    message = await _get(connection, "gmail", f"gmail/v1/users/me/messages/{newest.id}", format=fmt)
    assert check_shape(document, {"$ref": "Message"}, message, "Message") >= 7
    thread = await _get(connection, "gmail", f"gmail/v1/users/me/threads/{newest.thread_id}", format=fmt)
    assert check_shape(document, {"$ref": "Thread"}, thread, "Thread") > 0
    assert ("payload" in message) == (fmt in ("metadata", "full"))
    assert ("raw" in message) == (fmt == "raw")


async def test_history_and_calendar_answers_have_the_documented_shape(
    connection: ProviderConnection, emulator: GoogleEmulator, documents: dict[str, dict]
) -> None:
    gmail, calendar = documents["gmail"], documents["calendar"]
    start = emulator.mailbox.history_id
    newest = next(emulator.mailbox.newest_first())
    body = {"removeLabelIds": ["UNREAD"], "addLabelIds": ["STARRED"]}
    response = await connection.http.post(
        connection.url("gmail", f"gmail/v1/users/me/messages/{newest.id}/modify"), json=body
    )
    assert response.status_code == 200
    history = await _get(connection, "gmail", "gmail/v1/users/me/history", startHistoryId=start)
    assert history["history"]
    assert check_shape(gmail, {"$ref": "ListHistoryResponse"}, history, "ListHistoryResponse") > 0

    listing = await _get(connection, "calendar", "calendar/v3/users/me/calendarList")
    assert check_shape(calendar, {"$ref": "CalendarList"}, listing, "CalendarList") > 10
    now = dt.datetime.now(dt.UTC)
    window = {
        "timeMin": (now - dt.timedelta(days=60)).isoformat(),
        "timeMax": (now + dt.timedelta(days=60)).isoformat(),
    }
    for single in ("true", "false"):
        events = await _get(
            connection, "calendar", "calendar/v3/calendars/primary/events", singleEvents=single, **window
        )
        assert events["items"]
        assert check_shape(calendar, {"$ref": "Events"}, events, "Events") > 20
    response = await connection.http.post(
        connection.url("calendar", "calendar/v3/freeBusy"),
        json={**window, "items": [{"id": "primary"}, {"id": "nobody@example.org"}]},
    )
    assert check_shape(calendar, {"$ref": "FreeBusyResponse"}, response.json(), "FreeBusyResponse") > 3


async def test_unknown_parameters_and_errors_answer_as_google_does(connection: ProviderConnection) -> None:
    response = await connection.http.get(connection.url("gmail", "gmail/v1/users/me/messages"), params={"maxResult": 5})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == 400 and error["status"] == "INVALID_ARGUMENT" and error["errors"][0]["reason"]
    response = await connection.http.get(connection.url("gmail", "gmail/v1/users/me/messages/0000000000000000"))
    assert response.status_code == 404
    assert response.json()["error"]["errors"][0]["reason"] == "notFound"
    response = await connection.http.get(connection.url("gmail", "gmail/v1/users/someone@else.example/profile"))
    assert response.status_code == 403
    async with httpx.AsyncClient() as stranger:
        anonymous = await stranger.get(
            connection.url("gmail", "gmail/v1/users/me/profile"), headers={"Authorization": "Bearer nonsense"}
        )
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["status"] == "UNAUTHENTICATED"
