"""The OData conventions Graph answers in: errors, collections with next and delta links, ``$select``,
``$top``/``$skip``, the ``Prefer`` header, opaque tokens."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

T = TypeVar("T")

GRAPH = "/v1.0"
MAX_TOP = 1000


class GraphError(Exception):
    """An answer in Graph's error shape: ``{"error": {"code", "message"}}``."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def response(self) -> JSONResponse:
        return error_response(self.status, self.code, self.message, self.headers)


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "innerError": {"request-id": "00000000-sandbox"}}}
    return JSONResponse(body, status_code=status, headers=headers)


def not_found(what: str = "The specified object was not found in the store.") -> GraphError:
    return GraphError(404, "ErrorItemNotFound", what)


def bad_request(message: str, code: str = "ErrorInvalidRequest") -> GraphError:
    return GraphError(400, code, message)


def _per_request(request: Request, name: str, read: Callable[[], T]) -> T:
    """What ``read`` makes of the request, made once: a page asks it again for each of its items."""
    key = f"odata.{name}"
    if key not in request.scope:
        request.scope[key] = read()
    return request.scope[key]


def prefer(request: Request) -> dict[str, str]:
    """The ``Prefer`` header's preferences: ``IdType="ImmutableId", odata.maxpagesize=50`` -> dict."""

    def read() -> dict[str, str]:
        found: dict[str, str] = {}
        for header in request.headers.getlist("prefer"):
            for item in header.split(","):
                key, _, value = item.strip().partition("=")
                if key:
                    found[key.strip().lower()] = value.strip().strip('"')
        return found

    return _per_request(request, "prefer", read)


def immutable_ids(request: Request) -> bool:
    return prefer(request).get("idtype", "").lower() == "immutableid"


def page_size(request: Request, default: int, maximum: int = MAX_TOP) -> int:
    text = request.query_params.get("$top") or prefer(request).get("odata.maxpagesize") or str(default)
    try:
        value = int(text)
    except ValueError:
        raise bad_request(f"Invalid page size {text!r}.") from None
    return max(1, min(value, maximum))


def skip(request: Request) -> int:
    try:
        return max(0, int(request.query_params.get("$skip", "0")))
    except ValueError:
        raise bad_request("$skip must be a number.") from None


def select(item: dict[str, Any], request: Request, always: Sequence[str] = ("id",)) -> dict[str, Any]:
    selected = _per_request(request, "select", lambda: _selected(request))
    if selected is None:
        return item
    wanted = selected | set(always)
    return {k: v for k, v in item.items() if k in wanted or k.startswith("@odata")}


def _selected(request: Request) -> frozenset[str] | None:
    fields = request.query_params.get("$select")
    return frozenset(f.strip() for f in fields.split(",")) | expanded(request) if fields else None


def expanded(request: Request) -> frozenset[str]:
    """The navigation properties ``$expand`` names: ``attachments($select=id,name)`` -> {"attachments"}."""

    def read() -> frozenset[str]:
        text = re.sub(r"\([^)]*\)", "", request.query_params.get("$expand", ""))
        return frozenset(name.strip() for name in text.split(",") if name.strip())

    return _per_request(request, "expand", read)


def context(request: Request, what: str) -> str:
    return f"{str(request.base_url).rstrip('/')}{GRAPH}/$metadata#{what}"


def link(request: Request, **params: str) -> str:
    """This request's URL with ``params`` replacing its query (next and delta links)."""
    kept = {k: v for k, v in request.query_params.items() if k not in params and not k.startswith("$skip")}
    kept.pop("$deltatoken", None)
    kept.pop("$skiptoken", None)
    return f"{str(request.base_url).rstrip('/')}{request.url.path}?{urlencode({**kept, **params})}"


def collection(
    request: Request,
    items: Sequence[Any],
    what: str,
    render: Callable[[Any], dict[str, Any]],
    *,
    default_top: int = 10,
) -> JSONResponse:
    """One page of ``items`` with ``@odata.nextLink`` when more follow ($top / $skip paging)."""
    top, first = page_size(request, default_top), skip(request)
    page = items[first : first + top]
    body: dict[str, Any] = {
        "@odata.context": context(request, what),
        "value": [select(render(i), request) for i in page],
    }
    if first + top < len(items):
        body["@odata.nextLink"] = link(request, **{"$top": str(top), "$skip": str(first + top)})
    return JSONResponse(body)


def entity(request: Request, item: dict[str, Any], what: str, status: int = 200) -> JSONResponse:
    return JSONResponse({"@odata.context": context(request, what), **select(item, request)}, status_code=status)


def no_content(status: int = 204) -> Response:
    return Response(status_code=status)


def encode_token(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_token(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


async def json_body(request: Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except ValueError:
        raise bad_request("The request body is not valid JSON.", "BadRequest") from None
    if not isinstance(data, dict):
        raise bad_request("The request body must be a JSON object.", "BadRequest")
    return data


def graph_datetime(value: dt.datetime) -> str:
    """A wall-clock time as Graph writes it, with seven fractional digits: ``2025-01-02T10:00:00.0000000``."""
    return value.strftime("%Y-%m-%dT%H:%M:%S") + ".0000000"


def utc_stamp(value: dt.datetime) -> str:
    """An instant as Graph writes ``receivedDateTime`` and friends: ``2025-01-02T10:00:00Z``."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_FILTER = re.compile(r"(\w+)\s+(eq|ge|gt|le|lt)\s+('(?:[^']|'')*'|[\w:.+-]+)", re.I)


def parse_filter(text: str | None) -> list[tuple[str, str, str]]:
    """The ``field op value`` clauses of a ``$filter`` joined by ``and`` (all this emulator needs)."""
    if not text:
        return []
    clauses = []
    for part in re.split(r"\s+and\s+", text.strip(), flags=re.I):
        match = _FILTER.fullmatch(part.strip())
        if match is None:
            raise bad_request(f"Unsupported $filter clause {part!r}.", "BadRequest")
        field, op, value = match.groups()
        if value.startswith("'"):
            value = value[1:-1].replace("''", "'")
        clauses.append((field, op.lower(), value))
    return clauses
