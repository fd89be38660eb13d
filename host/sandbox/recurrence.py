"""Expanding recurring events into occurrences, as servers do for ``singleEvents=true`` (Google),
``calendarView`` (Graph) and Zoom Calendar: every emulator needs the same expansion.

A series is a master :class:`~host.model.calendar.Event` with RFC 5545 ``recurrence`` lines (RRULE,
RDATE, EXDATE) plus exception records (moved or changed occurrences) with ``series_id`` and
``original_start``. Occurrence ids are ``<master id>_<UTC start as 20250102T100000Z>`` (all-day:
``_20250102``), Google's form, so that an occurrence id names its series and its slot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import attrs
from dateutil.rrule import rruleset, rrulestr

from host.model.calendar import Event


def localize(event: Event) -> Event:
    """``event`` with start, end and original start in its own time zone, so that a series keeps its
    wall-clock time across daylight-saving changes (JSON round trips leave fixed UTC offsets)."""
    zone = ZoneInfo(event.time_zone or "UTC")
    return attrs.evolve(
        event,
        start=event.start.astimezone(zone),
        end=event.end.astimezone(zone),
        original_start=event.original_start.astimezone(zone) if event.original_start else None,
    )


def occurrence_id(master: Event, start: dt.datetime) -> str:
    if master.all_day:
        return f"{master.id}_{start.strftime('%Y%m%d')}"
    return f"{master.id}_{start.astimezone(dt.UTC).strftime('%Y%m%dT%H%M%SZ')}"


def split_occurrence_id(event_id: str) -> tuple[str, str] | None:
    """``(master id, slot)`` for an occurrence id, else None."""
    master, sep, slot = event_id.rpartition("_")
    if not sep or not master or not (len(slot) == 8 or (len(slot) == 16 and slot.endswith("Z"))):
        return None
    return master, slot


def slot_start(master: Event, slot: str) -> dt.datetime:
    """The original start an occurrence slot stands for, in the master's time zone."""
    zone = ZoneInfo(master.time_zone or "UTC")
    if len(slot) == 8:
        return dt.datetime.strptime(slot, "%Y%m%d").replace(tzinfo=zone)
    return dt.datetime.strptime(slot, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC).astimezone(zone)


def rule_set(master: Event) -> rruleset:
    """The series' RRULE, RDATE and EXDATE lines over naive wall-clock times in the master's zone.

    Naive local times (re-attached to the zone by the caller) keep a series at its wall-clock time
    across daylight-saving changes, which is what RFC 5545 means by a DTSTART with a TZID.
    """
    master = localize(master)
    zone = master.start.tzinfo
    naive_start = master.start.replace(tzinfo=None)
    result = rruleset()
    for line in master.recurrence:
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        name = name.upper()
        if name == "RRULE":
            result.rrule(rrulestr(_local_until(value, zone), dtstart=naive_start))
        elif name in ("RDATE", "EXDATE"):
            tzid = next((p.split("=", 1)[1] for p in params if p.upper().startswith("TZID=")), None)
            for text in value.split(","):
                when = _local_date(text.strip(), tzid, zone, naive_start)
                (result.rdate if name == "RDATE" else result.exdate)(when)
    return result


def _local_until(rule: str, zone: dt.tzinfo | None) -> str:
    """RFC 5545 writes UNTIL in UTC; dateutil wants it like DTSTART, here naive local time."""
    parts = []
    for part in rule.split(";"):
        key, _, value = part.partition("=")
        if key.upper() == "UNTIL" and value.endswith("Z"):
            until = dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC).astimezone(zone)
            value = until.strftime("%Y%m%dT%H%M%S")
        parts.append(f"{key}={value}")
    return ";".join(parts)


def _local_date(text: str, tzid: str | None, zone: dt.tzinfo | None, start: dt.datetime) -> dt.datetime:
    if len(text) == 8:  # VALUE=DATE: that day at the series' time
        return dt.datetime.combine(dt.datetime.strptime(text, "%Y%m%d").date(), start.time())
    if text.endswith("Z"):
        return dt.datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None)
    naive = dt.datetime.strptime(text, "%Y%m%dT%H%M%S")
    if tzid is None:
        return naive  # floating: the series' own zone
    return naive.replace(tzinfo=ZoneInfo(tzid)).astimezone(zone).replace(tzinfo=None)


def occurrences(master: Event, exceptions: Iterable[Event], start: dt.datetime, end: dt.datetime) -> list[Event]:
    """The events of one series (or one single event) that overlap ``[start, end)``.

    Exceptions replace the slots they were moved from and appear where they are now.
    """
    master = localize(master)
    if not master.recurrence:
        return [master] if master.start < end and master.end > start else []
    exceptions = [localize(e) for e in exceptions]
    moved = {e.original_start for e in exceptions if e.original_start is not None}
    duration = master.end - master.start
    zone = master.start.tzinfo
    window_start = (start - duration).astimezone(zone).replace(tzinfo=None)
    window_end = end.astimezone(zone).replace(tzinfo=None)
    found: list[Event] = []
    for naive in rule_set(master).between(window_start, window_end, inc=True):
        when = naive.replace(tzinfo=zone)
        if when in moved or not (when < end and when + duration > start):
            continue
        found.append(
            attrs.evolve(
                master,
                id=occurrence_id(master, when),
                start=when,
                end=when + duration,
                recurrence=(),
                series_id=master.id,
                original_start=when,
            )
        )
    found.extend(e for e in exceptions if e.start < end and e.end > start)
    found.sort(key=lambda e: (e.start, e.id))
    return found


def is_occurrence(master: Event, when: dt.datetime) -> bool:
    """Whether the series has an occurrence starting at ``when`` (EXDATEs excluded)."""
    master = localize(master)
    naive = when.astimezone(master.start.tzinfo).replace(tzinfo=None)
    return naive in rule_set(master).between(naive - dt.timedelta(seconds=1), naive + dt.timedelta(seconds=1), inc=True)
