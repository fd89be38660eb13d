"""MIME for every provider: raw RFC 5322 bytes into the model, and the messages we send.

- :func:`parse_message` reads any bytes into a :class:`host.model.Message` and never raises; attachment ids
  are part numbers ("2", "1.2") that :func:`attachment_bytes` takes to hand out a part's content.
- :func:`build_message` and :func:`to_base64url` make what is sent (Gmail's ``raw``, Graph's MIME send).
- :func:`outgoing_from_raw` reads a stored draft back into what the composer edits.
- :func:`reply_to` and :func:`forward` prepare the composer: recipients, subject, quote, References.
"""

from host.mime.compose import build_message, to_base64url
from host.mime.drafts import outgoing_from_raw
from host.mime.parse import attachment_bytes, parse_message
from host.mime.replies import forward, reply_to

__all__ = [
    "attachment_bytes",
    "build_message",
    "forward",
    "outgoing_from_raw",
    "parse_message",
    "reply_to",
    "to_base64url",
]
