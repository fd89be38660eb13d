"""The Zoom emulator's accounts, users, groups, meetings, recordings, chat and contacts, seeded.

Seeded accounts (the admin policy's cases):

- ``acc-pro`` (Pro): Alex Morgan (the user), Lena Schmidt (who gave Alex scheduling privilege, so Alex
  schedules for her), Ana Müller (a colleague, no privilege given);
- ``acc-basic`` (Basic): Bea Basic;
- ``acc-biz`` (Business): Bo in the group ``grp-biz-sales``, Carla in ``grp-biz-eng``;
- ``acc-edu`` (Education) and ``acc-health`` (Healthcare): one user each;
- ``acc-gov`` (Zoom for Government, cluster ``gov01``): Gus.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import attrs

from zoom_workplace.labels import RateLimits


@attrs.define
class ZoomAccountRecord:
    id: str
    plan_category: str
    settings: dict[str, Any] = attrs.field(factory=dict)
    lock_settings: dict[str, Any] = attrs.field(factory=dict)
    limits: RateLimits = attrs.field(factory=RateLimits)


@attrs.define
class ZoomGroupRecord:
    id: str
    account_id: str
    name: str
    settings: dict[str, Any] = attrs.field(factory=dict)


@attrs.define
class ZoomUserRecord:
    id: str
    email: str
    first_name: str
    last_name: str
    account_id: str
    type: int = 2
    group_ids: tuple[str, ...] = ()
    zoom_one_type: int | None = None
    cluster: str = "us05"
    timezone: str = "Europe/Berlin"
    pmi: int = 0
    presence: str = "Available"
    department: str = ""
    job_title: str = ""
    phone_number: str = ""
    #: Zoom Phone numbers beside ``phone_number`` (the first); a user without ``phone_number`` has no licence
    extra_phone_numbers: tuple[str, ...] = ()
    #: whose meetings this user may schedule (they gave this user scheduling privilege)
    schedules_for: set[str] = attrs.field(factory=set)

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def _user(number: int, email: str, first: str, last: str, account: str, **fields: Any) -> ZoomUserRecord:
    return ZoomUserRecord(
        f"u{number:03d}{first.lower()}", email, first, last, account, pmi=5550000000 + number, **fields
    )


class ZoomState:
    """Everything the emulator knows. Thread-safe: tests change it while the server runs."""

    def __init__(self, now: dt.datetime | None = None) -> None:
        self.lock = threading.RLock()
        self.now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        self.accounts = {
            a.id: a
            for a in (
                ZoomAccountRecord("acc-pro", "pro"),
                ZoomAccountRecord("acc-basic", "basic"),
                ZoomAccountRecord("acc-biz", "business", limits=RateLimits(80, 60, 40)),
                ZoomAccountRecord("acc-edu", "education"),
                ZoomAccountRecord("acc-health", "healthcare"),
                ZoomAccountRecord("acc-gov", "enterprise"),
            )
        }
        self.groups = {
            g.id: g
            for g in (
                ZoomGroupRecord("grp-biz-sales", "acc-biz", "Sales"),
                ZoomGroupRecord("grp-biz-eng", "acc-biz", "Engineering"),
            )
        }
        users = [
            _user(
                1,
                "alex.morgan@example.com",
                "Alex",
                "Morgan",
                "acc-pro",
                zoom_one_type=4398046511104,
                department="Product",
                job_title="Product manager",
                phone_number="+49 30 1234 5601",
                extra_phone_numbers=("498999887766",),  # Zoom's own form: no "+", no spaces
            ),
            _user(
                2,
                "lena.schmidt@example.com",
                "Lena",
                "Schmidt",
                "acc-pro",
                job_title="Director",
                timezone="America/New_York",
                presence="In_Meeting",
                phone_number="+1 212 555 0102",
            ),
            _user(3, "ana.mueller@example.de", "Ana", "Müller", "acc-pro", presence="Away", department="Product"),
            _user(4, "bea.basic@example.org", "Bea", "Basic", "acc-basic", type=1),
            _user(
                5,
                "bo.business@business.example.com",
                "Bo",
                "Business",
                "acc-biz",
                zoom_one_type=16,
                group_ids=("grp-biz-sales",),
            ),
            _user(
                6,
                "carla.biz@business.example.com",
                "Carla",
                "Biz",
                "acc-biz",
                zoom_one_type=16,
                group_ids=("grp-biz-eng",),
            ),
            _user(7, "eve.edu@school.example.edu", "Eve", "Edu", "acc-edu"),
            _user(8, "hana.health@clinic.example.org", "Hana", "Health", "acc-health"),
            _user(9, "gus.gov@agency.example.gov", "Gus", "Gov", "acc-gov", cluster="gov01", zoom_one_type=4),
        ]
        self.users: dict[str, ZoomUserRecord] = {u.email: u for u in users}
        self.users["alex.morgan@example.com"].schedules_for.add("lena.schmidt@example.com")
        self.meetings: dict[int, dict[str, Any]] = {}
        self.next_meeting_id = 81000000001
        self.deleted_meetings: list[int] = []
        self.past_participants: dict[str, list[dict[str, Any]]] = {}
        #: a meeting id's ended instances, oldest first: ``{"uuid", "start_time"}``
        self.past_instances: dict[str, list[dict[str, Any]]] = {}
        self.live_participants: dict[str, list[dict[str, Any]]] = {}
        #: the instance running now of each live meeting the emulator created
        self.live_instances: dict[int, dict[str, Any]] = {}
        self.recordings: list[dict[str, Any]] = []
        self.chat_messages: list[dict[str, Any]] = []
        #: files sent to Team Chat by id: ``{"name", "content_type", "data"}``
        self.chat_files: dict[str, dict[str, Any]] = {}
        self.channels: list[dict[str, Any]] = []
        self._seed_activity()

    def user(self, key: str) -> ZoomUserRecord | None:
        """A user by email or id."""
        found = self.users.get(key.lower())
        return found or self.user_by_id(key)

    def user_by_id(self, user_id: str) -> ZoomUserRecord | None:
        return next((u for u in self.users.values() if u.id == user_id), None)

    def start_meeting(self, meeting_id: int, *, uuid: str | None = None, at: dt.datetime | None = None) -> str:
        """Start a meeting the emulator created: it is live (``status`` "started") as a new instance,
        whose UUID is ``uuid``, else the meeting's own for its first instance; returns that UUID."""
        with self.lock:
            meeting = self.meetings[meeting_id]
            ended = self.past_instances.get(str(meeting_id), [])
            instance = uuid or (meeting["uuid"] if not ended else f"emu{meeting_id}i{len(ended)}==")
            meeting["status"] = "started"
            self.live_instances[meeting_id] = {"uuid": instance, "start_time": _iso(at or dt.datetime.now(dt.UTC))}
            self.live_participants[str(meeting_id)] = []
            return instance

    def join_meeting(self, meeting_id: int, name: str, email: str = "", *, at: dt.datetime | None = None) -> None:
        """Someone joins a live meeting (a guest has no email)."""
        with self.lock:
            live = self.live_participants[str(meeting_id)]
            user = self.user(email) if email else None
            live.append(
                {
                    "id": user.id if user else "",
                    "user_id": f"{16778240 + len(live)}",
                    "user_name": name,
                    "email": email,
                    "join_time": _iso(at or dt.datetime.now(dt.UTC)),
                    "status": "in_meeting",
                }
            )

    def end_meeting(self, meeting_id: int, *, at: dt.datetime | None = None) -> str:
        """End a live meeting: its participants leave and become the instance's past participants
        (under its UUID, and under the meeting id, which names the latest instance); returns the UUID."""
        with self.lock:
            ended = at or dt.datetime.now(dt.UTC)
            instance = self.live_instances.pop(meeting_id)
            self.meetings[meeting_id]["status"] = "waiting"
            past = []
            for joined in self.live_participants.pop(str(meeting_id)):
                start = dt.datetime.strptime(joined["join_time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
                past.append(
                    {
                        "id": joined["id"],
                        "user_id": joined["user_id"],
                        "name": joined["user_name"],
                        "user_email": joined["email"],
                        "join_time": joined["join_time"],
                        "leave_time": _iso(ended),
                        "duration": max(0, int((ended - start).total_seconds())),
                        "status": "in_meeting",
                    }
                )
            self.past_participants[instance["uuid"]] = self.past_participants[str(meeting_id)] = past
            self.past_instances.setdefault(str(meeting_id), []).append(instance)
            return instance["uuid"]

    def _seed_activity(self) -> None:
        """A past meeting of Alex's with participants and a cloud recording, and a live one."""
        past_start = self.now - dt.timedelta(days=1)
        past_id, past_uuid = 84012345678, "/ajXp112QmuoKj4854875==="  # a UUID that needs double encoding
        self.past_instances[str(past_id)] = [{"uuid": past_uuid, "start_time": _iso(past_start)}]
        self.past_participants[str(past_id)] = self.past_participants[past_uuid] = [
            {
                "id": u.id,
                "name": u.display_name,
                "user_email": u.email,
                "join_time": _iso(past_start + dt.timedelta(minutes=i)),
                "leave_time": _iso(past_start + dt.timedelta(minutes=55)),
                "duration": (55 - i) * 60,
                "status": "in_meeting",
            }
            for i, u in enumerate(self.users[e] for e in ("alex.morgan@example.com", "ana.mueller@example.de"))
        ]
        alex, ana = self.users["alex.morgan@example.com"], self.users["ana.mueller@example.de"]
        self.recordings.append(
            cloud_recording(alex, past_id, past_uuid, "Roadmap review", past_start, 55, password="Rv7#pQ2x")
        )
        # Alex's older recordings, one a month or more apart (a listing pages through months), with and
        # without passcodes, and one of Ana's that Alex's listing never shows.
        for days, meeting_id, topic, minutes, password in (
            (9, 84011112222, "Kundengespräch Müller GmbH", 40, "Kd3!mU9z"),
            (38, 84022223333, "Design critique", 30, ""),
            (75, 84033334444, "All hands — Q3", 90, "aH4$q3Lx"),
            (160, 84044445555, "Onboarding: Zoom Phone", 25, ""),
            (290, 84055556666, "Retrospective", 60, "Rt6&pZ1c"),
            (420, 84066667777, "Budget 2025", 45, "Bd8*kW2v"),
        ):
            start = self.now - dt.timedelta(days=days)
            uuid = f"emuRec{meeting_id}=="
            self.recordings.append(cloud_recording(alex, meeting_id, uuid, topic, start, minutes, password=password))
        self.recordings.append(
            cloud_recording(ana, 84077778888, "emuRec84077778888==", "Ana's interview", self.now, 30, password="")
        )
        self.live_participants["85099887766"] = [
            {
                "id": self.users["lena.schmidt@example.com"].id,
                "user_name": "Lena Schmidt",
                "email": "lena.schmidt@example.com",
                "join_time": _iso(self.now - dt.timedelta(minutes=10)),
                "status": "in_meeting",
            }
        ]
        self.channels.append(
            {
                "id": "ch-product",
                "jid": "ch-product@conference.xmpp.zoom.us",
                "name": "Product",
                "type": 3,
                "owner": "alex.morgan@example.com",
                "members": ["alex.morgan@example.com", "ana.mueller@example.de"],
            }
        )


def cloud_recording(
    host: ZoomUserRecord,
    meeting_id: int,
    uuid: str,
    topic: str,
    start: dt.datetime,
    minutes: int,
    *,
    password: str,
) -> dict[str, Any]:
    """A cloud recording as ``GET /meetings/{meetingId}/recordings`` gives it. ``password`` is the passcode
    viewers type (``""``: none); ``recording_play_passcode`` is Zoom's token that opens the share link
    without it (``?pwd=``), present only where there is a passcode."""
    size = minutes * 953250
    recording: dict[str, Any] = {
        "uuid": uuid,
        "id": meeting_id,
        "account_id": host.account_id,
        "host_id": host.id,
        "topic": topic,
        "type": 2,
        "start_time": _iso(start),
        "duration": minutes,
        "total_size": size,
        "recording_count": 1,
        "share_url": f"https://zoom.us/rec/share/emu{meeting_id}",
        "recording_files": [
            {
                "id": f"rec-file-{meeting_id}",
                "meeting_id": uuid,
                "recording_start": _iso(start),
                "recording_end": _iso(start + dt.timedelta(minutes=minutes)),
                "file_type": "MP4",
                "file_extension": "MP4",
                "file_size": size,
                "play_url": f"https://zoom.us/rec/play/emu{meeting_id}",
                "download_url": f"https://zoom.us/rec/download/emu{meeting_id}",
                "status": "completed",
                "recording_type": "shared_screen_with_speaker_view",
            }
        ],
        "password": password,
    }
    if password:
        recording["recording_play_passcode"] = f"emuPlay{meeting_id}x{len(password)}Qz"
    return recording


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
