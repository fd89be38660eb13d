"""The emulator against Graph's own spec: every route it serves is a URL template of the Graph SDK (or,
outside ``/users``, an entity set, a singleton or OData's ``$batch``), actions are POSTs and functions
GETs as the CSDL declares them, and every property of the JSON it answers is one the CSDL defines."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

from provider_m365.emulator.app import GraphEmulator
from provider_m365.emulator.signin import sign_in
from provider_m365.mail import ATTACHMENTS, WHOLE

EDM = "{http://docs.oasis-open.org/odata/ns/edm}"


@cache
def templates(specs: Path) -> frozenset[str]:
    """Every ``/users/{id}/...`` URL template as a path shape: parameters as ``{}``, no query."""
    shapes = set()
    for line in (specs / "graph-users-url-templates.txt").read_text().splitlines():
        text = line.strip().strip('"').removeprefix("{+baseurl}")
        text = re.sub(r"\{[?&][^}]*\}", "", text).split("?", 1)[0]
        shapes.add(re.sub(r"\{[^}]*\}", "{}", text))
    return frozenset(shapes)


@cache
def csdl(specs: Path) -> dict[str, Any]:
    """Types (name -> (base, properties)), bound actions and functions (name -> binding types), sets."""
    root = ET.parse(specs / "graph-v1.0-cleanMetadata.xml").getroot()
    types: dict[str, tuple[str | None, set[str]]] = {}
    operations: dict[str, dict[str, set[str]]] = {"Action": {}, "Function": {}}
    sets: dict[str, str] = {}
    for schema in root.iter(f"{EDM}Schema"):
        for kind in ("EntityType", "ComplexType"):
            for node in schema.iter(f"{EDM}{kind}"):
                base = (node.get("BaseType") or "").rsplit(".", 1)[-1] or None
                props = {p.get("Name") for p in node if p.tag in (f"{EDM}Property", f"{EDM}NavigationProperty")}
                types[node.get("Name")] = (base, props)
        for kind in ("Action", "Function"):
            for node in schema.iter(f"{EDM}{kind}"):
                binding = next((p.get("Type") for p in node.iter(f"{EDM}Parameter")), "")
                operations[kind].setdefault(node.get("Name"), set()).add(binding.rsplit(".", 1)[-1].rstrip(")"))
        for container in schema.iter(f"{EDM}EntityContainer"):
            for node in container:
                sets[node.get("Name")] = (node.get("EntityType") or node.get("Type") or "").rsplit(".", 1)[-1]
    return {"types": types, "actions": operations["Action"], "functions": operations["Function"], "sets": sets}


def properties(specs: Path, type_name: str) -> set[str]:
    types = csdl(specs)["types"]
    found: set[str] = set()
    name: str | None = type_name
    while name:
        base, props = types[name]
        found |= props
        name = base
    return found


def shape(path: str) -> str:
    """An emulator route as a template shape: ``/me`` is ``/users/{}``; ``delta`` is ``delta()``."""
    path = path.removeprefix("/v1.0")
    path = re.sub(r"^/me(?=/|$)", "/users/{}", path)
    path = re.sub(r"\{[^}]*\}", "{}", path)
    return re.sub(r"/delta$", "/delta()", path)


def graph_routes(emulator: GraphEmulator) -> list[tuple[str, set[str]]]:
    return [(r.path, set(r.methods or ()) - {"HEAD"}) for r in emulator.routes if r.path.startswith("/v1.0")]


def test_every_users_route_is_a_graph_url_template(specs: Path) -> None:
    emulator = GraphEmulator()
    outside: list[str] = []
    missing: list[str] = []
    for path, _ in graph_routes(emulator):
        if not path.startswith(("/v1.0/me/", "/v1.0/users/")):
            outside.append(path)
            continue
        if shape(path) in templates(specs):
            continue
        # sendMail and friends are bound actions of user that the SDK's templates leave out.
        last = path.rsplit("/", 1)[1]
        if path.count("/") == 3 and "user" in csdl(specs)["actions"].get(last, set()):
            continue
        missing.append(path)
    assert not missing, f"routes that are no Graph URL template: {missing}"
    assert sorted(outside) == ["/v1.0/$batch", "/v1.0/me", "/v1.0/places/microsoft.graph.room"]
    sets = csdl(specs)["sets"]
    assert sets["me"] == "user" and sets["places"] == "place"  # the singleton and the entity set exist
    assert csdl(specs)["types"]["room"][0] == "place"  # the cast segment names a type derived from place


def test_actions_are_posts_and_functions_gets(specs: Path) -> None:
    emulator = GraphEmulator()
    checked = 0
    for path, methods in graph_routes(emulator):
        last = path.rsplit("/", 1)[1].removesuffix("()")
        if last in csdl(specs)["functions"]:
            assert methods == {"GET"}, (path, methods)
            checked += 1
        elif last in csdl(specs)["actions"]:
            assert methods == {"POST"}, (path, methods)
            checked += 1
    assert checked >= 20
    # The spec really declares them so.
    for action in ("sendMail", "move", "createReply", "createReplyAll", "createForward", "send", "accept"):
        assert action in csdl(specs)["actions"], action
    assert {"getSchedule", "findMeetingTimes", "tentativelyAccept", "decline", "permanentDelete"} <= set(
        csdl(specs)["actions"]
    )
    assert "delta" in csdl(specs)["functions"]


def _unknown(specs: Path, item: dict[str, Any], type_name: str) -> set[str]:
    return {k for k in item if not k.startswith("@")} - properties(specs, type_name)


@pytest.mark.parametrize("sample", ["mail", "calendar"])
async def test_every_property_answered_is_in_the_csdl(server: str, specs: Path, sample: str) -> None:
    token = (await sign_in(server))["access_token"]
    headers = {"Authorization": f"Bearer {token}", "Prefer": 'IdType="ImmutableId"'}
    async with httpx.AsyncClient(base_url=server + "/v1.0", headers=headers) as client:

        async def get(path: str, **params: str) -> Any:
            answer = await client.get(path, params=params)
            assert answer.status_code == 200, (path, answer.text)
            return answer.json()

        checked: list[tuple[dict[str, Any], str]] = []
        if sample == "mail":
            folders = (await get("/me/mailFolders", includeHiddenFolders="true"))["value"]
            checked += [(f, "mailFolder") for f in folders]
            messages = (await get("/me/messages", **{"$top": "30"}))["value"]
            checked += [(m, "message") for m in messages]
            one = await get(f"/me/messages/{messages[0]['id']}")
            checked += [(one, "message"), (one["body"], "itemBody"), (one["flag"], "followupFlag")]
            checked += [(one["from"], "recipient"), (one["from"]["emailAddress"], "emailAddress")]
            with_files = next(m for m in messages if m["hasAttachments"])
            for attachment in (await get(f"/me/messages/{with_files['id']}/attachments"))["value"]:
                kind = attachment["@odata.type"].rsplit(".", 1)[1]
                checked.append((attachment, kind))
            checked += [(c, "outlookCategory") for c in (await get("/me/outlook/masterCategories"))["value"]]
            for rule in (await get("/me/mailFolders/inbox/messageRules"))["value"]:
                checked += [(rule, "messageRule"), (rule["conditions"], "messageRulePredicates")]
                checked.append((rule["actions"], "messageRuleActions"))
            settings = await get("/me/mailboxSettings")
            checked += [(settings, "mailboxSettings"), (settings["automaticRepliesSetting"], "automaticRepliesSetting")]
            whole = await get("/me/messages", **{"$select": WHOLE, "$expand": ATTACHMENTS, "$top": "20"})
            for message in whole["value"]:
                checked.append((message, "message"))
                checked += [(h, "internetMessageHeader") for h in message["internetMessageHeaders"]]
                checked += [(a, a["@odata.type"].rsplit(".", 1)[1]) for a in message["attachments"]]
            assert any(m["attachments"] for m in whole["value"])
            delta = await get("/me/mailFolders/inbox/messages/delta", **{"$select": "id,isRead"})
            assert "@odata.deltaLink" in delta or "@odata.nextLink" in delta
            checked += [(m, "message") for m in delta["value"]]
        else:
            calendars = (await get("/me/calendars"))["value"]
            checked += [(c, "calendar") for c in calendars] + [(calendars[0]["owner"], "emailAddress")]
            checked += [(g, "calendarGroup") for g in (await get("/me/calendarGroups"))["value"]]
            view = await get(
                "/me/calendarView",
                startDateTime="2020-01-01T00:00:00Z",
                endDateTime="2035-01-01T00:00:00Z",
                **{"$top": "200"},
            )
            events = view["value"]
            checked += [(e, "event") for e in events]
            for event in events:
                checked += [(event["start"], "dateTimeTimeZone"), (event["location"], "location")]
                checked += [(a, "attendee") for a in event["attendees"]] + [(event["responseStatus"], "responseStatus")]
            master_id = next(e["seriesMasterId"] for e in events if e["type"] == "occurrence")
            master = await get(f"/me/events/{master_id}")
            assert master["type"] == "seriesMaster"
            checked += [
                (master["recurrence"], "patternedRecurrence"),
                (master["recurrence"]["pattern"], "recurrencePattern"),
            ]
            checked.append((master["recurrence"]["range"], "recurrenceRange"))
            permissions = (await get("/me/calendar/calendarPermissions"))["value"]
            checked += [(p, "calendarPermission") for p in permissions]
            checked += [(r, "room") for r in (await get("/places/microsoft.graph.room"))["value"]]
        for item, type_name in checked:
            assert not _unknown(specs, item, type_name), (type_name, _unknown(specs, item, type_name))
        assert len(checked) > 10
