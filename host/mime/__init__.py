"""MIME for every provider: parse raw RFC 5322 bytes into the model, build messages to send."""

from host.mime.compose import build_message, to_base64url
from host.mime.parse import attachment_bytes, parse_message
from host.mime.replies import forward, reply_to

__all__ = ["attachment_bytes", "build_message", "forward", "parse_message", "reply_to", "to_base64url"]
