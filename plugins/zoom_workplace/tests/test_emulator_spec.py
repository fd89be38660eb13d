"""The emulator against the specs: every served route is a real Zoom endpoint (the OpenAPI specs of
users, Team Chat and Phone, or the rivet list for meetings, recordings and metrics), the labels the
client meters by are the ones the specs state, and answers use the specs' field names."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from zoom_workplace.emulator.app import ZoomEmulator
from zoom_workplace.labels import ENDPOINT_LABELS

SPECS = Path(__file__).resolve().parents[3].parent / "shared" / "specs"
OPENAPI = ("zoom-users.openapi.json", "zoom-team-chat.openapi.json", "zoom-phone.openapi.json")
#: Fields the emulator adds that no spec has (see zoom_workplace.policy): the plan's category.
EMULATED_FIELDS = {"plan_category"}


def _normal(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for name in OPENAPI:
        paths.update(json.loads((SPECS / name).read_text())["paths"])
    return paths


@pytest.fixture(scope="module")
def known(openapi) -> set[tuple[str, str]]:
    endpoints = {(method.upper(), _normal(path)) for path, ops in openapi.items() for method in ops}
    rivet = json.loads((SPECS / "zoom-rivet-endpoints.json").read_text())
    endpoints |= {(method, _normal(path)) for group in rivet.values() for _, method, path in group}
    return endpoints


def test_every_served_route_is_a_zoom_endpoint(known) -> None:
    served = [
        (method, _normal(route.path.removeprefix("/v2")))
        for route in ZoomEmulator().routes
        if route.path.startswith("/v2/")
        for method in route.methods - {"HEAD"}
    ]
    assert len(served) >= 20
    assert [endpoint for endpoint in served if endpoint not in known] == []


def test_the_label_table_names_real_endpoints_with_the_specs_labels(openapi, known) -> None:
    stated = 0
    for method, template, label in ENDPOINT_LABELS:
        assert (method, _normal(template)) in known, f"{method} {template} is not a Zoom endpoint"
        operation = openapi.get(template, {}).get(method.lower())
        match = re.search(r"Rate Limit Label[^`]*`(\w+)`", (operation or {}).get("description", ""))
        if match:
            stated += 1
            assert match.group(1).upper() == label.value, f"{method} {template}"
    assert stated >= 8, "most of the table is checked against the specs"


def _properties(schema: dict[str, Any]) -> set[str]:
    names = set(schema.get("properties", {}))
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            names |= _properties(part)
    return names


def _response_fields(openapi, path: str, method: str = "get", status: str = "200") -> set[str]:
    content = openapi[path][method]["responses"][status]["content"]["application/json"]
    return _properties(content["schema"])


def _item_fields(openapi, path: str, key: str) -> set[str]:
    schema = openapi[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    parts = [schema, *schema.get("allOf", [])]
    (array,) = [part["properties"][key] for part in parts if key in part.get("properties", {})]
    return _properties(array["items"])


async def test_answers_use_the_specs_field_names(client, openapi) -> None:
    me = await client.me()
    assert set(me) - EMULATED_FIELDS <= _response_fields(openapi, "/users/{userId}")
    contacts = await client.get("/contacts", query_presence_status=True)
    assert set(contacts) <= _response_fields(openapi, "/contacts")
    assert set(contacts["contacts"][0]) <= _item_fields(openapi, "/contacts", "contacts")
    phone = await client.get("/phone/users/me")
    assert set(phone) <= _response_fields(openapi, "/phone/users/{userId}")
    schedulers = await client.get("/users/me/schedulers")
    assert set(schedulers["schedulers"][0]) <= _item_fields(openapi, "/users/{userId}/schedulers", "schedulers")
    channels = await client.get("/chat/users/me/channels")
    assert set(channels["channels"][0]) <= _item_fields(openapi, "/chat/users/{userId}/channels", "channels")
