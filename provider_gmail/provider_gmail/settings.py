"""Gmail's sendAs signatures as the host's signatures (filters and vacation are
:mod:`host.providers.google_shapes.settings`, shared with Zoom Mail)."""

from __future__ import annotations

from host.html.text import html_to_text
from host.model import Signature


def signature_from_send_as(send_as: dict) -> Signature:
    html = send_as.get("signature", "")
    return Signature(
        id=send_as["sendAsEmail"],
        name=send_as.get("displayName") or send_as["sendAsEmail"],
        html=html,
        text=html_to_text(html) if html else "",
        default_for_new=bool(send_as.get("isDefault")),
        default_for_replies=bool(send_as.get("isDefault")),
    )
