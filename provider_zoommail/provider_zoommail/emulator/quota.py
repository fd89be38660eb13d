"""Zoom's per-account rate limits: every API carries a label (Light, Medium, Heavy) and the account
may make so many requests a second of each (Pro plan: 30, 20 and 10).

The toolkit meters with one bucket a user, so the labels become costs on one 30-a-second bucket:
a Light request costs 1, a Medium one 1.5 and a Heavy one 3, which allows exactly the plan's rates
for each label alone. The labels are the specs' "Rate Limit Label" of each operation. Zoom limits
the account, not the token: every request of the emulator's one account shares the bucket.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from host.sandbox.faults import QuotaPolicy
from provider_zoommail.emulator.errors import rate_limited

#: The Pro plan's Light limit, in requests a second.
REQUESTS_PER_SECOND = 30.0
COST = {"LIGHT": 1.0, "MEDIUM": 1.5, "HEAVY": 3.0}

M = r"^/v2/emails/mailboxes/[^/]+"
C = r"^/v2/calendars"
# (HTTP method, path regex, label), first match wins; from the specs' Rate Limit Labels.
LABELS: tuple[tuple[str, str, str], ...] = (
    ("GET", M + r"/drafts$", "MEDIUM"),
    ("POST", M + r"/drafts(/send)?$", "MEDIUM"),
    ("PUT", M + r"/drafts/[^/]+$", "MEDIUM"),
    ("*", M + r"/drafts/[^/]+$", "LIGHT"),
    ("GET", M + r"/history$", "LIGHT"),
    ("GET", M + r"/labels$", "MEDIUM"),
    ("*", M + r"/labels(/[^/]+)?$", "LIGHT"),
    ("GET", M + r"/profile$", "LIGHT"),
    ("POST", M + r"/messages/batchModify$", "HEAVY"),
    ("*", M + r"/messages(/send|/batchDelete)?$", "MEDIUM"),
    ("GET", M + r"/messages/[^/]+/attachments/[^/]+$", "MEDIUM"),
    ("POST", M + r"/messages/[^/]+/modify$", "MEDIUM"),
    ("*", M + r"/messages/[^/]+(/trash|/untrash)?$", "LIGHT"),
    ("GET", M + r"/settings/(filters|delegates)$", "MEDIUM"),
    ("*", M + r"/settings/", "LIGHT"),
    ("GET", M + r"/threads/[^/]+$", "LIGHT"),
    ("*", M + r"/threads", "MEDIUM"),
    ("GET", C + r"/users/[^/]+/calendarList$", "HEAVY"),
    ("*", C + r"/users/[^/]+/calendarList", "LIGHT"),
    ("GET", C + r"/users/[^/]+/settings$", "MEDIUM"),
    ("*", C + r"/users/[^/]+/settings/", "LIGHT"),
    ("POST", C + r"/freeBusy$", "MEDIUM"),
    ("GET", C + r"/colors$", "LIGHT"),
    ("GET", C + r"/[^/]+/events(/[^/]+/instances)?$", "MEDIUM"),
    ("GET", C + r"/[^/]+/events/[^/]+$", "LIGHT"),
    ("*", C + r"/[^/]+/events", "HEAVY"),
    ("GET", C + r"/[^/]+/acl$", "MEDIUM"),
    ("GET", C + r"/[^/]+/acl/[^/]+$", "LIGHT"),
    ("*", C + r"/[^/]+/acl", "HEAVY"),
    ("GET", C + r"/[^/]+$", "LIGHT"),
    ("DELETE", C + r"/[^/]+$", "LIGHT"),
    ("*", C + r"(/[^/]+)?$", "HEAVY"),
)


def _account(scope: Mapping[str, Any]) -> str:
    return "account"


def policy() -> QuotaPolicy:
    return QuotaPolicy(
        costs=tuple((method, path, COST[label]) for method, path, label in LABELS),
        default_cost=COST["LIGHT"],
        user=_account,
        reject=lambda wait: rate_limited(wait).response(),
    )
