"""The signed-in Zoom user, from ``GET /users/me`` (zoom-users.openapi.json, operation ``user``)."""

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen
class ZoomUser:
    """What the Zoom plugins need of the signed-in user. ``plan_type`` is the spec's ``type``
    (1 Basic, 2 Licensed); ``zoom_one_type`` the Zoom Workplace plan option, when there is one."""

    id: str
    email: str
    display_name: str
    account_id: str
    plan_type: int
    group_ids: tuple[str, ...] = ()
    zoom_one_type: int | None = None
    timezone: str = "UTC"
    cluster: str = ""
    pmi: int | None = None
    plan_category: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ZoomUser:
        name = data.get("display_name") or " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
        return cls(
            id=str(data["id"]),
            email=str(data["email"]),
            display_name=str(name or data["email"]),
            account_id=str(data.get("account_id", "")),
            plan_type=int(data.get("type", 1)),
            group_ids=tuple(str(g) for g in data.get("group_ids", ())),
            zoom_one_type=data.get("zoom_one_type"),
            timezone=str(data.get("timezone") or "UTC"),
            cluster=str(data.get("cluster") or ""),
            pmi=data.get("pmi"),
            plan_category=data.get("plan_category"),
        )
