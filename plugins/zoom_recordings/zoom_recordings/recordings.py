"""The user's Zoom cloud recordings.

``GET /users/{userId}/recordings`` lists at most a month a call (``from``/``to``, yyyy-mm-dd in UTC), so a
longer range is asked month by month, newest first, each month through all its pages
(``next_page_token``). The listing has no viewers' passcode: ``GET /meetings/{meetingUUID}/recordings``
of the one picked gives it (``password``). Where Zoom gives ``recording_play_passcode``, the share link
carries it (``?pwd=``, Zoom's way of opening the recording without typing the passcode).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import attrs

from host.errors import ZoomclientError

if TYPE_CHECKING:
    from zoom_workplace.client import ZoomClient

#: The most Zoom gives a page.
PAGE_SIZE = 300


class NoRecordings(ZoomclientError):
    """There is no cloud recording to attach."""


@attrs.frozen
class CloudRecording:
    """One meeting's cloud recording: what the listing says, and the passcode once the details are read."""

    uuid: str
    meeting_id: str
    topic: str
    start: dt.datetime
    duration_minutes: int
    share_url: str
    #: what viewers type; only in the recording's details
    passcode: str = ""
    #: Zoom's token that opens the share link without the passcode
    play_passcode: str = ""

    @property
    def link(self) -> str:
        """The share link to give out: with the play passcode in it where Zoom gives one."""
        if not self.play_passcode or "pwd=" in self.share_url:
            return self.share_url
        return f"{self.share_url}{'&' if '?' in self.share_url else '?'}pwd={quote(self.play_passcode, safe='')}"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CloudRecording:
        return cls(
            uuid=str(data["uuid"]),
            meeting_id=str(data.get("id") or ""),
            topic=str(data.get("topic") or "Untitled recording"),
            start=dt.datetime.fromisoformat(str(data["start_time"])).astimezone(dt.UTC),
            duration_minutes=int(data.get("duration") or 0),
            share_url=str(data.get("share_url") or ""),
            passcode=str(data.get("password") or ""),
            play_passcode=str(data.get("recording_play_passcode") or ""),
        )

    def matches(self, text: str) -> bool:
        """Every word of ``text`` is in the topic (any case)."""
        topic = self.topic.casefold()
        return all(word in topic for word in text.casefold().split())


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (earlier when negative), the month's last day where it has fewer days."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_windows(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """``first`` .. ``last`` (both included) cut at the ends of calendar months, each a range Zoom takes
    in one call, newest first."""
    windows = []
    start = first
    while start <= last:
        end = min(last, dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1]))
        windows.append((start, end))
        start = end + dt.timedelta(days=1)
    return windows[::-1]


@attrs.frozen
class DateRange:
    """A range the user picks recordings from, ending today."""

    title: str
    days: int = 0
    months: int = 0

    def first_day(self, today: dt.date) -> dt.date:
        return months_later(today, -self.months) if self.months else today - dt.timedelta(days=self.days)


RANGES = (
    DateRange("Last 30 days", days=30),
    DateRange("Last 3 months", months=3),
    DateRange("Last 12 months", months=12),
)


async def list_recordings(
    client: ZoomClient, first: dt.date, last: dt.date, *, page_size: int = PAGE_SIZE
) -> list[CloudRecording]:
    """The user's cloud recordings from ``first`` to ``last`` (UTC dates, both included), newest first."""
    found: list[CloudRecording] = []
    for start, end in month_windows(first, last):
        token = ""
        while True:
            page = await client.get(
                "/users/me/recordings",
                **{"from": start.isoformat(), "to": end.isoformat()},
                page_size=page_size,
                next_page_token=token or None,
            )
            found.extend(CloudRecording.from_json(item) for item in page.get("meetings") or [])
            token = str(page.get("next_page_token") or "")
            if not token:
                break
    return sorted(found, key=lambda recording: recording.start, reverse=True)


async def recording_details(client: ZoomClient, uuid: str) -> CloudRecording:
    """One recording with its passcode (a UUID that starts with ``/`` or holds ``//`` is encoded twice)."""
    from zoom_workplace.client import meeting_uuid_path

    recording = CloudRecording.from_json(await client.get(f"/meetings/{meeting_uuid_path(uuid)}/recordings"))
    if not recording.share_url:
        raise NoRecordings(
            f"Zoom gives no share link for the recording {recording.topic!r}, so there is nothing to attach.",
            hint="Turn on sharing for the recording in Zoom's web portal (Recordings, Share), then try again.",
        )
    return recording
