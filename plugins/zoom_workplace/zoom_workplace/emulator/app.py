"""The Zoom emulator's routes, under ``/v2`` as on ``api.zoom.us``, and Zoom's OAuth at ``/oauth/*``.

Served (paths and JSON shapes of zoom-users, zoom-team-chat, zoom-phone and the rivet list)::

    GET    /v2/users/{userId}                                 the profile (``me``, an id or an email)
    GET    /v2/users/{userId}/settings                        user settings (``feature.zoom_mail_calendar``)
    GET    /v2/users/{userId}/schedulers                      whom the user may schedule for
    GET    /v2/users/{userId}/assistants                      who may schedule for the user
    GET    /v2/accounts/{accountId}/settings | /lock_settings the admin switches (emulated section, see policy)
    GET    /v2/groups/{groupId}/settings                      a group's switches
    GET|POST /v2/users/{userId}/meetings                      list, create (``schedule_for``)
    GET|PATCH|DELETE /v2/meetings/{meetingId}
    GET    /v2/past_meetings/{meetingId}/participants         a meeting id or a (double-encoded) UUID, paged
    GET    /v2/past_meetings/{meetingId}/instances            the ended instances' UUIDs
    GET    /v2/metrics/meetings/{meetingId}/participants?type=live   paged
    GET    /v2/users/{userId}/recordings                      ``from``/``to`` at most a month apart, paged
    GET    /v2/meetings/{meetingId}/recordings                with the viewers' passcode (``password``)
    GET|POST /v2/chat/users/{userId}/messages                 ``to_contact`` / ``to_channel``, ≤ 1024 characters
    POST   /v2/chat/users/{userId}/messages/files           multipart, one file (≤ 20 MB, images ≤ 16 MB); in
                                                              production on ``file.zoom.us``, here on this origin
    GET|POST /v2/chat/users/{userId}/channels                 a group chat is type 4, ≤ 20 members a call
    POST   /v2/chat/users/{userId}/channels/{channelId}/members   ≤ 20 members a call
    GET    /v2/contacts?search_key&query_presence_status
    GET    /v2/phone/users/{userId}

Meetings the emulator created go live and end as tests say (``state.start_meeting``, ``join_meeting``,
``end_meeting``). Errors are Zoom's ``{"code", "message"}``. Every account is metered per label (Light, Medium, Heavy)
at its plan's rate (:class:`~zoom_workplace.labels.RateLimits`); over it, 429 with ``Retry-After``.
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from host.sandbox.faults import FaultInjector, TokenBucket
from host.sandbox.oauth import OAuthServer, OAuthServerConfig
from host.sandbox.requestlog import RequestLog
from host.sandbox.service import SandboxOptions
from zoom_workplace.emulator.form_data import FormDataError, parse_form_data
from zoom_workplace.emulator.state import ZoomState, ZoomUserRecord, _iso
from zoom_workplace.labels import RateLabel, RateLimits, label_for

#: The emulated error code of a ``schedule_for`` the host never granted privilege for.
NO_SCHEDULING_PRIVILEGE = 1120
USER_NOT_FOUND = 1001
MEETING_NOT_FOUND = 3001
#: Team Chat's limits (the spec's ``maxLength`` of a message; "16 megabytes for images and 20 megabytes
#: for all other file types" of a chat file, images being the kinds Team Chat shows as images).
MESSAGE_MAX_LENGTH = 1024
FILE_MAX_BYTES = 20 * 2**20
IMAGE_MAX_BYTES = 16 * 2**20
IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif"})
#: Dial-in numbers every emulated meeting gets.
DIAL_IN = (
    {"country": "US", "country_name": "US", "city": "New York", "number": "+1 646 558 8656", "type": "toll"},
    {"country": "DE", "country_name": "Germany", "city": "Frankfurt", "number": "+49 69 3807 9883", "type": "toll"},
)


class ZoomError(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        self.status, self.code, self.message = status, code, message


Handler = Callable[[Request, ZoomUserRecord], Awaitable[Any]]


class ZoomEmulator:
    """An ASGI app: ``log`` records requests, ``faults`` injects the toolkit's faults, ``state`` is the data."""

    def __init__(
        self, options: SandboxOptions | None = None, *, state: ZoomState | None = None, oauth: OAuthServer | None = None
    ) -> None:
        options = options or SandboxOptions()
        self.state = state or ZoomState()
        self.clock: Callable[[], float] = time.monotonic
        # Given ``oauth``, the emulator trusts that authorization server's tokens and serves none of its own:
        # Zoom has one (zoom.us/oauth) for every API, so the Zoom Mail emulator shares its sign-in with these routes.
        shared_oauth = oauth is not None
        self.oauth = oauth or OAuthServer(
            OAuthServerConfig(
                clients={"zoomclient-desktop": "/oauth/zoom"},
                users=[(u.email, u.display_name) for u in self.state.users.values()],
                userinfo_path=None,
                unattended=options.unattended_consent,
                single_use_refresh_tokens=True,
            )
        )
        self._buckets: dict[tuple[str, RateLabel], TokenBucket] = {}
        self.faults = FaultInjector(options.faults, seed=options.seed, exempt=r"^/oauth/")
        self.log = RequestLog()
        routes = [
            *(() if shared_oauth else self.oauth.routes),
            self._route("/v2/users/{userId}", self.get_user),
            self._route("/v2/users/{userId}/settings", self.user_settings),
            self._route("/v2/users/{userId}/schedulers", self.schedulers),
            self._route("/v2/users/{userId}/assistants", self.assistants),
            self._route("/v2/accounts/{accountId}/settings", self.account_settings),
            self._route("/v2/accounts/{accountId}/lock_settings", self.account_locks),
            self._route("/v2/groups/{groupId}/settings", self.group_settings),
            self._route("/v2/users/{userId}/meetings", self.user_meetings, ["GET", "POST"]),
            self._route("/v2/meetings/{meetingId}", self.meeting, ["GET", "PATCH", "DELETE"]),
            self._route("/v2/past_meetings/{meetingId:path}/participants", self.past_participants),
            self._route("/v2/past_meetings/{meetingId}/instances", self.past_meeting_instances),
            self._route("/v2/metrics/meetings/{meetingId}/participants", self.live_participants),
            self._route("/v2/users/{userId}/recordings", self.user_recordings),
            self._route("/v2/meetings/{meetingId}/recordings", self.meeting_recordings),
            self._route("/v2/chat/users/{userId}/messages", self.chat_messages, ["GET", "POST"]),
            self._route("/v2/chat/users/{userId}/messages/files", self.chat_file, ["POST"]),
            self._route("/v2/chat/users/{userId}/channels", self.channels, ["GET", "POST"]),
            self._route("/v2/chat/users/{userId}/channels/{channelId}/members", self.channel_members, ["POST"]),
            self._route("/v2/contacts", self.contacts),
            self._route("/v2/phone/users/{userId}", self.phone_user),
        ]
        self.routes = routes
        #: the routes without the request log and faults, for an emulator that serves them under its own origin
        self.api = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
        self.app = self.log.wrap(self.faults.wrap(self.api))

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)

    # -- plumbing ----------------------------------------------------------------------------------

    def set_rate_limits(self, account_id: str, limits: RateLimits) -> None:
        """Change an account's per-label rates; its buckets start full again."""
        with self.state.lock:
            self.state.accounts[account_id].limits = limits
            for key in [k for k in self._buckets if k[0] == account_id]:
                del self._buckets[key]

    def _meter(self, account_id: str, label: RateLabel) -> float:
        with self.state.lock:
            bucket = self._buckets.get((account_id, label))
            if bucket is None:
                rate = self.state.accounts[account_id].limits.per_second(label)
                bucket = self._buckets[(account_id, label)] = TokenBucket(rate, rate, self.clock)
            return bucket.take(1)

    def _route(self, path: str, handler: Handler, methods: list[str] | None = None) -> Route:
        async def endpoint(request: Request) -> Response:
            token = self.oauth.require_token(request)
            with self.state.lock:
                user = self.state.user(token.email)
            if user is None:
                return _error(ZoomError(401, 124, "Invalid access token."))
            label = label_for(request.method, request.url.path.removeprefix("/v2"))
            wait = self._meter(user.account_id, label)
            if wait:
                return JSONResponse(
                    {
                        "code": 429,
                        "message": "You have reached the maximum per-second rate limit for this API. Try again later.",
                    },
                    status_code=429,
                    headers={
                        "Retry-After": str(max(1, math.ceil(wait))),
                        "X-RateLimit-Type": "QPS",
                        "X-RateLimit-Category": label.value.capitalize(),
                    },
                )
            await request.body()  # read before the lock: handlers then parse it without waiting
            try:
                with self.state.lock:
                    result = await handler(request, user)
            except ZoomError as error:
                return _error(error)
            if isinstance(result, Response):
                return result
            return JSONResponse(result)

        return Route(path, endpoint, methods=methods or ["GET"])

    def _target(self, request: Request, me: ZoomUserRecord, key: str = "userId") -> ZoomUserRecord:
        ident = unquote(request.path_params[key])
        user = me if ident == "me" else self.state.user(ident)
        if user is None or user.account_id != me.account_id:
            raise ZoomError(404, USER_NOT_FOUND, f"User does not exist: {ident}.")
        return user

    # -- users, settings, policy -------------------------------------------------------------------

    async def get_user(self, request: Request, me: ZoomUserRecord) -> Any:
        user = self._target(request, me)
        account = self.state.accounts[user.account_id]
        return {
            "id": user.id,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "display_name": user.display_name,
            "type": user.type,
            "zoom_one_type": user.zoom_one_type,
            "account_id": user.account_id,
            "account_number": 10000000 + sorted(self.state.accounts).index(user.account_id),
            "group_ids": list(user.group_ids),
            "cluster": user.cluster,
            "timezone": user.timezone,
            "pmi": user.pmi,
            "personal_meeting_url": f"https://zoom.us/j/{user.pmi}",
            "dept": user.department,
            "job_title": user.job_title,
            "phone_number": user.phone_number,
            "role_name": "Member",
            "status": "active",
            "verified": 1,
            "language": "en-US",
            "created_at": "2024-01-15T09:00:00Z",
            "user_created_at": "2024-01-15T09:00:00Z",
            # Emulated (not in the specs): the plan's category, for the admin policy's defaults.
            "plan_category": account.plan_category,
        }

    async def user_settings(self, request: Request, me: ZoomUserRecord) -> Any:
        user = self._target(request, me)
        return {
            "schedule_meeting": {"host_video": True, "participants_video": False, "join_before_host": False},
            "in_meeting": {"waiting_room": True},
            "recording": {"cloud_recording": user.type == 2},
            "feature": {
                "meeting_capacity": 100,
                "zoom_phone": bool(user.phone_number),
                "zoom_mail_calendar": user.type == 2,
            },
        }

    async def schedulers(self, request: Request, me: ZoomUserRecord) -> Any:
        # "this API's response will list all users for whom User A can schedule and manage meetings"
        user = self._target(request, me)
        found = [self.state.users[e] for e in sorted(user.schedules_for) if e in self.state.users]
        return {"schedulers": [{"id": u.id, "email": u.email, "pmi": u.pmi} for u in found]}

    async def assistants(self, request: Request, me: ZoomUserRecord) -> Any:
        user = self._target(request, me)
        found = [u for u in self.state.users.values() if user.email in u.schedules_for]
        return {"assistants": [{"id": u.id, "email": u.email} for u in found]}

    def _account(self, request: Request, me: ZoomUserRecord) -> Any:
        account_id = request.path_params["accountId"]
        if account_id == "me":
            account_id = me.account_id
        if account_id != me.account_id:
            raise ZoomError(404, 200, "No permission.")
        return self.state.accounts[account_id]

    async def account_settings(self, request: Request, me: ZoomUserRecord) -> Any:
        return {"schedule_meeting": {"host_video": True}, **self._account(request, me).settings}

    async def account_locks(self, request: Request, me: ZoomUserRecord) -> Any:
        return {"schedule_meeting": {"host_video": False}, **self._account(request, me).lock_settings}

    async def group_settings(self, request: Request, me: ZoomUserRecord) -> Any:
        group = self.state.groups.get(request.path_params["groupId"])
        if group is None or group.account_id != me.account_id:
            raise ZoomError(404, 4130, f"A group with this {request.path_params['groupId']} does not exist.")
        return {"schedule_meeting": {"host_video": True}, **group.settings}

    # -- meetings ----------------------------------------------------------------------------------

    async def user_meetings(self, request: Request, me: ZoomUserRecord) -> Any:
        user = self._target(request, me)
        if request.method == "GET":
            mine = [m for m in self.state.meetings.values() if m["host_email"] == user.email]
            return {
                "page_size": 30,
                "total_records": len(mine),
                "next_page_token": "",
                "meetings": [_meeting_summary(m) for m in mine],
            }
        body = await _body(request)
        host = user
        if body.get("schedule_for"):
            host = self.state.user(str(body["schedule_for"]))
            if host is None or host.account_id != me.account_id:
                raise ZoomError(404, USER_NOT_FOUND, f"User does not exist: {body['schedule_for']}.")
        if host.email != me.email and host.email not in me.schedules_for:
            raise ZoomError(
                400,
                NO_SCHEDULING_PRIVILEGE,
                f"User {host.email} has not granted you scheduling privilege.",
            )
        if not body.get("topic") and not body.get("start_time"):
            raise ZoomError(400, 300, "Invalid request: topic and start_time are required.")
        meeting_id = self.state.next_meeting_id
        self.state.next_meeting_id += 7
        password = f"{meeting_id % 1000000:06d}"
        meeting = {
            "id": meeting_id,
            "uuid": f"emu{meeting_id}==",
            "host_id": host.id,
            "host_email": host.email,
            "assistant_id": me.id if host.email != me.email else "",
            "topic": str(body.get("topic", "Zoom meeting")),
            "type": int(body.get("type", 2)),
            "status": "waiting",
            "start_time": body.get("start_time"),
            "duration": int(body.get("duration", 60)),
            "timezone": body.get("timezone", host.timezone),
            "agenda": body.get("agenda", ""),
            "created_at": _iso(dt.datetime.now(dt.UTC)),
            "start_url": f"https://zoom.us/s/{meeting_id}?zak=emulated-host-key-{meeting_id}",
            "join_url": f"https://zoom.us/j/{meeting_id}?pwd=emu{password}",
            "password": password,
            "h323_password": password,
            "pstn_password": password,
            "encrypted_password": f"emu{password}",
            "pre_schedule": False,
            "settings": {
                "host_video": True,
                "participant_video": False,
                "join_before_host": False,
                "mute_upon_entry": True,
                "waiting_room": True,
                "audio": "both",
                "auto_recording": "none",
                **(body.get("settings") or {}),
                "global_dial_in_numbers": list(DIAL_IN),
            },
        }
        if body.get("recurrence"):
            meeting["recurrence"] = body["recurrence"]
        self.state.meetings[meeting_id] = meeting
        return JSONResponse(meeting, status_code=201)

    def _meeting(self, request: Request, me: ZoomUserRecord) -> dict[str, Any]:
        try:
            meeting_id = int(request.path_params["meetingId"])
        except ValueError:
            raise ZoomError(404, MEETING_NOT_FOUND, "Meeting does not exist.") from None
        meeting = self.state.meetings.get(meeting_id)
        if meeting is None:
            raise ZoomError(404, MEETING_NOT_FOUND, f"Meeting does not exist: {meeting_id}.")
        host = self.state.user(meeting["host_email"])
        if meeting["host_email"] != me.email and meeting["host_email"] not in me.schedules_for:
            raise ZoomError(
                400,
                NO_SCHEDULING_PRIVILEGE,
                f"User {host.email if host else '?'} has not granted you scheduling privilege.",
            )
        return meeting

    async def meeting(self, request: Request, me: ZoomUserRecord) -> Any:
        meeting = self._meeting(request, me)
        if request.method == "GET":
            return meeting
        if request.method == "DELETE":
            del self.state.meetings[meeting["id"]]
            self.state.deleted_meetings.append(meeting["id"])
            return Response(status_code=204)
        body = await _body(request)
        for key in ("topic", "start_time", "duration", "timezone", "agenda", "type", "recurrence"):
            if key in body:
                meeting[key] = body[key]
        if isinstance(body.get("settings"), dict):
            meeting["settings"].update({k: v for k, v in body["settings"].items() if k != "global_dial_in_numbers"})
        return Response(status_code=204)

    async def past_participants(self, request: Request, me: ZoomUserRecord) -> Any:
        # A UUID that starts with "/" or holds "//" arrives encoded twice: the router decoded it once.
        key = unquote(request.path_params["meetingId"])
        found = self.state.past_participants.get(key)
        if found is None:
            raise ZoomError(404, MEETING_NOT_FOUND, "Meeting does not exist.")
        return _page(request, found, "participants")

    async def past_meeting_instances(self, request: Request, me: ZoomUserRecord) -> Any:
        key = request.path_params["meetingId"]
        found = self.state.past_instances.get(key)
        if found is None and not (key.isdigit() and int(key) in self.state.meetings):
            raise ZoomError(404, MEETING_NOT_FOUND, f"Meeting does not exist: {key}.")
        return {"meetings": list(found or [])}

    async def live_participants(self, request: Request, me: ZoomUserRecord) -> Any:
        if request.query_params.get("type", "live") != "live":
            raise ZoomError(400, 300, "Only type=live is emulated.")
        found = self.state.live_participants.get(request.path_params["meetingId"])
        if found is None:
            raise ZoomError(404, MEETING_NOT_FOUND, "Meeting does not exist or is not live.")
        return _page(request, found, "participants")

    async def user_recordings(self, request: Request, me: ZoomUserRecord) -> Any:
        # Zoom lists a month at most a call (``from`` defaults to today, ``to`` to the day after), newest first.
        user = self._target(request, me)
        query = request.query_params
        first, last = _recording_dates(query.get("from"), query.get("to"), self.state.now.date())
        found = sorted(
            (
                r
                for r in self.state.recordings
                if r["host_id"] == user.id and first <= dt.date.fromisoformat(r["start_time"][:10]) <= last
            ),
            key=lambda r: r["start_time"],
            reverse=True,
        )
        # The listing has no viewers' passcode (rivet's listAllRecordings); GET /meetings/{id}/recordings has.
        listed = [{k: v for k, v in r.items() if k != "password"} for r in found]
        return {"from": first.isoformat(), "to": last.isoformat(), **_page(request, listed, "meetings")}

    async def meeting_recordings(self, request: Request, me: ZoomUserRecord) -> Any:
        key = unquote(request.path_params["meetingId"])
        for recording in self.state.recordings:
            if key in (str(recording["id"]), recording["uuid"]):
                return recording
        raise ZoomError(404, 3301, "There is no recording for this meeting.")

    # -- Team Chat, contacts, phone -----------------------------------------------------------------

    async def chat_messages(self, request: Request, me: ZoomUserRecord) -> Any:
        user = self._target(request, me)
        if request.method == "GET":
            to_contact, to_channel = request.query_params.get("to_contact"), request.query_params.get("to_channel")
            found = [
                m
                for m in self.state.chat_messages
                if m["sender"] == user.email
                and (to_contact is None or m.get("to_contact") == to_contact)
                and (to_channel is None or m.get("to_channel") == to_channel)
            ]
            return {"date": _iso(self.state.now)[:10], "page_size": 50, "next_page_token": "", "messages": found}
        body = await _body(request)
        if not body.get("message") or not (body.get("to_contact") or body.get("to_channel")):
            raise ZoomError(400, 300, "message and to_contact or to_channel are required.")
        if len(str(body["message"])) > MESSAGE_MAX_LENGTH:
            # The spec's maxLength of ``message``; the wording of the answer is the emulator's.
            raise ZoomError(400, 300, f"Invalid field: message. It is longer than {MESSAGE_MAX_LENGTH} characters.")
        self._chat_target(me, body.get("to_contact"), body.get("to_channel"), by_email=True)
        self._reply_target(body.get("reply_main_message_id"))
        message_id = self._add_chat_message(
            user, body, message=str(body["message"]), fields=("to_contact", "to_channel", "reply_main_message_id")
        )
        return JSONResponse({"id": message_id}, status_code=201)

    async def chat_file(self, request: Request, me: ZoomUserRecord) -> Any:
        """Send a chat file: ``files`` (exactly one), ``to_contact`` (a user id or member id, not an
        email) or ``to_channel``, and ``reply_main_message_id``."""
        user = self._target(request, me)
        try:
            parts = parse_form_data(request.headers.get("content-type", ""), await request.body())
        except FormDataError as error:
            raise ZoomError(400, 300, str(error)) from None
        fields = {p.name: p.data.decode("utf-8", "replace") for p in parts if p.filename is None}
        files = [p for p in parts if p.name == "files" and p.filename is not None]
        if len(files) != 1:
            raise ZoomError(400, 300, "files is required and takes exactly one file.")
        if not (fields.get("to_contact") or fields.get("to_channel")):
            raise ZoomError(400, 300, "to_contact or to_channel is required.")
        (sent,) = files
        image = sent.filename.rsplit(".", 1)[-1].lower() in IMAGE_EXTENSIONS
        limit = IMAGE_MAX_BYTES if image else FILE_MAX_BYTES
        if len(sent.data) > limit:
            raise ZoomError(400, 300, f"Maximum file size exceeded: {limit // 2**20}MB")
        self._chat_target(me, fields.get("to_contact"), fields.get("to_channel"), by_email=False)
        self._reply_target(fields.get("reply_main_message_id"))
        file_id = f"file-{len(self.state.chat_files) + 1:05d}"
        self.state.chat_files[file_id] = {"name": sent.filename, "content_type": sent.content_type, "data": sent.data}
        described = {
            "file_id": file_id,
            "file_name": sent.filename,
            "file_size": len(sent.data),
            "download_url": f"https://zoom.us/file/download/{file_id}",
        }
        message_id = self._add_chat_message(
            user,
            {**fields, **described, "files": [described]},
            message="",
            fields=("to_contact", "to_channel", "reply_main_message_id", "files", *described),
        )
        return JSONResponse({"id": message_id}, status_code=201)

    def _chat_target(self, me: ZoomUserRecord, contact: Any, channel: Any, *, by_email: bool) -> None:
        """A contact of the sender's account (by email only where the route takes one), or a channel of theirs."""
        if contact:
            found = self.state.user(str(contact)) if by_email else self.state.user_by_id(str(contact))
            if found is None or found.account_id != me.account_id:
                raise ZoomError(404, USER_NOT_FOUND, f"User does not exist: {contact}.")
        if channel and not any(c["id"] == channel and me.email in c["members"] for c in self.state.channels):
            raise ZoomError(404, 4130, f"Channel does not exist: {channel}.")

    def _reply_target(self, main_id: Any) -> None:
        if main_id and not any(
            m["id"] == main_id and not m.get("reply_main_message_id") for m in self.state.chat_messages
        ):
            raise ZoomError(400, 5402, "This only supports replies to a main message.")

    def _add_chat_message(
        self, user: ZoomUserRecord, body: dict[str, Any], *, message: str, fields: tuple[str, ...]
    ) -> str:
        message_id = f"msg-{len(self.state.chat_messages) + 1:05d}"
        self.state.chat_messages.append(
            {
                "id": message_id,
                "message": message,
                "sender": user.email,
                "date_time": _iso(dt.datetime.now(dt.UTC)),
                "timestamp": int(time.time() * 1000),
                **{k: body[k] for k in fields if body.get(k)},
            }
        )
        return message_id

    async def channels(self, request: Request, me: ZoomUserRecord) -> Any:
        user = self._target(request, me)
        if request.method == "GET":
            mine = [c for c in self.state.channels if user.email in c["members"]]
            return {
                "page_size": 50,
                "total_records": len(mine),
                "next_page_token": "",
                "channels": [{k: c[k] for k in ("id", "jid", "name", "type")} for c in mine],
            }
        body = await _body(request)
        members = [str(m.get("email", "")) for m in body.get("members", [])]
        if not body.get("name") or body.get("type") not in (1, 2, 3, 4) or not members:
            raise ZoomError(400, 300, "name, type (1-4) and members are required.")
        if len(members) > 20:
            raise ZoomError(400, 300, "You can add at most 20 members in one request.")
        channel_id = f"ch-{len(self.state.channels) + 1:04d}"
        channel = {
            "id": channel_id,
            "jid": f"{channel_id}@conference.xmpp.zoom.us",
            "name": body["name"],
            "type": body["type"],
            "owner": user.email,
            "members": [user.email, *members],
        }
        self.state.channels.append(channel)
        answer = {k: channel[k] for k in ("id", "jid", "name", "type")}
        return JSONResponse({**answer, "channel_url": f"https://zoom.us/launch/chat/v2/{channel_id}"}, status_code=201)

    async def channel_members(self, request: Request, me: ZoomUserRecord) -> Any:
        user = self._target(request, me)
        channel_id = request.path_params["channelId"]
        channel = next((c for c in self.state.channels if c["id"] == channel_id), None)
        if channel is None or user.email not in channel["members"]:
            raise ZoomError(404, 4400, f"Channel does not exist: {channel_id}.")
        members = [str(m.get("email", "")) for m in (await _body(request)).get("members", [])]
        if not members or not all(members):
            raise ZoomError(400, 300, "members, each with an email, are required.")
        if len(members) > 20:
            raise ZoomError(400, 300, "You can invite at most 20 members in one request.")
        added = [m for m in dict.fromkeys(members) if m not in channel["members"]]
        channel["members"].extend(added)
        # The ids of those from other accounts are left out (the spec's rule).
        same_account = [u for u in map(self.state.user, added) if u is not None and u.account_id == me.account_id]
        return JSONResponse(
            {
                "ids": ",".join(u.id for u in same_account),
                "member_ids": ",".join(f"mem-{channel_id}-{m}" for m in added),
                "added_at": _iso(dt.datetime.now(dt.UTC)),
            },
            status_code=201,
        )

    async def contacts(self, request: Request, me: ZoomUserRecord) -> Any:
        search = request.query_params.get("search_key", "").lower()
        presence = request.query_params.get("query_presence_status") == "true"
        found = [
            u
            for u in self.state.users.values()
            if u.account_id == me.account_id
            and u.email != me.email
            and (not search or search in u.email.lower() or search in u.display_name.lower())
        ]
        contacts = []
        for u in found:
            contact = {
                "id": u.id,
                "email": u.email,
                "first_name": u.first_name,
                "last_name": u.last_name,
                "dept": u.department,
                "job_title": u.job_title,
                "phone_numbers": [{"number": u.phone_number, "label": "Office"}] if u.phone_number else [],
            }
            if u.phone_number:  # a Zoom Phone user: the spec's direct numbers are their Zoom Phone numbers
                contact["direct_numbers"] = [u.phone_number, *u.extra_phone_numbers]
            if presence:
                contact["presence_status"] = u.presence
            contacts.append(contact)
        return {"next_page_token": "", "page_size": 25, "contacts": contacts}

    async def phone_user(self, request: Request, me: ZoomUserRecord) -> Any:
        user = self._target(request, me)
        if not user.phone_number:
            # A user without a Zoom Phone licence is no phone user: the spec's 404 with code 1001.
            raise ZoomError(404, USER_NOT_FOUND, f"User does not exist: {request.path_params['userId']}.")
        numbers = (user.phone_number, *user.extra_phone_numbers)
        return {
            "id": user.id,
            "email": user.email,
            "department": user.department,
            "extension_id": f"ext-{user.id}",
            "extension_number": 1000 + user.pmi % 1000,
            "phone_user_id": f"pu-{user.id}",
            "status": "activate",
            "phone_numbers": [{"id": f"pn-{user.id}-{n}", "number": number} for n, number in enumerate(numbers, 1)],
        }


def _meeting_summary(meeting: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "uuid",
        "id",
        "host_id",
        "topic",
        "type",
        "start_time",
        "duration",
        "timezone",
        "agenda",
        "created_at",
        "join_url",
    )
    return {k: meeting[k] for k in keys if k in meeting}


def _page(request: Request, items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """One page of ``items`` under ``key`` as Zoom pages: ``page_size`` (default 30, at most 300) and a
    ``next_page_token`` that is empty on the last page."""
    try:
        size = min(300, max(1, int(request.query_params.get("page_size", "30"))))
        start = int(request.query_params.get("next_page_token") or 0)
    except ValueError:
        raise ZoomError(400, 300, "Invalid page_size or next_page_token.") from None
    end = start + size
    return {
        "page_count": max(1, math.ceil(len(items) / size)),
        "page_size": size,
        "total_records": len(items),
        "next_page_token": str(end) if end < len(items) else "",
        key: items[start:end],
    }


def _recording_dates(first: str | None, last: str | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """A recording listing's ``from`` and ``to`` (yyyy-mm-dd, UTC): Zoom's defaults, at most a month apart."""
    try:
        start = dt.date.fromisoformat(first) if first else today
        end = dt.date.fromisoformat(last) if last else start + dt.timedelta(days=1)
    except ValueError:
        raise ZoomError(400, 300, "Invalid field: from and to are dates (yyyy-mm-dd).") from None
    if end < start:
        raise ZoomError(400, 300, "Invalid field: to is before from.")
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    month_later = dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    if end > month_later:
        raise ZoomError(400, 300, "The date range cannot be more than a month: from and to are at most a month apart.")
    return start, end


def _page_size(text: str | None) -> int:
    try:
        size = int(text) if text else 30
    except ValueError:
        raise ZoomError(400, 300, "Invalid field: page_size.") from None
    return min(max(size, 1), 300)


def _page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _page_offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        kind, _, offset = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        if kind == "offset":
            return int(offset)
    except ValueError:
        pass
    raise ZoomError(400, 300, "Invalid next_page_token: it expired or belongs to another listing.")


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise ZoomError(400, 300, "The request body is not JSON.") from None
    if not isinstance(body, dict):
        raise ZoomError(400, 300, "The request body must be a JSON object.")
    return body


def _error(error: ZoomError) -> JSONResponse:
    return JSONResponse({"code": error.code, "message": error.message}, status_code=error.status)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    code = 124 if error.status_code == 401 else error.status_code
    return JSONResponse({"code": code, "message": error.detail}, status_code=error.status_code, headers=error.headers)
