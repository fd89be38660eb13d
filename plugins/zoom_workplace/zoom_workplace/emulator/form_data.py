"""``multipart/form-data`` bodies read by hand (RFC 7578), for the emulator's file uploads.

Starlette's own form parser needs python-multipart, which the host does not depend on; the
emulator only needs whole bodies split at their boundary, with each part's bytes left exactly as sent.
"""

from __future__ import annotations

from email.message import Message

import attrs


class FormDataError(ValueError):
    """The body is not the multipart/form-data its Content-Type says."""


@attrs.frozen
class FormPart:
    name: str
    data: bytes = attrs.field(repr=False)
    filename: str | None = None
    content_type: str = "text/plain"


def _header(name: str, value: str) -> Message:
    """A message holding one header, for the stdlib's parameter parsing (quotes, RFC 2231)."""
    holder = Message()
    holder[name] = value
    return holder


def parse_form_data(content_type: str, body: bytes) -> list[FormPart]:
    """The parts of ``body`` in order; raises FormDataError when it cannot be split."""
    header = _header("Content-Type", content_type)
    if header.get_content_type() != "multipart/form-data" or not header.get_param("boundary"):
        raise FormDataError("The request body is not multipart/form-data with a boundary.")
    delimiter = b"--" + str(header.get_param("boundary")).encode("latin-1")
    chunks = body.split(b"\r\n" + delimiter)
    # The first delimiter may open the body without a CRLF before it; the last one ends with "--".
    first = chunks[0]
    if not first.startswith(delimiter) or len(chunks) < 2 or not chunks[-1].startswith(b"--"):
        raise FormDataError("The multipart body is not closed by its boundary.")
    chunks[0] = first[len(delimiter) :]
    parts = []
    for chunk in chunks[:-1]:
        head, separator, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not separator:
            raise FormDataError("A part of the multipart body has no blank line after its headers.")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = _header("Content-Disposition", headers.get("content-disposition", ""))
        name = disposition.get_param("name", header="content-disposition")
        if not name:
            raise FormDataError("A part of the multipart body has no name.")
        filename = disposition.get_filename()
        parts.append(
            FormPart(
                name=str(name),
                data=data,
                filename=str(filename) if filename is not None else None,
                content_type=headers.get("content-type", "text/plain"),
            )
        )
    return parts
