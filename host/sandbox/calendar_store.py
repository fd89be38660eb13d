"""Calendar state shaped like Google Calendar v3: calendars, who reaches them with which role, events
with their change log (for sync tokens), and recurring series expanded into instances as Google
expands them.

It serves every emulator whose calendar API follows Google Calendar's JSON (Google Calendar, Zoom
Calendar, instance ids and all). Errors are :class:`host.sandbox.api_error.ApiError`; each emulator
answers them in its own API's shape.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from host.model.calendar import Event
from host.sandbox.api_error import ApiError, bad_request, not_found
from host.sandbox.recurrence import rule_set

ROLES = ("none", "freeBusyReader", "reader", "writer", "owner")
#: How many changes a calendar remembers; older sync tokens get 410 (Google forgets them after a while).
CHANGE_LIMIT = 20_000
#: How far an unbounded series is expanded (Google stops somewhere too).
EXPANSION_LIMIT = 730


def zone(name: str | None) -> dt.tzinfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise bad_request(f"Invalid time zone definition for start time: {name}", reason="invalid") from None


def parse_time(text: str, name: str = "timeMin") -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise bad_request(f"Bad Request: {name}", location=name, reason="badRequest") from None
    if value.tzinfo is None:
        raise bad_request(f"Bad Request: {name} needs a time zone offset", location=name, reason="badRequest")
    return value


def rfc3339(value: dt.datetime) -> str:
    if value.utcoffset() == dt.timedelta(0):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat(timespec="seconds")


def when(field: dict, default_zone: str | None) -> tuple[dt.datetime, bool]:
    """An event time (``{"dateTime", "timeZone"}`` or ``{"date"}``) as an aware instant."""
    if not isinstance(field, dict):
        raise bad_request("Missing time.", reason="required")
    if field.get("date"):
        try:
            day = dt.date.fromisoformat(field["date"])
        except ValueError:
            raise bad_request("Invalid start time.") from None
        return dt.datetime.combine(day, dt.time(), zone(field.get("timeZone") or default_zone)), True
    if field.get("dateTime"):
        value = parse_time(field["dateTime"], "dateTime")
        return value.astimezone(zone(field.get("timeZone") or default_zone)), False
    raise bad_request("Missing time.", reason="required")


def _token(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def _untoken(text: str) -> dict:
    try:
        return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except ValueError:
        raise bad_request("Invalid sync token value.", reason="invalid", location="syncToken") from None


class CalendarStore:
    """Every calendar the emulator knows, whose ever it is."""

    def __init__(self) -> None:
        self.calendars: dict[str, dict] = {}
        self.entries: dict[tuple[str, str], dict] = {}  # (user email, calendar id) -> calendarList extras
        self.events: dict[str, dict[str, dict]] = {}
        self.changes: dict[str, list[tuple[int, str, dict | None]]] = {}
        self.floor: dict[str, int] = {}
        self.sequence = 0
        self.notifications: list[dict] = []  # what the server would have mailed to attendees
        self._ids = itertools.count(1)

    # -- calendars and access -----------------------------------------------------------------------

    def add_calendar(self, calendar_id: str, summary: str, time_zone: str, description: str = "") -> dict:
        calendar = {
            "kind": "calendar#calendar",
            "etag": f'"{calendar_id}-1"',
            "id": calendar_id,
            "summary": summary,
            "description": description,
            "timeZone": time_zone,
        }
        self.calendars[calendar_id] = calendar
        self.events.setdefault(calendar_id, {})
        self.changes.setdefault(calendar_id, [])
        self.floor.setdefault(calendar_id, 0)
        return calendar

    def grant(self, user: str, calendar_id: str, role: str, *, primary: bool = False, color: str = "#4285f4") -> None:
        self.entries[(user.lower(), calendar_id)] = {
            "accessRole": role,
            "primary": primary,
            "backgroundColor": color,
            "foregroundColor": "#ffffff",
            "selected": True,
        }

    def resolve(self, user: str, calendar_id: str) -> str:
        return user if calendar_id == "primary" else calendar_id

    def role(self, user: str, calendar_id: str) -> str:
        entry = self.entries.get((user.lower(), calendar_id))
        return entry["accessRole"] if entry else "none"

    def require(self, user: str, calendar_id: str, least: str) -> str:
        calendar_id = self.resolve(user, calendar_id)
        if calendar_id not in self.calendars:
            raise not_found("Not Found")
        role = self.role(user, calendar_id)
        if role == "none":
            raise not_found("Not Found")
        if ROLES.index(role) < ROLES.index(least):
            reason = "requiredAccessLevel" if least in ("writer", "owner") else "forbidden"
            raise ApiError(403, "You need to have " + least + " access to this calendar.", reason=reason)
        return calendar_id

    def calendar_list(self, user: str) -> list[dict]:
        items = []
        for (owner, calendar_id), entry in self.entries.items():
            if owner != user.lower():
                continue
            calendar = self.calendars[calendar_id]
            items.append(
                {
                    "kind": "calendar#calendarListEntry",
                    "etag": calendar["etag"],
                    "id": calendar_id,
                    "summary": calendar["summary"],
                    "description": calendar["description"],
                    "timeZone": calendar["timeZone"],
                    **entry,
                }
            )
        return items

    # -- events ------------------------------------------------------------------------------------

    def new_id(self) -> str:
        # Event ids are base32hex as Google's: lowercase a-v and digits.
        digest = hashlib.sha1(f"event-{next(self._ids)}".encode()).digest()
        return base64.b32hexencode(digest).decode().lower().rstrip("=")[:26]

    def put(self, calendar_id: str, event: dict) -> None:
        """Store ``event`` (new or changed) and note the change for sync tokens."""
        events = self.events[calendar_id]
        previous = events.get(event["id"])
        self.sequence += 1
        event["etag"] = f'"{self.sequence}"'
        events[event["id"]] = event
        log = self.changes[calendar_id]
        log.append((self.sequence, event["id"], previous))
        if len(log) > CHANGE_LIMIT:
            dropped = log.pop(0)
            self.floor[calendar_id] = dropped[0]

    def forget_changes(self, calendar_id: str | None = None) -> None:
        """Forget the change log: every sync token given out so far now gets 410."""
        self.sequence += 1
        for key in [calendar_id] if calendar_id else list(self.changes):
            self.changes[key].clear()
            self.floor[key] = self.sequence

    def event(self, calendar_id: str, event_id: str) -> dict:
        found = self.events[calendar_id].get(event_id)
        if found is not None:
            return found
        master_id, _, _ = event_id.rpartition("_")
        master = self.events[calendar_id].get(master_id) if master_id else None
        if master is not None and master.get("recurrence"):
            for instance in self.expand(calendar_id, master, None, None):
                if instance["id"] == event_id:
                    return instance
        raise not_found("Not Found")

    def span(self, calendar_id: str, event: dict) -> tuple[dt.datetime, dt.datetime]:
        default_zone = self.calendars[calendar_id]["timeZone"]
        return when(event["start"], default_zone)[0], when(event["end"], default_zone)[0]

    def expand(self, calendar_id: str, master: dict, start: dt.datetime | None, end: dt.datetime | None) -> list[dict]:
        """The instances of a recurring ``master`` that overlap ``[start, end)``, exceptions applied."""
        default_zone = self.calendars[calendar_id]["timeZone"]
        first, all_day = when(master["start"], default_zone)
        last, _ = when(master["end"], default_zone)
        length = last - first
        tz = first.tzinfo
        # The toolkit's reading of RRULE / RDATE / EXDATE (UNTIL in UTC, TZIDs), over wall-clock times.
        series = Event(
            id=master["id"],
            calendar_id=calendar_id,
            title="",
            start=first,
            end=last,
            all_day=all_day,
            time_zone=master["start"].get("timeZone") or default_zone,
            recurrence=tuple(master.get("recurrence", [])),
        )
        try:
            rule = rule_set(series)
        except (ValueError, TypeError):
            raise bad_request("Invalid recurrence rule.") from None
        exceptions = {
            when(e["originalStartTime"], default_zone)[0].astimezone(dt.UTC): e
            for e in self.events[calendar_id].values()
            if e.get("recurringEventId") == master["id"] and e.get("originalStartTime")
        }
        instances = []
        for count, occurrence in enumerate(rule):
            if count >= EXPANSION_LIMIT:
                break
            instance_start = occurrence.replace(tzinfo=tz)
            if end is not None and instance_start >= end:
                break
            instance = self._instance(master, instance_start, length, all_day)
            override = exceptions.get(instance_start.astimezone(dt.UTC))
            if override is not None:
                instance = override
            if start is not None:
                span_start, span_end = self.span(calendar_id, instance)
                if span_end <= start and not (span_start == span_end == start):
                    continue
            instances.append(instance)
        return instances

    def _instance(self, master: dict, start: dt.datetime, length: dt.timedelta, all_day: bool) -> dict:
        instance = {k: v for k, v in master.items() if k not in ("recurrence", "etag")}
        instance["etag"] = master.get("etag", '"0"')
        zone_name = master["start"].get("timeZone")
        if all_day:
            instance["id"] = f"{master['id']}_{start:%Y%m%d}"
            instance["start"] = {"date": start.date().isoformat()}
            instance["end"] = {"date": (start + length).date().isoformat()}
            instance["originalStartTime"] = {"date": start.date().isoformat()}
        else:
            instance["id"] = f"{master['id']}_{start.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
            instance["start"] = {"dateTime": rfc3339(start), **({"timeZone": zone_name} if zone_name else {})}
            end = start + length
            instance["end"] = {"dateTime": rfc3339(end), **({"timeZone": zone_name} if zone_name else {})}
            instance["originalStartTime"] = dict(instance["start"])
        instance["recurringEventId"] = master["id"]
        return instance

    def listing(
        self,
        calendar_id: str,
        *,
        start: dt.datetime | None,
        end: dt.datetime | None,
        single: bool,
        show_deleted: bool,
        ids: Iterable[str] | None = None,
    ) -> Iterator[dict]:
        """Events (or, ``single``, instances) of a calendar overlapping ``[start, end)``."""
        events = self.events[calendar_id]
        chosen = [events[i] for i in ids if i in events] if ids is not None else list(events.values())
        for event in chosen:
            cancelled = event.get("status") == "cancelled"
            if cancelled and not show_deleted:
                continue
            if event.get("recurrence") and not cancelled:
                instances = self.expand(calendar_id, event, start, end)
                if single:
                    yield from (i for i in instances if show_deleted or i.get("status") != "cancelled")
                elif instances:
                    yield event
                continue
            if single and event.get("recurringEventId") and ids is None:
                continue  # exceptions come out of their master's expansion
            if not cancelled and (start is not None or end is not None):
                event_start, event_end = self.span(calendar_id, event)
                if (end is not None and event_start >= end) or (start is not None and event_end <= start):
                    continue
            yield event

    def changed_since(self, calendar_id: str, token: dict, *, single: bool) -> list[dict]:
        """What changed after a sync token: changed events as they are now, deleted ones cancelled."""
        since = int(token["s"])
        start = dt.datetime.fromisoformat(token["w"][0]) if token.get("w") and token["w"][0] else None
        end = dt.datetime.fromisoformat(token["w"][1]) if token.get("w") and token["w"][1] else None
        first_previous: dict[str, dict | None] = {}
        for sequence, event_id, previous in self.changes[calendar_id]:
            if sequence > since and event_id not in first_previous:
                first_previous[event_id] = previous
        results: list[dict] = []
        for event_id, previous in first_previous.items():
            current = self.events[calendar_id][event_id]
            cancelled = current.get("status") == "cancelled"
            if single and (current.get("recurrence") or (previous or {}).get("recurrence")):
                now = [] if cancelled else self.expand(calendar_id, current, start, end)
                before = (
                    self.expand(calendar_id, previous, start, end) if previous and previous.get("recurrence") else []
                )
                gone = {i["id"] for i in before} - {i["id"] for i in now}
                results.extend(now)
                results.extend(_tombstone(i) for i in before if i["id"] in gone)
                if cancelled:
                    results.append(_tombstone(current))
                continue
            if single and current.get("recurringEventId"):
                results.append(current)
                continue
            if cancelled:
                results.append(_tombstone(current))
                continue
            event_start, event_end = self.span(calendar_id, current)
            if (end is not None and event_start >= end) or (start is not None and event_end <= start):
                continue
            results.append(current)
        return results

    def sync_token(self, calendar_id: str, start: dt.datetime | None, end: dt.datetime | None, single: bool) -> str:
        window = [start.isoformat() if start else None, end.isoformat() if end else None]
        return _token({"c": calendar_id, "s": self.sequence, "w": window, "e": single})

    def read_token(self, calendar_id: str, text: str) -> dict:
        token = _untoken(text)
        if token.get("c") != calendar_id or not isinstance(token.get("s"), int):
            raise bad_request("Invalid sync token value.", reason="invalid", location="syncToken")
        if token["s"] < self.floor[calendar_id]:
            raise full_sync_required()
        return token

    def busy(self, calendar_id: str, start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
        intervals = []
        for event in self.listing(calendar_id, start=start, end=end, single=True, show_deleted=False):
            if event.get("transparency") == "transparent" or event.get("status") == "cancelled":
                continue
            event_start, event_end = self.span(calendar_id, event)
            intervals.append((max(event_start, start), min(event_end, end)))
        intervals.sort()
        merged: list[tuple[dt.datetime, dt.datetime]] = []
        for interval_start, interval_end in intervals:
            if merged and interval_start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], interval_end))
            else:
                merged.append((interval_start, interval_end))
        return merged


def full_sync_required() -> ApiError:
    return ApiError(410, "Sync token is no longer valid, a full sync is required.", reason="fullSyncRequired")


def _tombstone(event: dict) -> dict:
    return {"kind": "calendar#event", "etag": event.get("etag", '"0"'), "id": event["id"], "status": "cancelled"}
