"""An explicit JSON codec for the model values the store keeps as JSON, and its time format.

Addresses and queued outgoing messages are stored as JSON text inside the encrypted
database. The codec is written out field by field rather than derived from attrs or pickled: the
stored form is a file format that must keep loading after the model grows, and unpickling would
run code from the database.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from host.model.mail import Address, OutgoingAttachment, OutgoingMessage


def dumps(value: Any) -> str:
    """Compact JSON that keeps non-ASCII as is (smaller and searchable in a debugger)."""
    return _ENCODER.encode(value)


# One encoder for every value: json.dumps with options builds a new one each call, which cost more
# than the encoding of the small values stored here.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def address_to_json(address: Address) -> list[str]:
    return [address.email, address.name]


def address_from_json(value: Sequence[str]) -> Address:
    return Address(email=value[0], name=value[1])


def addresses_to_json(addresses: Iterable[Address]) -> str:
    return dumps([address_to_json(a) for a in addresses])


def addresses_from_json(text: str | None) -> tuple[Address, ...]:
    return tuple(address_from_json(v) for v in json.loads(text)) if text else ()


def outgoing_to_json(message: OutgoingMessage) -> dict[str, Any]:
    """An :class:`OutgoingMessage` as plain JSON data; attachment bytes go in base64."""
    return {
        "to": [address_to_json(a) for a in message.to],
        "subject": message.subject,
        "body_text": message.body_text,
        "body_html": message.body_html,
        "cc": [address_to_json(a) for a in message.cc],
        "bcc": [address_to_json(a) for a in message.bcc],
        "sender": address_to_json(message.sender) if message.sender else None,
        "attachments": [
            {
                "filename": a.filename,
                "content_type": a.content_type,
                "data": base64.b64encode(a.data).decode("ascii"),
                "content_id": a.content_id,
            }
            for a in message.attachments
        ],
        "in_reply_to": message.in_reply_to,
        "references": list(message.references),
        "thread_id": message.thread_id,
        "message_id_header": message.message_id_header,
    }


def outgoing_from_json(value: dict[str, Any]) -> OutgoingMessage:
    return OutgoingMessage(
        to=tuple(address_from_json(a) for a in value["to"]),
        subject=value["subject"],
        body_text=value["body_text"],
        body_html=value["body_html"],
        cc=tuple(address_from_json(a) for a in value["cc"]),
        bcc=tuple(address_from_json(a) for a in value["bcc"]),
        sender=address_from_json(value["sender"]) if value["sender"] else None,
        attachments=tuple(
            OutgoingAttachment(
                filename=a["filename"],
                content_type=a["content_type"],
                data=base64.b64decode(a["data"]),
                content_id=a["content_id"],
            )
            for a in value["attachments"]
        ),
        in_reply_to=value["in_reply_to"],
        references=tuple(value["references"]),
        thread_id=value["thread_id"],
        # .get: the field came after the first messages were queued.
        message_id_header=value.get("message_id_header"),
    )


def to_ms(value: dt.datetime) -> int:
    """Epoch milliseconds, floored, in integer arithmetic; a naive datetime is taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def from_ms(value: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(milliseconds=value)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
