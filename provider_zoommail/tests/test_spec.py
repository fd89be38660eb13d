"""The emulator against the Zoom Mail and Zoom Calendar specs: every route, its query parameters, its
scopes, its rate limit label and the shapes of its answers."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from starlette.routing import Mount, Route

from host.providers import ProviderConnection
from provider_zoommail.emulator import ZoomEmulator, quota
from provider_zoommail.emulator.app import AUTHORIZE_PATH, TOKEN_PATH, USER_PATH

METHODS = ("get", "post", "put", "patch", "delete")


def operations(spec: dict) -> dict[tuple[str, str], dict]:
    """(HTTP method, ``/v2`` + path) -> the operation, with its path-level parameters merged in."""
    found = {}
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                operation = dict(item[method])
                operation["parameters"] = [*item.get("parameters", []), *operation.get("parameters", [])]
                found[(method.upper(), "/v2" + path)] = operation
    return found


def test_every_endpoint_is_an_operation_of_the_specs_with_its_parameters_and_scopes(
    emulator: ZoomEmulator, specs: dict[str, dict]
) -> None:
    documented = {**operations(specs["mail"]), **operations(specs["calendar"]), **operations(specs["users"])}
    assert len(emulator.api.endpoints) >= 45
    for endpoint in emulator.api.endpoints:
        operation = documented.get((endpoint.http_method, endpoint.path))
        assert operation is not None, f"{endpoint.http_method} {endpoint.path} is in no spec"
        if endpoint.path != USER_PATH:
            assert endpoint.operation_id == operation["operationId"]
        query = {p["name"] for p in operation["parameters"] if p.get("in") == "query"}
        assert endpoint.params <= query, (endpoint.operation_id, endpoint.params - query)
        path_params = {p["name"] for p in operation["parameters"] if p.get("in") == "path"}
        assert path_params == set(re.findall(r"\{(\w+)\}", endpoint.path)), endpoint.operation_id
        # The mail and calendar scopes are the classic (macro) ones; the profile also takes its granular one.
        scopes = operation["x-extensions"]
        wanted = set(scopes["x-macro-scopes"])
        if endpoint.path == USER_PATH:
            wanted |= set(scopes["x-granular-scopes"])
        assert set(endpoint.scopes) == wanted, endpoint.operation_id


@pytest.mark.parametrize("platform", [True, False], ids=["with-the-zoom-platform", "alone"])
def test_every_served_route_is_an_endpoint_or_zooms_oauth(options, platform: bool) -> None:
    emulator = ZoomEmulator(options, platform=platform)
    endpoint_routes = {(e.http_method, e.path) for e in emulator.api.endpoints}
    assert ("GET", USER_PATH) in endpoint_routes or platform  # the platform's profile stands in for its own
    for route in emulator.app.routes:
        if platform and isinstance(route, Mount):
            # Zoom's other APIs, from zoomclient-zoom-workplace: its tests check them against their specs.
            assert route.app is emulator.platform.api
            continue
        assert isinstance(route, Route)
        if route.path in (AUTHORIZE_PATH, TOKEN_PATH):
            continue
        methods = (route.methods or set()) - {"HEAD"}
        assert len(methods) == 1
        assert (methods.pop(), route.path) in endpoint_routes


#: Operations of the specs the emulator leaves out, because the providers do not use them (README).
LEFT_OUT = {
    ("POST", "/emails/mailboxes/{email}/messages"),  # import
    ("DELETE", "/emails/mailboxes/{email}/threads/{threadId}"),
    ("POST", "/emails/mailboxes/{email}/threads/{threadId}/modify"),
    ("POST", "/emails/mailboxes/{email}/threads/{threadId}/trash"),
    ("POST", "/emails/mailboxes/{email}/threads/{threadId}/untrash"),
}


def test_what_the_emulator_leaves_out_of_the_specs_is_listed(emulator: ZoomEmulator, specs: dict[str, dict]) -> None:
    served = {(e.http_method, e.path) for e in emulator.api.endpoints}
    mail = {(method, path[3:]) for method, path in operations(specs["mail"]) if (method, path) not in served}
    assert {(m, p) for m, p in mail if "/delegates" not in p} == LEFT_OUT
    calendar = {(method, path[3:]) for method, path in operations(specs["calendar"]) if (method, path) not in served}
    # Of the calendar: the acl, calendar and calendar-list editing, colours, import, quickAdd and move.
    assert all(m != "GET" or p.endswith(("/acl", "/acl/{aclId}", "/colors")) for m, p in calendar), calendar
    # Neither spec has a batch endpoint or signatures (sendAs): the provider declares neither.
    assert not any(
        "sendAs" in path or "signature" in path or path.endswith("/batch") for path in specs["mail"]["paths"]
    )


@pytest.mark.parametrize("api", ["mail", "calendar"])
def test_every_operation_is_metered_by_its_rate_limit_label(specs: dict[str, dict], api: str) -> None:
    policy = quota.policy()
    checked = 0
    for (method, path), operation in operations(specs[api]).items():
        label = re.search(r"Rate Limit Label[^`]*`(\w+)`", operation["description"])
        assert label is not None, operation["operationId"]
        concrete = re.sub(r"\{(\w+)\}", lambda m: "a.b@example.com" if m.group(1) == "email" else "x1", path)
        assert policy.cost(method, concrete) == quota.COST[label.group(1)], (operation["operationId"], label.group(1))
        checked += 1
    assert checked == len(operations(specs[api]))


# -- shapes -----------------------------------------------------------------------------------------


def resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def properties(spec: dict, schema: dict) -> dict[str, dict] | None:
    """The properties a schema allows (allOf and oneOf merged), or None when it says nothing of them."""
    schema = resolve(spec, schema)
    merged: dict[str, dict] = dict(schema.get("properties", {}))
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            merged.update(properties(spec, part) or {})
    return merged or None


def check_shape(spec: dict, schema: dict, value: Any, where: str, extras: frozenset[str] = frozenset()) -> int:
    """Every key of ``value`` is a property the schema documents (or one of ``extras``), all the way
    down; counts the keys."""
    schema = resolve(spec, schema)
    checked = 0
    allowed = properties(spec, schema)
    if isinstance(value, dict) and allowed is not None:
        for key, item in value.items():
            if key in extras:
                continue
            assert key in allowed, f"{where}.{key} is not in the spec"
            checked += 1 + check_shape(spec, allowed[key], item, f"{where}.{key}", extras)
    elif isinstance(value, list) and "items" in schema:
        for number, item in enumerate(value):
            checked += check_shape(spec, schema["items"], item, f"{where}[{number}]", extras)
    return checked


#: What the emulator's events carry beyond the listing's event schema: Google Calendar's fields for a
#: recurring series' instances (which Zoom Calendar expands as Google does), etags, and the
#: attendees' ``organizer`` and ``self``, which the spec documents on the insert's answer only.
EVENT_EXTRAS = frozenset({"etag", "iCalUID", "sequence", "recurringEventId", "originalStartTime", "self", "organizer"})


async def test_answers_have_the_specs_shapes(
    connection: ProviderConnection, emulator: ZoomEmulator, specs: dict[str, dict]
) -> None:
    http = connection.http
    base = connection.endpoints["zoom"]
    documented = {**operations(specs["mail"]), **operations(specs["calendar"])}
    message_id = next(iter(emulator.mailbox.messages))
    calls = [
        ("GET", "/emails/mailboxes/{email}/profile", "/emails/mailboxes/me/profile", None),
        ("GET", "/emails/mailboxes/{email}/labels", "/emails/mailboxes/me/labels", None),
        ("GET", "/emails/mailboxes/{email}/messages", "/emails/mailboxes/me/messages?maxResults=5", None),
        (
            "GET",
            "/emails/mailboxes/{email}/messages/{messageId}",
            f"/emails/mailboxes/me/messages/{message_id}?format=full",
            None,
        ),
        ("GET", "/emails/mailboxes/{email}/threads", "/emails/mailboxes/me/threads?maxResults=3", None),
        ("GET", "/emails/mailboxes/{email}/drafts", "/emails/mailboxes/me/drafts", None),
        ("GET", "/emails/mailboxes/{email}/settings/vacation", "/emails/mailboxes/me/settings/vacation", None),
        ("GET", "/calendars/users/{userIdentifier}/calendarList", "/calendars/users/me/calendarList", None),
        (
            "GET",
            "/calendars/{calId}/events",
            "/calendars/primary/events?singleEvents=true&maxResults=20",
            None,
        ),
        ("GET", "/calendars/users/{userIdentifier}/settings", "/calendars/users/me/settings", None),
        (
            "POST",
            "/calendars/freeBusy",
            "/calendars/freeBusy",
            {"timeMin": "2020-01-01T00:00:00Z", "timeMax": "2035-01-01T00:00:00Z", "items": [{"id": "primary"}]},
        ),
    ]
    checked = 0
    for method, spec_path, url, body in calls:
        response = await http.request(method, base + url, json=body)
        assert response.status_code == 200, (url, response.text)
        operation = documented[(method, "/v2" + spec_path)]
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        spec = specs["calendar"] if spec_path.startswith("/calendars") else specs["mail"]
        checked += check_shape(spec, schema, response.json(), url, EVENT_EXTRAS)
    assert checked > 200


async def test_errors_have_zooms_shape(connection: ProviderConnection) -> None:
    base = connection.endpoints["zoom"]
    missing = await connection.http.get(base + "/emails/mailboxes/me/messages/nope")
    assert missing.status_code == 404 and set(missing.json()) == {"code", "message"}
    unknown = await connection.http.get(base + "/emails/mailboxes/me/messages", params={"fields": "id"})
    assert unknown.status_code == 400 and unknown.json()["code"] == 400
    # What the specs require of request bodies: a label's parent (empty at the top), enableAutoReply.
    label = await connection.http.post(base + "/emails/mailboxes/me/labels", json={"name": "No parent"})
    assert label.status_code == 400
    patched = await connection.http.patch(base + "/emails/mailboxes/me/labels/Label_1", json={"name": "Only name"})
    assert patched.status_code == 400
    vacation = await connection.http.put(base + "/emails/mailboxes/me/settings/vacation", json={"responseSubject": "x"})
    assert vacation.status_code == 400 and vacation.json()["code"] == 400
    async with httpx.AsyncClient() as anonymous:
        refused = await anonymous.get(base + "/calendars/users/me/calendarList")
    assert refused.status_code == 401 and refused.json() == {"code": 124, "message": "Invalid access token."}
