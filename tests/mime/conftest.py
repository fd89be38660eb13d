"""A corpus of handcrafted raw messages, good and hostile, shared by the MIME tests."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable

import pytest

from host.mime import parse_message
from host.model import Message

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TNEF = b"\x78\x9f\x3e\x22" + bytes(range(256)) * 4


def crlf(*lines: str | bytes) -> bytes:
    """Lines joined by CRLF, str lines encoded as UTF-8 (raw 8-bit bytes go in as bytes)."""
    return b"\r\n".join(line.encode() if isinstance(line, str) else line for line in lines)


def b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii").replace("\n", "\r\n").rstrip("\r\n")


HEAD = (
    "From: Ana <ana@example.com>",
    "To: Bob <bob@example.com>",
    "Date: Tue, 05 Mar 2024 09:30:00 +0100",
    "Message-ID: <corpus@example.com>",
    "MIME-Version: 1.0",
)


def build_corpus() -> dict[str, bytes]:
    corpus: dict[str, bytes] = {}
    corpus["simple"] = crlf(
        *HEAD, "Subject: Lunch", "Content-Type: text/plain; charset=utf-8", "", "See you at noon.", ""
    )
    corpus["nested"] = crlf(
        *HEAD,
        "Subject: =?utf-8?q?Quartalsbericht_f=C3=BCr_M=C3=A4rz?=",
        'Content-Type: multipart/mixed; boundary="L1"',
        "",
        "This is a multi-part message in MIME format.",
        "--L1",
        'Content-Type: multipart/related; boundary="L2"; type="multipart/alternative"',
        "",
        "--L2",
        'Content-Type: multipart/alternative; boundary="L3"',
        "",
        "--L3",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "Gr=C3=BC=C3=9Fe, here is the report.",
        "--L3",
        'Content-Type: multipart/mixed; boundary="L4"',
        "",
        "--L4",
        "Content-Type: text/html; charset=utf-8",
        "",
        '<p>Gr\u00fc\u00dfe, here is the <b>report</b>.</p><img src="cid:chart@example.com">',
        "--L4",
        "Content-Type: text/html; charset=utf-8",
        "",
        "<p>Second part.</p>",
        "--L4--",
        "--L3--",
        "--L2",
        "Content-Type: image/png",
        "Content-Transfer-Encoding: base64",
        "Content-ID: <chart@example.com>",
        "Content-Disposition: inline",
        "",
        b64(PNG),
        "--L2--",
        "--L1",
        'Content-Type: application/pdf; name="=?utf-8?q?Bericht_M=C3=A4rz.pdf?="',
        "Content-Disposition: attachment; filename*0*=utf-8''%E2%82%AC%20Bericht; filename*1*=%20M%C3%A4rz.pdf",
        "Content-Transfer-Encoding: base64",
        "",
        b64(PDF),
        "--L1--",
        "",
    )
    corpus["winmail"] = crlf(
        *HEAD,
        "Subject: Outlook sends TNEF",
        'Content-Type: multipart/mixed; boundary="W"',
        "",
        "--W",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "Plain part.",
        "--W",
        'Content-Type: application/ms-tnef; name="winmail.dat"',
        'Content-Disposition: attachment; filename="winmail.dat"',
        "Content-Transfer-Encoding: base64",
        "",
        b64(TNEF),
        "--W--",
        "",
    )
    inner = crlf(
        "From: Carl <carl@example.org>",
        "Subject: =?iso-8859-1?q?Urspr=FCngliche_Nachricht?=",
        'Content-Type: multipart/mixed; boundary="IN"',
        "",
        "--IN",
        "Content-Type: text/plain",
        "",
        "inner body",
        "From here on the line starts with From.",
        "--IN",
        'Content-Type: application/octet-stream; name="inner.bin"',
        "Content-Transfer-Encoding: base64",
        "",
        b64(b"\x00\x01inner"),
        "--IN--",
        "",
    )
    corpus["rfc822"] = crlf(
        *HEAD,
        "Subject: Fwd: see attached",
        'Content-Type: multipart/mixed; boundary="R"',
        "",
        "--R",
        "Content-Type: text/plain",
        "",
        "Forwarding as attachment.",
        "--R",
        "Content-Type: message/rfc822",
        "Content-Disposition: attachment",
        "",
        inner,
        "--R--",
        "",
    )
    corpus["iso2022jp"] = crlf(
        *HEAD,
        "Subject: =?ISO-2022-JP?B?" + base64.b64encode("会議の件".encode("iso2022_jp")).decode() + "?=",
        "Content-Type: text/plain; charset=ISO-2022-JP",
        "Content-Transfer-Encoding: 7bit",
        "",
        "明日の会議は十時からです。".encode("iso2022_jp"),
        "",
    )
    corpus["windows1252"] = crlf(
        *HEAD,
        "Subject: quotes",
        "Content-Type: text/plain; charset=iso-8859-1",
        "Content-Transfer-Encoding: 8bit",
        "",
        "\u201cSmart\u201d quotes \u2013 and \u20ac5 caf\u00e9".encode("cp1252"),
        "",
    )
    corpus["unknown8bit"] = crlf(
        *HEAD,
        "Subject: =?unknown-8bit?q?Caf=E9?=",
        "Content-Type: text/plain; charset=unknown-8bit",
        "Content-Transfer-Encoding: 8bit",
        "",
        "na\u00efve caf\u00e9".encode("latin-1"),
        "",
    )
    corpus["lying_utf8"] = crlf(
        *HEAD,
        "Subject: lying charset",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        "Gr\u00fc\u00dfe aus K\u00f6ln".encode("latin-1"),
        "",
    )
    corpus["missing_boundary"] = crlf(
        *HEAD,
        "Subject: no boundary parameter",
        "Content-Type: multipart/mixed",
        "",
        "--lost",
        "Content-Type: text/plain",
        "",
        "Recovered body.",
        "--lost",
        'Content-Type: application/pdf; name="a.pdf"',
        "Content-Transfer-Encoding: base64",
        "",
        b64(PDF),
        "--lost--",
        "",
    )
    corpus["wrong_boundary"] = crlf(
        *HEAD,
        "Subject: boundary does not match",
        'Content-Type: multipart/alternative; boundary="declared"',
        "",
        "--actual",
        "Content-Type: text/plain",
        "",
        "plain version",
        "--actual",
        "Content-Type: text/html",
        "",
        "<p>html version</p>",
        "--actual--",
        "",
    )
    corpus["truncated"] = crlf(
        *HEAD,
        "Subject: cut off",
        'Content-Type: multipart/mixed; boundary="T"',
        "",
        "--T",
        "Content-Type: text/plain",
        "",
        "The body survived.",
        "--T",
        'Content-Type: application/pdf; name="cut.pdf"',
        "Content-Transfer-Encoding: base64",
        "",
        b64(PDF * 20)[:150],
    )
    corpus["apple_mixed"] = crlf(
        *HEAD,
        "Subject: inline image between text",
        'Content-Type: multipart/mixed; boundary="A"',
        "",
        "--A",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "Before the picture.",
        "--A",
        'Content-Type: image/png; name="photo.png"',
        'Content-Disposition: inline; filename="photo.png"',
        "Content-Transfer-Encoding: base64",
        "",
        b64(PNG),
        "--A",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "After the picture.",
        "--A--",
        "",
    )
    corpus["html_only"] = crlf(
        *HEAD,
        "Subject: newsletter",
        "Content-Type: text/html; charset=utf-8",
        "",
        "<html><head><title>News</title><style>p {color: red}</style></head>"
        "<body><h1>Hello</h1><p>First&nbsp;line<br>second line</p><script>track()</script>"
        '<img src="https://tracker.example/p.gif"></body></html>',
        "",
    )
    corpus["calendar"] = crlf(
        *HEAD,
        "Subject: Invitation: Planning",
        'Content-Type: multipart/alternative; boundary="C"',
        "",
        "--C",
        "Content-Type: text/plain",
        "",
        "You are invited.",
        "--C",
        "Content-Type: text/html",
        "",
        "<p>You are <i>invited</i>.</p>",
        "--C",
        "Content-Type: text/calendar; method=REQUEST; charset=utf-8",
        "",
        "BEGIN:VCALENDAR",
        "METHOD:REQUEST",
        "END:VCALENDAR",
        "--C--",
        "",
    )
    corpus["signed"] = crlf(
        *HEAD,
        "Subject: signed",
        'Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha256; boundary="S"',
        "",
        "--S",
        "Content-Type: text/plain",
        "",
        "Signed text.",
        "--S",
        'Content-Type: application/pgp-signature; name="signature.asc"',
        "",
        "-----BEGIN PGP SIGNATURE-----",
        "-----END PGP SIGNATURE-----",
        "--S--",
        "",
    )
    corpus["flowed"] = crlf(
        *HEAD,
        "Subject: flowed",
        "Content-Type: text/plain; charset=utf-8; format=flowed; delsp=no",
        "",
        "This paragraph was ",
        "soft broken by the ",
        "sender.",
        "",
        "> quoted and ",
        "> flowed",
        "-- ",
        "Ana",
        "",
    )
    corpus["pdf_only"] = crlf(
        *HEAD,
        "Subject: scan",
        'Content-Type: application/pdf; name="scan.pdf"',
        "Content-Transfer-Encoding: base64",
        "",
        b64(PDF),
        "",
    )
    corpus["hostile_names"] = crlf(
        *HEAD,
        "Subject: names",
        'Content-Type: multipart/mixed; boundary="N"',
        "",
        "--N",
        "Content-Type: text/plain",
        "",
        "body",
        "--N",
        'Content-Type: application/octet-stream; name="../../etc/passwd"',
        "",
        "x",
        "--N",
        "Content-Type: application/octet-stream",
        'Content-Disposition: attachment; filename="C:\\\\Users\\\\evil\x01.exe"',
        "",
        "w",
        "--N",
        "Content-Type: application/octet-stream",
        b'Content-Disposition: attachment; filename="R\xe9sum\xe9.doc"',
        "",
        "y",
        "--N",
        "Content-Type: application/octet-stream",
        "Content-Disposition: attachment",
        "",
        "z",
        "--N--",
        "",
    )
    corpus["bad_headers"] = crlf(
        b"From: J\xc3\xb6rg M\xc3\xbcller <joerg@example.de>",
        b"To: undisclosed-recipients:;",
        b'Cc: foo@, <bar>, <<>>, "Unterminated <x@y.z>, M\xfcller <m@example.de>',
        b"Subject: caf\xc3\xa9 =?utf-8?q?Gr=C3?= =?utf-8?q?=BC=C3=9Fe?= =?x-gbk?B?1tDOxA==?=",
        b"Subject: second subject is ignored",
        b"Date: Thu, 32 Foo 2024 99:00:00 +9999",
        b"Message-ID: bare-id@example.com",
        b"In-Reply-To: <parent@example.com> (comment)",
        b"References: <root@example.com>\r\n <parent@example.com>",
        b"X-Nul: a\x00b",
        b"",
        b"body with a NUL \x00 byte",
        b"",
    )
    corpus["headers_only"] = b"Subject: nothing else\r\nFrom: a@example.com\r\n"
    corpus["body_only"] = b"Hello,\nthere are no headers here.\n"
    corpus["empty"] = b""
    corpus["no_date"] = crlf(
        "Received: from mx.example.com by mx2.example.com; Wed, 06 Mar 2024 08:00:00 +0000",
        "From: a@example.com",
        "Subject: undated",
        "",
        "text",
    )
    return corpus


@pytest.fixture(scope="session")
def corpus() -> dict[str, bytes]:
    return build_corpus()


@pytest.fixture(scope="session")
def parse() -> Callable[..., Message]:
    def parse(raw: bytes, **options: object) -> Message:
        return parse_message(raw, id="m1", thread_id="t1", **options)  # type: ignore[arg-type]

    return parse


@pytest.fixture(scope="session")
def fallback_date() -> dt.datetime:
    return dt.datetime(2024, 3, 7, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def payloads() -> dict[str, bytes]:
    """The attachment contents the corpus encodes, to compare extracted parts against."""
    return {"png": PNG, "pdf": PDF, "tnef": TNEF}


@pytest.fixture(scope="session")
def make_raw() -> Callable[..., bytes]:
    """Build a raw message from lines (see :func:`crlf`)."""
    return crlf
