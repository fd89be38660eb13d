"""The TestMail API emulator: a small JSON REST API over :class:`~testprovider.state.TestMailState`.

Routes (all under one origin; the OAuth server at ``/oauth/*``; JSON in and out)::

    GET    /api/mailbox/profile                           {"email", "name", "cursor"}
    GET    /api/mailbox/folders                           {"folders": [Folder]}
    POST   /api/mailbox/folders                           {"name", "parent_id"} -> Folder
    PATCH  /api/mailbox/folders/{id}                      {"name"} -> Folder
    DELETE /api/mailbox/folders/{id}
    GET    /api/mailbox/messages?pageToken&since&pageSize&format=raw|meta
                                                          {"messages": [Msg], "nextPageToken"} newest first
    GET    /api/mailbox/messages/{id}                     Msg with "raw" (base64url RFC 5322)
    GET    /api/mailbox/messages/{id}/attachments/{aid}   {"data": base64url, "size"}
    POST   /api/mailbox/messages/modify                   {"ids", "addFolderIds", "removeFolderIds",
                                                           "unread", "flagged"}
    POST   /api/mailbox/messages/move                     {"ids", "folderId"} -> {"moved": {}} (ids stay)
    POST   /api/mailbox/messages/trash | /delete          {"ids"}
    GET    /api/mailbox/history?cursor&pageSize           {"changes": [{"type", "id", "message"?}], "cursor", "hasMore"}
                                                          404 {"error": {"reason": "cursorExpired"}} when forgotten
    GET    /api/mailbox/search?q&limit                    {"ids": [...]} newest first
    POST   /api/mailbox/send                              {"raw", "threadId"?} -> {"id", "threadId"}
    GET    /api/mailbox/drafts                            {"drafts": [{"id", "raw", "updated", "threadId"}]}
    POST   /api/mailbox/drafts  PUT|DELETE /drafts/{id}   {"raw", "threadId"?} -> draft
    POST   /api/mailbox/drafts/{id}/send                  {"id", "threadId"}
    GET|POST /api/mailbox/rules  PUT|DELETE /rules/{id}   Rule (the model's field names)
    GET|PUT /api/mailbox/autoreply                        AutoReply
    GET    /api/mailbox/signatures                        {"signatures": [Signature]}
    GET    /api/calendars                                 {"calendars": [Calendar]}
    GET    /api/calendars/{cid}/events?timeMin&timeMax    {"events": [Event], "syncToken"} occurrences expanded
    GET    /api/calendars/{cid}/events?syncToken          {"events": [Event | {"id", "status": "cancelled"}],
                                                           "syncToken"}
                                                          410 {"error": {"reason": "fullSyncRequired"}} when forgotten
    POST   /api/calendars/{cid}/events?sendUpdates=all|none        Event -> Event
    PUT    /api/calendars/{cid}/events/{eid}?sendUpdates           Event -> Event (an occurrence id makes an exception)
    DELETE /api/calendars/{cid}/events/{eid}?sendUpdates
    POST   /api/calendars/{cid}/events/{eid}/respond?sendUpdates   {"response", "comment"} -> Event
    POST   /api/freebusy                                  {"timeMin", "timeMax", "items": [email] (<= 50)}
                                                          -> {"calendars": {email: {"busy": [...]} | {"error"}}}
    GET    /api/delegates                                 {"delegates": [DelegatePermission]}

Errors are ``{"error": {"code", "reason", "message"}}``. The emulator refuses any online meeting that is
not a Zoom meeting (promise 1) with 400 ``nonZoomConferencing``. Quotas follow Gmail's shape: 250 units a
second per user, each route its cost; over quota is 403 ``userRateLimitExceeded`` with ``Retry-After``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import attrs
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from host.errors import ZoomclientError
from host.mime import attachment_bytes
from host.model.calendar import DelegatePermission, Event, ResponseStatus
from host.model.mail import AutoReply, Rule
from host.sandbox.faults import FaultInjector, QuotaPolicy, retry_after_seconds
from host.sandbox.oauth import OAuthServer, OAuthServerConfig
from host.sandbox.requestlog import RequestLog
from host.sandbox.service import SandboxOptions
from testprovider import names
from testprovider.codec import from_json, to_json
from testprovider.state import CursorUnknown, Forbidden, Invalid, NotFound, StoredMessage, TestMailState

MAX_PAGE = 500
MAX_FREEBUSY = 50


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        raise Invalid("raw is not base64url.") from None


def error(status: int, reason: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": status, "reason": reason, "message": message}}, status_code=status, headers=headers
    )


def over_quota(retry_after: float) -> Response:
    seconds = retry_after_seconds(retry_after)
    return error(
        403,
        "userRateLimitExceeded",
        f"User-rate limit exceeded. Retry after {seconds} s.",
        headers={"Retry-After": str(seconds)},
    )


def _listing_cost(query: Mapping[str, str]) -> float:
    """messages.list's 5 units, plus a messages.get (5) for each message a raw listing carries."""
    if query.get("format") != "raw":
        return 5.0
    try:
        size = min(max(int(query.get("pageSize", "100")), 1), MAX_PAGE)
    except ValueError:
        size = 100
    return 5.0 + 5.0 * size


#: Gmail's quota units for the routes they resemble (messages.get 5, history.list 2, send 100, ...).
QUOTA_COSTS = (
    ("POST", r"/send$|/drafts/[^/]+/send$", 100.0),
    ("GET", r"/mailbox/messages$", _listing_cost),
    ("GET", r"/mailbox/messages/[^/]+$", 5.0),
    ("GET", r"/attachments/", 5.0),
    ("POST", r"/messages/(modify|move|trash|delete)$", 5.0),
    ("GET", r"/history$", 2.0),
    ("*", r"/drafts", 10.0),
    ("GET", r"/search$", 5.0),
)
QUOTA_POLICY = QuotaPolicy(costs=QUOTA_COSTS, default_cost=1.0, reject=over_quota)
QUOTA_UNITS_PER_SECOND = 250


def _datetime(text: str | None, name: str) -> dt.datetime | None:
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{name} is not an ISO 8601 date-time.") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def message_json(message: StoredMessage, raw: bytes | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": message.id,
        "threadId": message.thread_id,
        "folderIds": sorted(message.folder_ids),
        "unread": message.unread,
        "flagged": message.flagged,
        "date": message.date.isoformat(),
    }
    if raw is not None:
        data["raw"] = b64(raw)
        data["size"] = len(raw)
    return data


def _token(seq: int, start: dt.datetime, end: dt.datetime) -> str:
    return b64(json.dumps({"seq": seq, "min": start.isoformat(), "max": end.isoformat()}).encode())


def _untoken(token: str) -> tuple[int, dt.datetime, dt.datetime]:
    try:
        data = json.loads(unb64(token))
        return int(data["seq"]), dt.datetime.fromisoformat(data["min"]), dt.datetime.fromisoformat(data["max"])
    except (ValueError, KeyError, TypeError, Invalid):
        raise CursorUnknown(token) from None


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    reason = {401: "unauthorized", 403: "insufficientScope", 404: "notFound", 405: "methodNotAllowed"}
    return error(exc.status_code, reason.get(exc.status_code, "error"), str(exc.detail), dict(exc.headers or {}))


async def _state_error(request: Request, exc: Exception) -> Response:
    status, reason = {NotFound: (404, "notFound"), Forbidden: (403, "forbidden")}.get(type(exc), (400, "invalid"))
    return error(status, reason, str(exc).strip("'\""))


class TestMailEmulator:
    """The emulator as an ASGI app, with its parts open for tests.

    ``state`` is the server's data, ``faults`` the fault injector, ``log`` the request log, ``oauth``
    the authorization server and ``notifications`` the ``(event id, action, sendUpdates)`` of every
    event write, so a test can see whether invitations would have gone out.
    """

    __test__ = False

    def __init__(self, options: SandboxOptions | None = None, *, state: TestMailState | None = None) -> None:
        self.options = options or SandboxOptions()
        self.state = state or TestMailState(
            messages=self.options.messages, events=self.options.events, seed=self.options.seed
        )
        self.faults = FaultInjector(
            self.options.faults, seed=self.options.seed, exempt=r"^/oauth/", quota_policy=QUOTA_POLICY
        )
        self.log = RequestLog()
        self.notifications: list[tuple[str, str, str]] = []
        self.oauth = OAuthServer(
            OAuthServerConfig(
                clients={names.CLIENT_ID: names.REDIRECT_PATH},
                users=[(self.state.owner.email, self.state.owner.name)],
                authorize_path="/oauth/authorize",
                token_path="/oauth/token",
                userinfo_path="/oauth/userinfo",
                unattended=self.options.unattended_consent,
            )
        )
        api = Starlette(
            routes=[*self.oauth.routes, *self._routes()],
            exception_handlers={
                HTTPException: _http_error,
                NotFound: _state_error,
                Forbidden: _state_error,
                Invalid: _state_error,
            },
        )
        self.app = self.log.wrap(self.faults.wrap(api))

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)

    def enforce_quota(self, units_per_second: float = QUOTA_UNITS_PER_SECOND) -> None:
        """Meter every user as Gmail does (250 units a second unless told otherwise)."""
        self.faults.set_quota(units_per_second)

    def _routes(self) -> list[Route]:
        mail = "/api/mailbox"
        return [
            Route(f"{mail}/profile", self.profile),
            Route(f"{mail}/folders", self.folders, methods=["GET", "POST"]),
            Route(f"{mail}/folders/{{folder_id}}", self.folder, methods=["PATCH", "DELETE"]),
            Route(f"{mail}/messages", self.messages),
            Route(f"{mail}/messages/modify", self.modify, methods=["POST"]),
            Route(f"{mail}/messages/move", self.move, methods=["POST"]),
            Route(f"{mail}/messages/trash", self.trash, methods=["POST"]),
            Route(f"{mail}/messages/delete", self.delete, methods=["POST"]),
            Route(f"{mail}/messages/{{message_id}}", self.message),
            Route(f"{mail}/messages/{{message_id}}/attachments/{{attachment_id}}", self.attachment),
            Route(f"{mail}/history", self.history),
            Route(f"{mail}/search", self.search),
            Route(f"{mail}/send", self.send, methods=["POST"]),
            Route(f"{mail}/drafts", self.drafts, methods=["GET", "POST"]),
            Route(f"{mail}/drafts/{{draft_id}}", self.draft, methods=["PUT", "DELETE"]),
            Route(f"{mail}/drafts/{{draft_id}}/send", self.send_draft, methods=["POST"]),
            Route(f"{mail}/rules", self.rules, methods=["GET", "POST"]),
            Route(f"{mail}/rules/{{rule_id}}", self.rule, methods=["PUT", "DELETE"]),
            Route(f"{mail}/autoreply", self.autoreply, methods=["GET", "PUT"]),
            Route(f"{mail}/signatures", self.signatures),
            Route("/api/calendars", self.calendars),
            Route("/api/calendars/{calendar_id}/events", self.events, methods=["GET", "POST"]),
            Route("/api/calendars/{calendar_id}/events/{event_id}", self.event, methods=["PUT", "DELETE"]),
            Route("/api/calendars/{calendar_id}/events/{event_id}/respond", self.respond, methods=["POST"]),
            Route("/api/freebusy", self.freebusy, methods=["POST"]),
            Route("/api/delegates", self.delegates),
        ]

    # -- helpers ---------------------------------------------------------------------------------------

    def _mail(self, request: Request) -> None:
        self.oauth.require_token(request, scopes=(names.MAIL_SCOPE,))

    def _calendar(self, request: Request) -> None:
        self.oauth.require_token(request, scopes=(names.CALENDAR_SCOPE,))

    @staticmethod
    async def _body(request: Request) -> dict[str, Any]:
        try:
            data = await request.json()
        except ValueError:
            raise Invalid("The body is not JSON.") from None
        if not isinstance(data, dict):
            raise Invalid("The body must be a JSON object.")
        return data

    @staticmethod
    def _ids(body: dict[str, Any]) -> list[str]:
        ids = body.get("ids")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise Invalid("ids must be a list of message ids.")
        return ids

    # -- mail ------------------------------------------------------------------------------------------

    async def profile(self, request: Request) -> Response:
        self._mail(request)
        owner = self.state.owner
        return JSONResponse({"email": owner.email, "name": owner.name, "cursor": self.state.cursor()})

    async def folders(self, request: Request) -> Response:
        self._mail(request)
        if request.method == "POST":
            body = await self._body(request)
            folder = self.state.create_folder(str(body.get("name", "")), body.get("parent_id"))
            return JSONResponse(to_json(folder))
        return JSONResponse({"folders": [to_json(f) for f in self.state.folder_list()]})

    async def folder(self, request: Request) -> Response:
        self._mail(request)
        folder_id = request.path_params["folder_id"]
        if request.method == "DELETE":
            self.state.delete_folder(folder_id)
            return Response(status_code=204)
        body = await self._body(request)
        return JSONResponse(to_json(self.state.rename_folder(folder_id, str(body.get("name", "")))))

    async def messages(self, request: Request) -> Response:
        self._mail(request)
        params = request.query_params
        try:
            page_size = min(int(params.get("pageSize", "100")), MAX_PAGE)
        except ValueError:
            raise Invalid("pageSize must be a number.") from None
        since = _datetime(params.get("since"), "since")
        with_raw = params.get("format") == "raw"
        # Under the state's lock: a test thread deleting a message must not slip between page and raw.
        with self.state.lock:
            page, token = self.state.list_page(params.get("pageToken"), since, max(1, page_size))
            items = [message_json(m, self.state.raw(m.id) if with_raw else None) for m in page]
        return JSONResponse({"messages": items, "nextPageToken": token})

    async def message(self, request: Request) -> Response:
        self._mail(request)
        message_id = request.path_params["message_id"]
        with self.state.lock:
            return JSONResponse(message_json(self.state.get(message_id), self.state.raw(message_id)))

    async def attachment(self, request: Request) -> Response:
        self._mail(request)
        try:
            data = attachment_bytes(
                self.state.raw(request.path_params["message_id"]), request.path_params["attachment_id"]
            )
        except ZoomclientError as error:
            raise NotFound("No such attachment.") from error
        return JSONResponse({"data": b64(data), "size": len(data)})

    async def modify(self, request: Request) -> Response:
        self._mail(request)
        body = await self._body(request)
        self.state.modify(
            self._ids(body),
            add=body.get("addFolderIds") or (),
            remove=body.get("removeFolderIds") or (),
            unread=body.get("unread"),
            flagged=body.get("flagged"),
        )
        return JSONResponse({})

    async def move(self, request: Request) -> Response:
        self._mail(request)
        body = await self._body(request)
        self.state.move(self._ids(body), str(body.get("folderId", "")))
        return JSONResponse({"moved": {}})

    async def trash(self, request: Request) -> Response:
        self._mail(request)
        self.state.trash(self._ids(await self._body(request)))
        return JSONResponse({})

    async def delete(self, request: Request) -> Response:
        self._mail(request)
        self.state.delete(self._ids(await self._body(request)))
        return JSONResponse({})

    async def history(self, request: Request) -> Response:
        self._mail(request)
        cursor = request.query_params.get("cursor", "")
        try:
            page_size = min(int(request.query_params.get("pageSize", "100")), MAX_PAGE)
        except ValueError:
            raise Invalid("pageSize must be a number.") from None
        items = []
        with self.state.lock:  # the changes and the messages they name, as of one moment
            try:
                if self.faults.should_expire_cursor(request.url.path):
                    raise CursorUnknown(cursor)
                changes, new_cursor, has_more = self.state.changes(cursor, max(1, page_size))
            except CursorUnknown:
                return error(404, "cursorExpired", f"The history cursor {cursor!r} is no longer valid; sync in full.")
            for kind, message_id in changes:
                entry: dict[str, Any] = {"type": kind, "id": message_id}
                stored = self.state.messages.get(message_id)
                if stored is None:  # deleted again since: report it as gone
                    entry["type"] = "deleted"
                elif kind != "deleted":
                    entry["message"] = message_json(stored, self.state.raw(message_id) if kind == "added" else None)
                items.append(entry)
        return JSONResponse({"changes": items, "cursor": new_cursor, "hasMore": has_more})

    async def search(self, request: Request) -> Response:
        self._mail(request)
        try:
            limit = min(int(request.query_params.get("limit", "50")), MAX_PAGE)
        except ValueError:
            raise Invalid("limit must be a number.") from None
        return JSONResponse({"ids": self.state.search(request.query_params.get("q", ""), limit)})

    async def send(self, request: Request) -> Response:
        self._mail(request)
        body = await self._body(request)
        sent = self.state.send(unb64(str(body.get("raw", ""))), body.get("threadId"))
        return JSONResponse({"id": sent.id, "threadId": sent.thread_id})

    def _draft_json(self, draft: Any) -> dict[str, Any]:
        return {
            "id": draft.id,
            "raw": b64(draft.raw),
            "updated": draft.updated.isoformat(),
            "threadId": draft.thread_id,
        }

    async def drafts(self, request: Request) -> Response:
        self._mail(request)
        if request.method == "POST":
            body = await self._body(request)
            draft = self.state.save_draft(None, unb64(str(body.get("raw", ""))), body.get("threadId"))
            return JSONResponse(self._draft_json(draft))
        return JSONResponse({"drafts": [self._draft_json(d) for d in self.state.drafts.values()]})

    async def draft(self, request: Request) -> Response:
        self._mail(request)
        draft_id = request.path_params["draft_id"]
        if request.method == "DELETE":
            self.state.delete_draft(draft_id)
            return Response(status_code=204)
        body = await self._body(request)
        draft = self.state.save_draft(draft_id, unb64(str(body.get("raw", ""))), body.get("threadId"))
        return JSONResponse(self._draft_json(draft))

    async def send_draft(self, request: Request) -> Response:
        self._mail(request)
        sent = self.state.send_draft(request.path_params["draft_id"])
        return JSONResponse({"id": sent.id, "threadId": sent.thread_id})

    async def rules(self, request: Request) -> Response:
        self._mail(request)
        if request.method == "POST":
            rule = self._rule(await self._body(request))
            return JSONResponse(to_json(self.state.save_rule(attrs.evolve(rule, id=None))))
        return JSONResponse({"rules": [to_json(r) for r in self.state.rules.values()]})

    async def rule(self, request: Request) -> Response:
        self._mail(request)
        rule_id = request.path_params["rule_id"]
        if request.method == "DELETE":
            self.state.delete_rule(rule_id)
            return Response(status_code=204)
        rule = self._rule(await self._body(request))
        return JSONResponse(to_json(self.state.save_rule(attrs.evolve(rule, id=rule_id))))

    @staticmethod
    def _rule(body: dict[str, Any]) -> Rule:
        try:
            return from_json(Rule, body)
        except (TypeError, ValueError, KeyError) as exc:
            raise Invalid(f"Not a rule: {exc}.") from None

    async def autoreply(self, request: Request) -> Response:
        self._mail(request)
        if request.method == "PUT":
            try:
                self.state.auto_reply = from_json(AutoReply, await self._body(request))
            except (TypeError, ValueError) as exc:
                raise Invalid(f"Not an auto-reply: {exc}.") from None
        return JSONResponse(to_json(self.state.auto_reply))

    async def signatures(self, request: Request) -> Response:
        self._mail(request)
        return JSONResponse({"signatures": [to_json(s) for s in self.state.signatures]})

    # -- calendar --------------------------------------------------------------------------------------

    async def calendars(self, request: Request) -> Response:
        self._calendar(request)
        return JSONResponse({"calendars": [to_json(c) for c in self.state.calendars.values()]})

    async def events(self, request: Request) -> Response:
        self._calendar(request)
        calendar_id = request.path_params["calendar_id"]
        if request.method == "POST":
            event = self._event(await self._body(request), calendar_id)
            created = self.state.create_event(event)
            self._notify(request, created.id, "created")
            return JSONResponse(to_json(created))
        params = request.query_params
        if "syncToken" in params:
            if {"timeMin", "timeMax"} & set(params):
                raise Invalid("syncToken cannot be combined with timeMin or timeMax.")
            try:
                seq, start, end = _untoken(params["syncToken"])
                if self.faults.should_expire_cursor(request.url.path):
                    raise CursorUnknown(params["syncToken"])
                upserted, deleted, new_seq = self.state.event_changes(calendar_id, seq, start, end)
            except CursorUnknown:
                return error(410, "fullSyncRequired", "The sync token is no longer valid; list the window again.")
            items = [to_json(e) for e in upserted] + [{"id": i, "status": "cancelled"} for i in deleted]
            return JSONResponse({"events": items, "syncToken": _token(new_seq, start, end)})
        start = _datetime(params.get("timeMin"), "timeMin")
        end = _datetime(params.get("timeMax"), "timeMax")
        if start is None or end is None or end <= start:
            raise Invalid("timeMin and timeMax are required, timeMin before timeMax.")
        seq = self.state.event_token()
        events = self.state.event_window(calendar_id, start, end)
        return JSONResponse({"events": [to_json(e) for e in events], "syncToken": _token(seq, start, end)})

    def _event(self, body: dict[str, Any], calendar_id: str, event_id: str = "") -> Event:
        meeting = body.get("online_meeting")
        if meeting and str(meeting.get("provider", "")).lower() != "zoom":
            raise Invalid("Only Zoom meetings can be attached to an event (nonZoomConferencing).")
        try:
            event = from_json(Event, {**body, "calendar_id": calendar_id, "id": event_id or body.get("id") or ""})
        except (TypeError, ValueError, KeyError) as exc:
            raise Invalid(f"Not an event: {exc}.") from None
        if event.start.tzinfo is None or event.end.tzinfo is None:
            raise Invalid("Event times need a UTC offset.")
        return event

    def _notify(self, request: Request, event_id: str, action: str) -> None:
        self.notifications.append((event_id, action, request.query_params.get("sendUpdates", "all")))

    async def event(self, request: Request) -> Response:
        self._calendar(request)
        calendar_id, event_id = request.path_params["calendar_id"], request.path_params["event_id"]
        if request.method == "DELETE":
            self.state.delete_event(calendar_id, event_id)
            self._notify(request, event_id, "deleted")
            return Response(status_code=204)
        updated = self.state.update_event(self._event(await self._body(request), calendar_id, event_id))
        self._notify(request, event_id, "updated")
        return JSONResponse(to_json(updated))

    async def respond(self, request: Request) -> Response:
        self._calendar(request)
        body = await self._body(request)
        try:
            response = ResponseStatus(body.get("response"))
        except ValueError:
            raise Invalid("response must be one of accepted, tentative, declined, needsAction.") from None
        calendar_id, event_id = request.path_params["calendar_id"], request.path_params["event_id"]
        event = self.state.respond(calendar_id, event_id, response, str(body.get("comment", "")))
        self._notify(request, event_id, f"responded:{response.value}")
        return JSONResponse(to_json(event))

    async def freebusy(self, request: Request) -> Response:
        self._calendar(request)
        body = await self._body(request)
        items = body.get("items")
        if not isinstance(items, list) or len(items) > MAX_FREEBUSY:
            raise Invalid(f"items must be a list of at most {MAX_FREEBUSY} addresses.")
        start = _datetime(body.get("timeMin"), "timeMin")
        end = _datetime(body.get("timeMax"), "timeMax")
        if start is None or end is None or end <= start:
            raise Invalid("timeMin and timeMax are required, timeMin before timeMax.")
        result: dict[str, Any] = {}
        for entry in self.state.free_busy([str(i) for i in items], start, end):
            if entry.error:
                result[entry.address] = {"error": entry.error}
            else:
                result[entry.address] = {"busy": [to_json(b) for b in entry.busy]}
        return JSONResponse({"calendars": result})

    async def delegates(self, request: Request) -> Response:
        self._calendar(request)
        permissions: list[DelegatePermission] = self.state.delegations
        return JSONResponse({"delegates": [to_json(p) for p in permissions]})


def create_app(options: SandboxOptions) -> TestMailEmulator:
    """What the ``testmail`` SandboxService builds."""
    return TestMailEmulator(options)
