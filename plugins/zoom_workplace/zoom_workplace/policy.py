"""The admin policy for zoomclient's mail and calendar clients, read from the user's Zoom account
(promise 6).

The rule: the clients are **off by default** on Business, Enterprise, Education and Healthcare
accounts until an admin enables them, **on by default** for Basic and Pro; an admin may switch each
on or off for the whole account or for a group (the group's setting wins over the account's unless
the account **locks** it), and they are **not available** to Zoom for Government accounts whatever
the settings say.

Where each fact comes from:

- The plan: ``GET /users/me``. The spec's ``type`` (1 Basic, 2 Licensed) and ``zoom_one_type`` (the Zoom
  Workplace plan option: Pro Plus, Business Plus, Enterprise...) tell Basic, Pro, Business and
  Enterprise apart; Education and Healthcare are verticals that no field of the specs names, so the
  emulator adds ``plan_category`` (``basic|pro|business|enterprise|education|healthcare``), which is
  read first when present. **Emulated**, not in the specs.
- Government: Zoom for Government is a separate cloud (``zoomgov.com``, API ``api.zoomgov.com``) with
  ``gov`` clusters; an account is taken for government when its API host is under ``zoomgov.com`` or
  the user's ``cluster`` starts with ``gov`` (the emulator's gov user is on cluster ``gov01``).
- The settings: the specs' account, group and user settings only carry the *license* flag
  ``feature.zoom_mail_calendar``; the admin switch itself (Admin > Account settings > Zoom Mail &
  Calendar > "Use Zoom Mail/Calendar clients") is not in them. It is read from the closest real
  endpoints, ``GET /accounts/{accountId}/settings`` and ``GET /groups/{groupId}/settings``, as an
  **emulated** section ``"zoom_mail_calendar": {"mail_client": bool, "calendar_client": bool}`` (a
  key left out means "the plan's default"), and its lock from ``GET /accounts/{accountId}/lock_settings``
  with the same section (``true`` = locked: groups cannot change it).
"""

from __future__ import annotations

import asyncio
import enum
from typing import Any
from urllib.parse import urlsplit

import attrs

from host.errors import ProviderError
from host.model.account import Feature
from zoom_workplace.client import ZoomClient
from zoom_workplace.profile import ZoomUser

#: The emulated settings section (see the module docstring) and its two switches.
SECTION = "zoom_mail_calendar"
SWITCHES = {Feature.MAIL: "mail_client", Feature.CALENDAR: "calendar_client"}


class PlanCategory(enum.Enum):
    BASIC = "basic"
    PRO = "pro"
    BUSINESS = "business"
    ENTERPRISE = "enterprise"
    EDUCATION = "education"
    HEALTHCARE = "healthcare"

    @property
    def on_by_default(self) -> bool:
        return self in (PlanCategory.BASIC, PlanCategory.PRO)

    @property
    def title(self) -> str:
        return self.value.capitalize()


#: ``zoom_one_type`` values (zoom-users.openapi.json) by plan: Enterprise 4, 8 and the Premier options;
#: Business Plus 16..128 and 33554432; Pro Plus 4398046511104.
_ENTERPRISE_ONE_TYPES = frozenset({4, 8, 134217728, 268435456, 536870912, 1073741824})
_BUSINESS_ONE_TYPES = frozenset({16, 32, 64, 128, 33554432})


def plan_category(user: ZoomUser) -> PlanCategory:
    if user.plan_category:
        try:
            return PlanCategory(user.plan_category.lower())
        except ValueError:
            pass  # an unknown category: fall back on the spec's fields
    if user.plan_type == 1:
        return PlanCategory.BASIC
    if user.zoom_one_type in _ENTERPRISE_ONE_TYPES:
        return PlanCategory.ENTERPRISE
    if user.zoom_one_type in _BUSINESS_ONE_TYPES:
        return PlanCategory.BUSINESS
    return PlanCategory.PRO


def is_government(user: ZoomUser, api_base: str) -> bool:
    host = (urlsplit(api_base).hostname or "").lower()
    return host == "zoomgov.com" or host.endswith(".zoomgov.com") or user.cluster.lower().startswith("gov")


@attrs.frozen
class FeaturePolicy:
    """Whether the admin lets the mail and the calendar client run, and why not when one is off.

    ``locked`` says the account locked the setting, so a group admin cannot change it.
    """

    mail: bool
    calendar: bool
    locked: bool = False
    reason: str = ""

    def allows(self, feature: Feature) -> bool:
        return self.mail if feature is Feature.MAIL else self.calendar

    def withheld(self) -> list[tuple[Feature, str]]:
        """``(feature, why)`` for each feature the policy turns off."""
        return [(f, self.reason) for f in (Feature.MAIL, Feature.CALENDAR) if not self.allows(f)]

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeaturePolicy:
        return cls(bool(data["mail"]), bool(data["calendar"]), bool(data.get("locked")), str(data.get("reason", "")))


def _switches(settings: Any) -> dict[str, bool]:
    section = settings.get(SECTION) if isinstance(settings, dict) else None
    if not isinstance(section, dict):
        return {}
    return {key: bool(value) for key, value in section.items() if value is not None and key in SWITCHES.values()}


def decide(
    user: ZoomUser,
    *,
    government: bool,
    account: dict[str, Any],
    locks: dict[str, Any],
    groups: list[dict[str, Any]],
) -> FeaturePolicy:
    """The policy from what the endpoints answered (pure: the tests' truth table)."""
    if government:
        return FeaturePolicy(
            False,
            False,
            locked=True,
            reason="zoomclient's mail and calendar are not available to Zoom for Government accounts",
        )
    category = plan_category(user)
    account_switches = _switches(account)
    locked_switches = {key for key, locked in _switches(locks).items() if locked}
    decided: dict[Feature, bool] = {}
    why: dict[Feature, str] = {}
    for feature, key in SWITCHES.items():
        value, source = category.on_by_default, "default"
        if key in account_switches:
            value, source = account_switches[key], "account"
        if key not in locked_switches:
            for group in groups:  # a group setting wins over the account's unless the account locked it
                group_switches = _switches(group)
                if key in group_switches:
                    value, source = group_switches[key], "group"
        decided[feature] = value
        why[feature] = {
            "default": f"off by default for {category.title} accounts until your Zoom admin enables it",
            "account": "turned off by your Zoom admin for the account",
            "group": "turned off by your Zoom admin for your group",
        }[source]
    off = [f for f in (Feature.MAIL, Feature.CALENDAR) if not decided[f]]
    reason = ""
    if off:
        reasons = dict.fromkeys(why[f] for f in off)
        reason = "; ".join(reasons) + (" (locked for the whole account)" if locked_switches else "")
    return FeaturePolicy(
        decided[Feature.MAIL],
        decided[Feature.CALENDAR],
        locked=bool(locked_switches),
        reason=reason,
    )


async def read_policy(client: ZoomClient, user: ZoomUser) -> FeaturePolicy:
    """Read the account's settings, its locks and the user's groups' settings, and decide."""
    if is_government(user, client.base_url):
        return decide(user, government=True, account={}, locks={}, groups=[])
    account_id = user.account_id or "me"
    try:
        account, locks, *groups = await asyncio.gather(
            client.get(f"/accounts/{account_id}/settings"),
            client.get(f"/accounts/{account_id}/lock_settings"),
            *(client.get(f"/groups/{group}/settings") for group in user.group_ids),
        )
    except ProviderError as error:
        if error.status != 403:
            raise
        # A member may not read the account's settings: then only the plan's default is known.
        account, locks, groups = {}, {}, []
    return decide(user, government=False, account=account or {}, locks=locks or {}, groups=list(groups))
