"""Gmail's per-user quota: 250 units a second, each method its documented cost.

The costs are Google's published "quota units" per method. The batch endpoint costs nothing itself:
each of its parts is metered as if it came alone, so a batch costs the sum of its parts. Calendar's
quotas are per-minute request counts of their own, not units: its routes are not metered here.
"""

from __future__ import annotations

from host.sandbox.faults import QuotaPolicy
from provider_gmail.emulator.errors import rate_limited

UNITS_PER_SECOND = 250.0

U = r"^/gmail/v1/users/[^/]+"
# (HTTP method, path regex, units), first match wins.
COSTS: tuple[tuple[str, str, float], ...] = (
    ("*", r"^/batch", 0),
    ("*", r"^/calendar/", 0),
    ("GET", U + r"/profile$", 1),
    ("GET", U + r"/history$", 2),
    ("GET", U + r"/labels(/[^/]+)?$", 1),
    ("*", U + r"/labels(/[^/]+)?$", 5),
    ("POST", U + r"/messages/send$", 100),
    ("POST", U + r"/messages/batchModify$", 50),
    ("POST", U + r"/messages/batchDelete$", 50),
    ("GET", U + r"/messages/[^/]+/attachments/[^/]+$", 5),
    ("GET", U + r"/messages(/[^/]+)?$", 5),
    ("DELETE", U + r"/messages/[^/]+$", 10),
    ("POST", U + r"/messages/[^/]+/(modify|trash|untrash)$", 5),
    ("GET", U + r"/threads(/[^/]+)?$", 10),
    ("POST", U + r"/drafts/send$", 100),
    ("POST", U + r"/drafts$", 10),
    ("PUT", U + r"/drafts/[^/]+$", 15),
    ("DELETE", U + r"/drafts/[^/]+$", 10),
    ("GET", U + r"/drafts(/[^/]+)?$", 5),
    ("GET", U + r"/settings/", 1),
    ("*", U + r"/settings/", 5),
)


def policy() -> QuotaPolicy:
    return QuotaPolicy(costs=COSTS, default_cost=1, reject=lambda wait: rate_limited(wait).response())
