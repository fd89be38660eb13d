"""A cloud recording in an event's description: a marked block with the topic, when it was recorded, the
share link and the passcode. Attaching the same recording again replaces its block; another recording
gets a block of its own. The location is left alone (the event is not held in the recording)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from host.model.calendar import Event
from zoom_recordings.recordings import CloudRecording

BEGIN = "──────── Zoom cloud recording ────────"
END = "──────────────────────────────────────"
_BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", re.DOTALL)
_WATCH = re.compile(r"^Watch: ([^?\s]+)", re.MULTILINE)


def zone_of(event: Event) -> dt.tzinfo:
    """The event's time zone, in which its invitation says when a recording was made."""
    try:
        return ZoneInfo(event.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def recorded_at(recording: CloudRecording, zone: dt.tzinfo) -> str:
    return f"{recording.start.astimezone(zone):%a %d %b %Y, %H:%M %Z}, {recording.duration_minutes} min"


def block(recording: CloudRecording, zone: dt.tzinfo) -> str:
    lines = [BEGIN, f"Recording: {recording.topic} ({recorded_at(recording, zone)})", f"Watch: {recording.link}"]
    if recording.passcode:
        lines.append(f"Passcode: {recording.passcode}")
    lines.append(END)
    return "\n".join(lines) + "\n"


def with_recording(event: Event, recording: CloudRecording) -> Event:
    """``event`` with ``recording``'s block in its description (in place of that recording's earlier block)."""
    new = block(recording, zone_of(event))
    description = event.description
    for match in _BLOCK.finditer(description):
        watched = _WATCH.search(match.group(0))
        if watched is not None and watched.group(1) == recording.share_url.split("?", 1)[0]:
            return attrs.evolve(event, description=description[: match.start()] + new + description[match.end() :])
    text = description.rstrip()
    return attrs.evolve(event, description=(text + "\n\n" if text else "") + new)
