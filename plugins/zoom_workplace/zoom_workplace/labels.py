"""Zoom's rate limit labels, and the label of every endpoint the Zoom plugins call.

Zoom meters each account per second by an API's label (Light, Medium, Heavy; the specs state it in
each operation's description as "Rate Limit Label"). The client and the emulator share this table,
and a test checks it against the specs wherever they state the label; the meetings, recordings and
metrics endpoints (not in the OpenAPI specs, only in the rivet list) take Zoom's documented labels.
"""

from __future__ import annotations

import enum
import re

import attrs


class RateLabel(enum.Enum):
    LIGHT = "LIGHT"
    MEDIUM = "MEDIUM"
    HEAVY = "HEAVY"


@attrs.frozen
class RateLimits:
    """Requests a second per account for each label. The default is the Pro plan's."""

    light: float = 30.0
    medium: float = 20.0
    heavy: float = 10.0

    def per_second(self, label: RateLabel) -> float:
        return {RateLabel.LIGHT: self.light, RateLabel.MEDIUM: self.medium, RateLabel.HEAVY: self.heavy}[label]


#: Zoom's Pro plan rates, which the client assumes unless told otherwise.
PRO_LIMITS = RateLimits()

#: (method, path pattern with {placeholders}, label); the first match wins.
ENDPOINT_LABELS: tuple[tuple[str, str, RateLabel], ...] = (
    ("GET", "/users/{userId}", RateLabel.LIGHT),
    ("GET", "/users/{userId}/settings", RateLabel.MEDIUM),
    ("GET", "/users/{userId}/schedulers", RateLabel.MEDIUM),
    ("GET", "/users/{userId}/assistants", RateLabel.MEDIUM),
    ("GET", "/accounts/{accountId}/settings", RateLabel.MEDIUM),
    ("GET", "/accounts/{accountId}/lock_settings", RateLabel.MEDIUM),
    ("GET", "/groups/{groupId}/settings", RateLabel.MEDIUM),
    ("GET", "/groups/{groupId}/lock_settings", RateLabel.MEDIUM),
    ("POST", "/users/{userId}/meetings", RateLabel.MEDIUM),
    ("GET", "/users/{userId}/meetings", RateLabel.MEDIUM),
    ("GET", "/meetings/{meetingId}", RateLabel.LIGHT),
    ("PATCH", "/meetings/{meetingId}", RateLabel.LIGHT),
    ("DELETE", "/meetings/{meetingId}", RateLabel.LIGHT),
    ("GET", "/past_meetings/{meetingId}/participants", RateLabel.MEDIUM),
    ("GET", "/past_meetings/{meetingId}/instances", RateLabel.MEDIUM),
    ("GET", "/metrics/meetings/{meetingId}/participants", RateLabel.HEAVY),
    ("GET", "/users/{userId}/recordings", RateLabel.MEDIUM),
    ("GET", "/meetings/{meetingId}/recordings", RateLabel.LIGHT),
    ("GET", "/chat/users/{userId}/messages", RateLabel.MEDIUM),
    ("POST", "/chat/users/{userId}/messages", RateLabel.MEDIUM),
    # The spec states no label, only "20 requests per second per API": Medium's rate on Pro.
    ("POST", "/chat/users/{userId}/messages/files", RateLabel.MEDIUM),
    ("GET", "/chat/users/{userId}/channels", RateLabel.MEDIUM),
    ("POST", "/chat/users/{userId}/channels", RateLabel.MEDIUM),
    ("POST", "/chat/users/{userId}/channels/{channelId}/members", RateLabel.MEDIUM),
    ("GET", "/contacts", RateLabel.MEDIUM),
    ("GET", "/phone/users/{userId}", RateLabel.LIGHT),
)


def _regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\{[^/}]+\}", "[^/]+", template) + "$")


_COMPILED = tuple((method, _regex(template), label) for method, template, label in ENDPOINT_LABELS)


def label_for(method: str, path: str) -> RateLabel:
    """The label of a request to ``path`` (relative to ``/v2``); Medium where the table is silent."""
    for rule_method, pattern, label in _COMPILED:
        if rule_method == method.upper() and pattern.match(path):
            return label
    return RateLabel.MEDIUM
