"""Load-time policy: only Zoom meetings may be scheduled, and an admin may restrict plugins.

Every refusal names the rule that refused, so that a user or an admin can tell why a plugin is off.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import attrs

from host.errors import UsageError, ZoomclientError

if TYPE_CHECKING:  # only for annotations: `zoomclient plugins` starts without the domain model
    from host.conferencing import ConferencingProvider
    from host.model.calendar import OnlineMeeting

#: Distributions the host trusts to create Zoom meetings. A plugin elsewhere that says "zoom" is refused.
TRUSTED_ZOOM_DISTRIBUTIONS = frozenset({"zoomclient-zoom-meetings"})

#: Hosts a Zoom join URL may be on: zoom.us and its subdomains (us02web.zoom.us, company.zoom.us).
ZOOM_HOSTS = ("zoom.us",)

POLICY_FILE_ENV = "ZOOMCLIENT_POLICY_FILE"

RULE_ZOOM_ONLY = "zoom-only conferencing"
RULE_TRUSTED_ZOOM = "trusted Zoom distributions"
RULE_ADMIN_DENY = "admin policy plugins.deny"
RULE_ADMIN_ALLOW = "admin policy plugins.allow"


@attrs.frozen
class Refusal:
    """Why a plugin was refused, and by which rule."""

    rule: str
    reason: str

    def __str__(self) -> str:
        return f"{self.reason} (rule: {self.rule})"


class MeetingRefused(ZoomclientError):
    """A conferencing provider returned a meeting that is not a Zoom meeting."""


def check_conferencing(
    providers: Sequence[ConferencingProvider], *, distribution: str, trusted: bool
) -> Refusal | None:
    """Judge the conferencing providers one plugin registers.

    ``trusted`` is True for distributions in :data:`TRUSTED_ZOOM_DISTRIBUTIONS` and for in-process
    plugins a test explicitly trusts.
    """
    for provider in providers:
        service = str(getattr(provider, "service", "")).strip().lower()
        title = getattr(provider, "title", service) or service
        if service != "zoom":
            return Refusal(
                RULE_ZOOM_ONLY,
                f"{distribution} brings the conferencing provider {title!r} ({service or 'unnamed'}); "
                "only Zoom meetings may be scheduled",
            )
        if not trusted:
            return Refusal(
                RULE_TRUSTED_ZOOM,
                f"{distribution} says it provides Zoom meetings but is not a trusted Zoom distribution "
                f"(trusted: {', '.join(sorted(TRUSTED_ZOOM_DISTRIBUTIONS))})",
            )
    return None


def is_zoom_url(url: str) -> bool:
    # A browser reads a backslash as "/" and skips credentials, so https://evil.com\@zoom.us/j/1 opens
    # evil.com while urlsplit's hostname is zoom.us: refuse whatever a browser could read otherwise.
    if "\\" in url or not url.isprintable() or any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    host = (parts.hostname or "").lower()
    return (
        parts.scheme == "https"
        and "@" not in parts.netloc
        and re.fullmatch(r"[a-z0-9.-]+", host) is not None
        and any(host == h or host.endswith("." + h) for h in ZOOM_HOSTS)
    )


def check_meeting(meeting: OnlineMeeting) -> OnlineMeeting:
    """Return ``meeting`` if the host may attach it to an event; raise MeetingRefused otherwise."""
    if meeting.provider != "zoom" or not is_zoom_url(meeting.join_url):
        raise MeetingRefused(
            f"Refused to attach a meeting at {meeting.join_url!r}: only Zoom meetings may be scheduled.",
            hint="Report this to the plugin's authors; nothing was added to the event.",
        )
    return meeting


@attrs.frozen
class AdminPolicy:
    """An administrator's restrictions, from a TOML file::

        [plugins]
        allow = ["zoomclient-gmail", "zoomclient-mail-view"]   # only these load (optional)
        deny = ["zoomclient-phone"]                            # never these

    The file is ``$ZOOMCLIENT_POLICY_FILE`` if set, else ``policy.toml`` in the platform's site
    config dir. A file that cannot be read is an error: policy fails closed.
    """

    source: Path | None = None
    allow: frozenset[str] | None = None
    deny: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path | None = None) -> AdminPolicy:
        if path is None:
            explicit = os.environ.get(POLICY_FILE_ENV)
            path = Path(explicit) if explicit else site_policy_path()
            if not explicit and not path.exists():
                return cls()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            section = data.get("plugins", {})
            if not isinstance(section, dict):
                raise ValueError("[plugins] must be a table")
            allow = section.get("allow")
            deny = section.get("deny", [])
            if not isinstance(deny, list) or (allow is not None and not isinstance(allow, list)):
                raise ValueError("plugins.allow and plugins.deny must be lists of distribution names")
        except (OSError, ValueError) as error:
            raise UsageError(
                f"The admin policy file {path} cannot be used: {error}.",
                hint="Fix or remove the file; until then no plugin loads.",
            ) from error
        return cls(
            source=path,
            allow=frozenset(map(str, allow)) if allow is not None else None,
            deny=frozenset(map(str, deny)),
        )

    def check_plugin(self, distribution: str) -> Refusal | None:
        if distribution in self.deny:
            return Refusal(RULE_ADMIN_DENY, f"{distribution} is denied by the admin policy {self.source}")
        if self.allow is not None and distribution not in self.allow:
            return Refusal(RULE_ADMIN_ALLOW, f"{distribution} is not allowed by the admin policy {self.source}")
        return None


def site_policy_path() -> Path:
    import platformdirs  # imported here: only hosts without the variable pay for it

    return Path(platformdirs.site_config_dir("zoomclient")) / "policy.toml"
