"""Deterministic, realistic data for the emulators: mailboxes and calendars from a seed.

A :class:`Mailbox` is lazy: message ``i`` (0 = oldest, ``len - 1`` = newest) is computed from
``(seed, i)`` alone, so a 100,000-message mailbox costs nothing until a message is asked for, and
the same seed always gives the same bytes. Its messages come in threads with replies, HTML and
plain alternatives, inline ``cid:`` images, attachments of several types, non-ASCII and RFC 2047
encoded headers, and a few malformed messages; each carries the metadata a server keeps beside the
RFC 5322 bytes (labels, read and starred flags, date). Messages are written as bytes directly
(the email package would take milliseconds a message) and parse cleanly with ``email.policy.default``.

:func:`generate_calendars` gives the owner's own calendar, shared, resource and delegated ones,
with recurring series (RRULE, EXDATE, a moved occurrence), all-day and multi-time-zone events,
attendees with responses and reminders, as :mod:`host.model.calendar` records. Each provider's
emulator maps both into its API's JSON.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import itertools
import random
import zlib
from collections.abc import Iterator
from email.header import Header
from email.utils import format_datetime
from functools import lru_cache
from urllib.parse import quote
from zoneinfo import ZoneInfo

import attrs

from host.model.calendar import (
    AccessRole,
    Attendee,
    AttendeeRole,
    Calendar,
    CalendarKind,
    DelegatePermission,
    Event,
    EventStatus,
    Reminder,
    ResponseStatus,
    ShowAs,
)
from host.model.mail import Address
from host.sandbox.recurrence import occurrence_id, rule_set

# -- people and words ------------------------------------------------------------------------------

OWNER = Address("alex.morgan@example.com", "Alex Morgan")

PEOPLE: tuple[Address, ...] = (
    Address("ana.mueller@example.de", "Ana Müller"),
    Address("jorg.sorensen@example.dk", "Jørg Sørensen"),
    Address("chloe.lefevre@example.fr", "Chloé Lefèvre"),
    Address("kenji.tanaka@example.jp", "田中 健二"),
    Address("priya.sharma@example.in", "Priya Sharma"),
    Address("olga.ivanova@example.ru", "Ольга Иванова"),
    Address("sam.oconnor@example.ie", "Sam O'Connor"),
    Address("lena.schmidt@example.com", "Lena Schmidt"),
    Address("miguel.garcia@example.es", "Miguel García"),
    Address("wei.chen@example.cn", "陈伟"),
    Address("fatima.zahra@example.ma", "Fatima Zahra"),
    Address("noreply@shop.example.com", "Example Shop"),
    Address("news@letters.example.org", ""),
    Address("billing@cloud.example.net", "Cloud Billing"),
)

_WORD_TEXT = (
    "agenda budget review quarterly meeting notes draft proposal schedule release roadmap invoice "
    "contract design feedback deadline launch report customer support ticket update plan travel "
    "workshop demo migration security audit hiring onboarding offsite results metrics dashboard the "
    "a and of to in for on with about next week today tomorrow please thanks regards team project "
    "status question answer issue fix change version server client account calendar mail"
)
WORDS = tuple(_WORD_TEXT.split())

SUBJECTS = (
    "Quarterly budget review",
    "Notes from today's meeting",
    "Draft proposal for the roadmap",
    "Invoice {n} due",
    "Release planning",
    "Your order {n} has shipped",
    "Security audit results",
    "Onboarding checklist",
    "Travel plans for the offsite",
    "Weekly metrics dashboard",
)

NON_ASCII_SUBJECTS = (
    "Grüße aus München – Übersicht",
    "Réunion de l'équipe à 14h",
    "会議の議事録 (第{n}回)",
    "Отчёт за квартал",
    "Café ☕ on Friday? 🎉",
    "Ærlig talt: ønsker og mål",
    "Presupuesto año {n}: revisión",
    "¿Nos vemos mañana?",
)

CUSTOM_LABELS = ("Work", "Receipts", "Travel", "Projekte/Ärger", "Family")
SYSTEM_LABELS = ("INBOX", "SENT", "DRAFT", "TRASH", "SPAM", "STARRED", "IMPORTANT")

# A real 1x1 PNG, so that inline images decode as images.
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

ATTACHMENT_KINDS: tuple[tuple[str, str, str], ...] = (
    # (extension, maintype/subtype, how the bytes are made)
    ("pdf", "application/pdf", "pdf"),
    ("png", "image/png", "png"),
    ("txt", "text/plain", "text"),
    ("csv", "text/csv", "csv"),
    ("ics", "text/calendar", "ics"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "binary"),
    ("zip", "application/zip", "binary"),
)

THREAD_BLOCK = 8  # messages are grouped into threads within blocks of this many consecutive indices
MALFORMED_EVERY = 97  # index % MALFORMED_EVERY == MALFORMED_AT is a malformed message
MALFORMED_AT = 41


_STREAMS = {"threads": 2, "meta": 3, "thread": 4, "body": 5, "calendars": 6}


def _rng(seed: int, stream: str, index: int = 0) -> random.Random:
    # One independent stream per (seed, purpose, index); integer seeds are cheap and stable everywhere.
    return random.Random((abs(seed) * 8 + _STREAMS[stream]) * 2**40 + index)


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _paragraphs(rng: random.Random, count: int) -> list[str]:
    return [_words(rng, rng.randint(12, 40)).capitalize() + "." for _ in range(count)]


# -- mail --------------------------------------------------------------------------------------------


@attrs.frozen
class MessageMeta:
    """What a server keeps beside a message's bytes. ``labels`` use Gmail-style system names
    (``INBOX``, ``SENT``, ``STARRED``, ...) and custom label names; an emulator maps them to its ids.

    ``features`` says what the message holds, for tests to find examples: ``html``, ``cid``,
    ``attachment``, ``non-ascii``, ``rfc2047-latin1``, ``reply``, ``malformed``.
    """

    index: int
    id: str
    thread_id: str
    message_id: str
    in_reply_to: str | None
    references: tuple[str, ...]
    subject: str
    sender: Address
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    date: dt.datetime
    labels: tuple[str, ...]
    unread: bool
    starred: bool
    features: frozenset[str]


@attrs.frozen
class GeneratedMessage:
    meta: MessageMeta
    raw: bytes = attrs.field(repr=False)


class Mailbox:
    """``count`` messages for ``owner``, computed lazily by index from ``seed``.

    Dates run from about ``years`` years before ``now`` (index 0) to a few minutes before it (the
    newest), denser towards the present, and strictly increase with the index, so that newest-first
    is simply descending index order.
    """

    def __init__(
        self,
        count: int,
        *,
        seed: int = 1,
        owner: Address = OWNER,
        now: dt.datetime | None = None,
        years: float = 3.0,
        domain: str = "mail.example.com",
    ) -> None:
        self.count = count
        self.seed = seed
        self.owner = owner
        self.now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        self.span = dt.timedelta(days=365.25 * years)
        self.domain = domain
        self._span_seconds = self.span.total_seconds()
        self._meta = lru_cache(maxsize=4096)(self._compute_meta)
        self._slots = lru_cache(maxsize=1024)(self._thread_slots)
        self._thread = lru_cache(maxsize=4096)(self._thread_info)
        self.id_of = lru_cache(maxsize=16384)(self.id_of)  # type: ignore[method-assign]
        # An emulator often reads a message twice in one answer (its bytes, then its snippet): the last
        # few are kept, not the mailbox (100,000 messages would hold hundreds of megabytes).
        self._rendered = lru_cache(maxsize=64)(self._render)

    def __len__(self) -> int:
        return self.count

    def id_of(self, index: int) -> str:
        digest = hashlib.blake2s(f"{self.seed}:{index}".encode(), digest_size=4).hexdigest()
        return f"{index:07x}{digest}"

    def index_of(self, message_id: str) -> int | None:
        """The index of a generated id, or None when ``message_id`` is not one of this mailbox's."""
        try:
            index = int(message_id[:7], 16)
        except ValueError:
            return None
        return index if 0 <= index < self.count and self.id_of(index) == message_id else None

    def date_of(self, index: int) -> dt.datetime:
        if self.count <= 1:
            return self.now - dt.timedelta(minutes=5)
        # Position 0..1 with 1 = newest; squaring packs more messages into recent months.
        position = (self.count - 1 - index) / (self.count - 1)
        age = self._span_seconds * position**2 + 300
        # The id's hash as a fraction in [0, 0.4): under half the smallest gap, so dates keep their order.
        jitter = int(self.id_of(index)[7:], 16) / 2**32 * 0.4
        gap = self._span_seconds * ((position + 1 / self.count) ** 2 - position**2)
        return (self.now - dt.timedelta(seconds=age + gap * jitter)).replace(microsecond=0)

    def _thread_slots(self, block: int) -> list[int]:
        """For each index of a block, the offset in the block of its thread's first message."""
        rng = _rng(self.seed, "threads", block)
        start = block * THREAD_BLOCK
        size = min(THREAD_BLOCK, self.count - start)
        firsts: list[int] = []
        slots: list[int] = []
        for offset in range(size):
            if firsts and rng.random() < 0.55:
                slots.append(rng.choice(firsts[-3:]))
            else:
                firsts.append(offset)
                slots.append(offset)
        return slots

    def _thread_info(self, first: int) -> tuple[Address, bool, bool, str, bool]:
        """What a thread's messages share: correspondent, subject (and its charsets), who replies."""
        rng = _rng(self.seed, "thread", first)
        correspondent = rng.choice(PEOPLE)
        non_ascii = rng.random() < 0.25
        latin1 = not non_ascii and rng.random() < 0.05
        template = rng.choice(NON_ASCII_SUBJECTS if non_ascii else SUBJECTS)
        subject = ("Grüße: " if latin1 else "") + template.format(n=rng.randint(100, 9999))
        alternating = rng.random() < 0.7  # the owner answers every other message
        return correspondent, non_ascii, latin1, subject, alternating

    def meta(self, index: int) -> MessageMeta:
        if not 0 <= index < self.count:
            raise IndexError(index)
        return self._meta(index)

    def _compute_meta(self, index: int) -> MessageMeta:
        rng = _rng(self.seed, "meta", index)
        block, offset = divmod(index, THREAD_BLOCK)
        slots = self._slots(block)
        first = block * THREAD_BLOCK + slots[offset]
        earlier = [block * THREAD_BLOCK + o for o, s in enumerate(slots[:offset]) if s == slots[offset]]
        position_in_thread = len(earlier)
        correspondent, non_ascii, latin1, base_subject, alternating = self._thread(first)
        subject = ("Re: " if position_in_thread else "") + base_subject
        from_owner = position_in_thread % 2 == 1 if alternating else rng.random() < 0.15
        sender, recipient = (self.owner, correspondent) if from_owner else (correspondent, self.owner)
        cc = (rng.choice(PEOPLE),) if rng.random() < 0.15 else ()
        thread_ids = [self._message_id(i) for i in earlier]
        malformed = index % MALFORMED_EVERY == MALFORMED_AT
        features = {"reply"} if position_in_thread else set()
        if non_ascii or not (sender.name + recipient.name).isascii():
            features.add("non-ascii")
        if latin1:
            features.add("rfc2047-latin1")
        if malformed:
            features.add("malformed")
        else:
            if rng.random() < 0.6:
                features.add("html")
                if rng.random() < 0.2:
                    features.add("cid")
            if rng.random() < 0.15:
                features.add("attachment")
        date = self.date_of(index)
        age = self.now - date
        labels = self._labels(rng, from_owner, age)
        return MessageMeta(
            index=index,
            id=self.id_of(index),
            thread_id=self.id_of(first),
            message_id=self._message_id(index),
            in_reply_to=thread_ids[-1] if thread_ids else None,
            references=tuple(thread_ids[-10:]),
            subject=subject,
            sender=sender,
            to=(recipient,),
            cc=cc,
            date=date,
            labels=labels,
            unread=not from_owner and "TRASH" not in labels and rng.random() < (0.7 if age.days < 7 else 0.05),
            starred="STARRED" in labels,
            features=frozenset(features),
        )

    def _labels(self, rng: random.Random, from_owner: bool, age: dt.timedelta) -> tuple[str, ...]:
        roll = rng.random()
        if roll < 0.01:
            labels = ["TRASH"]
        elif roll < 0.02 and not from_owner:
            labels = ["SPAM"]
        elif from_owner:
            labels = ["SENT"]
        else:
            # Recent mail sits in the inbox; most older mail has been archived.
            labels = ["INBOX"] if age.days < 30 or rng.random() < 0.1 else []
        if "TRASH" not in labels and "SPAM" not in labels:
            if rng.random() < 0.05:
                labels.append("STARRED")
            if rng.random() < 0.1:
                labels.append("IMPORTANT")
            if rng.random() < 0.2:
                labels.append(rng.choice(CUSTOM_LABELS))
        return tuple(labels)

    def _message_id(self, index: int) -> str:
        return f"<{self.id_of(index)}.{self.seed}@{self.domain}>"

    def __iter__(self) -> Iterator[GeneratedMessage]:
        """Messages oldest first (index order)."""
        for index in range(self.count):
            yield self.message(index)

    def message(self, index: int) -> GeneratedMessage:
        meta = self.meta(index)
        return GeneratedMessage(meta, self.raw(index))

    def raw(self, index: int) -> bytes:
        return self._rendered(index)[0]

    def render_all(self) -> None:
        """Render every message now and keep them all. A benchmark's server does this before it answers:
        a real server reads stored bytes, and rendering them on request would put the emulator's work,
        which shares this machine's cores with the client, into the client's figures."""
        self._rendered = lru_cache(maxsize=None)(self._render)
        for index in range(self.count):
            self._rendered(index)

    def plain_text(self, index: int) -> str | None:
        """The text of the message's text/plain body, known without parsing the message back (the same
        words as a parser decodes, line ends aside); None for the malformed ones, which only a parser reads."""
        return self._rendered(index)[1]

    def _render(self, index: int) -> tuple[bytes, str | None]:
        meta = self.meta(index)
        if "malformed" in meta.features:
            return _malformed(meta), None
        return render_message(meta, _rng(self.seed, "body", index))


@lru_cache(maxsize=4096)
def _encoded(text: str, charset: str = "utf-8") -> str:
    """``text`` as a header value: itself when ASCII, else RFC 2047 encoded words, folded."""
    if text.isascii():
        return text
    return Header(text, charset, maxlinelen=76).encode(linesep="\r\n")


@lru_cache(maxsize=1024)
def _address(address: Address) -> str:
    if not address.name:
        return address.email
    name = address.name
    if name.isascii():
        # Quote names with specials (O'Connor is fine; a comma or a dot is not).
        name = f'"{name}"' if any(ch in name for ch in '()<>[]:;@\\,."') else name
        return f"{name} <{address.email}>"
    return f"{_encoded(name)} <{address.email}>"


Part = tuple[list[tuple[str, str]], bytes]


def _leaf(content_type: str, body: bytes, encoding: str, *extra: tuple[str, str]) -> Part:
    return [("Content-Type", content_type), ("Content-Transfer-Encoding", encoding), *extra], body


def _text(content: str, subtype: str) -> Part:
    data = binascii.b2a_qp(content.replace("\n", "\r\n").encode(), istext=True)
    return _leaf(f'text/{subtype}; charset="utf-8"', data, "quoted-printable")


def _binary(content_type: str, data: bytes, *extra: tuple[str, str]) -> Part:
    return _leaf(content_type, base64.encodebytes(data).replace(b"\n", b"\r\n"), "base64", *extra)


def _multipart(subtype: str, boundary: str, parts: list[Part]) -> Part:
    chunks = [b"This is a multi-part message in MIME format.\r\n"]
    for part in parts:
        chunks.append(f"--{boundary}\r\n".encode() + _render(part))
    chunks.append(f"--{boundary}--\r\n".encode())
    return [("Content-Type", f'multipart/{subtype}; boundary="{boundary}"')], b"".join(chunks)


def _render(part: Part) -> bytes:
    headers, body = part
    head = "".join(f"{name}: {value}\r\n" for name, value in headers)
    return head.encode() + b"\r\n" + body + (b"" if body.endswith(b"\r\n") else b"\r\n")


def render_message(meta: MessageMeta, rng: random.Random) -> tuple[bytes, str]:
    """A well-formed RFC 5322 message for ``meta`` and the text of its text/plain body; non-ASCII
    headers come out RFC 2047 encoded.

    Written by hand rather than through :class:`email.message.EmailMessage`, which is 30 times slower;
    the tests parse every kind back with ``email.policy.default``.
    """
    headers = [
        ("Message-ID", meta.message_id),
        ("Date", format_datetime(meta.date)),
        ("From", _address(meta.sender)),
        ("To", ", ".join(_address(a) for a in meta.to)),
    ]
    if meta.cc:
        headers.append(("Cc", ", ".join(_address(a) for a in meta.cc)))
    # Some mailers still encode in ISO-8859-1; most send UTF-8 encoded words.
    charset = "iso-8859-1" if "rfc2047-latin1" in meta.features else "utf-8"
    headers.append(("Subject", _encoded(meta.subject, charset)))
    if meta.in_reply_to:
        headers.append(("In-Reply-To", meta.in_reply_to))
        headers.append(("References", "\r\n ".join(meta.references)))
    headers.append(("MIME-Version", "1.0"))

    paragraphs = _paragraphs(rng, rng.randint(2, 6))
    greeting = f"Hallo {meta.to[0].name or meta.to[0].email}," if "non-ascii" in meta.features else "Hi,"
    signature = meta.sender.name or meta.sender.email
    plain = "\n\n".join([greeting, *paragraphs, f"-- \n{signature}"]) + "\n"
    body = _text(plain, "plain")
    boundary = f"=_sandbox_{meta.id}_"
    if "html" in meta.features:
        cid = f"img{meta.index}.{meta.id}@inline.example.com" if "cid" in meta.features else None
        image = f'<p><img src="cid:{cid}" alt="logo" width="1" height="1"></p>' if cid else ""
        html = (
            f"<html><body><p>{greeting}</p>{''.join(f'<p>{p}</p>' for p in paragraphs)}{image}"
            f'<p style="color:#666">— {signature}</p></body></html>\n'
        )
        html_part = _text(html, "html")
        if cid:
            logo = _binary(
                'image/png; name="logo.png"',
                PNG_1X1,
                ("Content-ID", f"<{cid}>"),
                ("Content-Disposition", 'inline; filename="logo.png"'),
            )
            html_part = _multipart("related", boundary + "rel", [html_part, logo])
        body = _multipart("alternative", boundary + "alt", [body, html_part])
    if "attachment" in meta.features:
        parts = [body]
        for number in range(rng.choice((1, 1, 2))):
            extension, content_type, how = rng.choice(ATTACHMENT_KINDS)
            stem = rng.choice(("report", "Übersicht", "invoice", "photo", "notes", "agenda"))
            filename = f"{stem}-{meta.index}-{number}.{extension}"
            disposition = (
                f'attachment; filename="{filename}"'
                if filename.isascii()
                else f"attachment; filename*=utf-8''{quote(filename)}"
            )
            parts.append(_binary(content_type, _attachment_bytes(how, rng, meta), ("Content-Disposition", disposition)))
        body = _multipart("mixed", boundary + "mix", parts)
    part_headers, part_body = body
    return _render((headers + part_headers, part_body)), plain


def _attachment_bytes(how: str, rng: random.Random, meta: MessageMeta) -> bytes:
    match how:
        case "png":
            return PNG_1X1
        case "pdf":
            return b"%PDF-1.4\n% sandbox\n" + _words(rng, 30).encode() + b"\n%%EOF\n"
        case "text":
            return (_words(rng, 60) + "\n").encode()
        case "csv":
            return (
                "date,amount,currency\n" + "".join(f"2024-0{i}-1{i},{rng.randint(1, 999)},EUR\n" for i in range(1, 6))
            ).encode()
        case "ics":
            return (
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//zoomclient sandbox//EN\r\nBEGIN:VEVENT\r\n"
                f"UID:{meta.id}@sandbox\r\nDTSTART:20250101T100000Z\r\nDTEND:20250101T110000Z\r\n"
                f"SUMMARY:{meta.subject}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            ).encode()
    return zlib.compress(rng.randbytes(rng.randint(200, 2000)))


def _malformed(meta: MessageMeta) -> bytes:
    """Messages that real servers hand out and parsers must survive."""
    date = format_datetime(meta.date).encode()
    variants = (
        # A multipart whose closing boundary never comes, with a truncated base64 part.
        b"From: " + meta.sender.email.encode() + b"\r\nTo: " + meta.to[0].email.encode() + b"\r\nSubject: "
        b"Broken multipart\r\nDate: " + date + b"\r\nMessage-ID: " + meta.message_id.encode() + b"\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="XYZ"\r\n\r\n--XYZ\r\n'
        b"Content-Type: text/plain\r\n\r\nThe end is missing.\r\n--XYZ\r\nContent-Type: application/pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK%%%notbase64\r\n",
        # Raw 8-bit Latin-1 in headers and body without any charset declared, and an unknown charset.
        b"From: J\xf6rg <" + meta.sender.email.encode() + b">\r\nTo: " + meta.to[0].email.encode() + b"\r\n"
        b"Subject: Gr\xfc\xdfe ohne Kodierung\r\nDate: "
        + date
        + b"\r\nMessage-ID: "
        + meta.message_id.encode()
        + b"\r\n"
        b"Content-Type: text/plain; charset=x-unknown-charset\r\n\r\nSch\xf6ne Gr\xfc\xdfe.\r\n",
        # A header line without a colon, a broken encoded word and a date that is not a date.
        b"From: "
        + meta.sender.email.encode()
        + b"\r\nThis line is not a header\r\nTo: "
        + meta.to[0].email.encode()
        + b"\r\nSubject: =?utf-8?b?broken=?= words\r\nDate: yesterday-ish\r\nMessage-ID: "
        + meta.message_id.encode()
        + b"\r\n\r\nBody after a broken header block.\r\n",
    )
    return variants[meta.index // MALFORMED_EVERY % len(variants)]


# -- calendars ---------------------------------------------------------------------------------------

TIME_ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "America/Los_Angeles", "Asia/Kolkata")
EVENT_TITLES = (
    "Team standup",
    "1:1 with {p}",
    "Quarterly planning",
    "Design review",
    "Kundentermin in München",
    "Lunch",
    "Dentist",
    "Conference: {p}",
    "Projekt-Übergabe",
    "顧客ミーティング",
    "Interview: backend engineer",
    "Release retro",
)


@attrs.frozen
class CalendarSet:
    """The calendars an account reaches and their events (recurring ones as unexpanded masters, plus
    their moved occurrences as exception records with ``series_id`` and ``original_start``)."""

    owner: Address
    calendars: tuple[Calendar, ...]
    events: tuple[Event, ...]
    delegations: tuple[DelegatePermission, ...]
    people: tuple[Address, ...]


def generate_calendars(
    events: int,
    *,
    seed: int = 1,
    owner: Address = OWNER,
    now: dt.datetime | None = None,
) -> CalendarSet:
    """``events`` events over the calendars an account reaches, spread from 180 days before ``now``
    to 180 days after it."""
    now = (now or dt.datetime.now(dt.UTC)).replace(second=0, microsecond=0)
    rng = _rng(seed, "calendars")
    boss = PEOPLE[7]
    colleague = PEOPLE[0]
    room = Address("room-berlin-4@resource.example.com", "Berlin 4.01 (8 seats)")
    calendars = (
        Calendar("primary", owner.name, CalendarKind.OWN, AccessRole.OWNER, owner, "#4285f4", True, "Europe/Berlin"),
        Calendar("team", "Team holidays", CalendarKind.OWN, AccessRole.OWNER, owner, "#0b8043", False, "Europe/Berlin"),
        Calendar(
            "shared-ana",
            colleague.name,
            CalendarKind.SHARED,
            AccessRole.READER,
            colleague,
            "#f4511e",
            False,
            "Europe/Berlin",
        ),
        Calendar("room-berlin-4", room.name, CalendarKind.RESOURCE, AccessRole.WRITER, room, "#616161", False, "UTC"),
        Calendar(
            "delegated-lena",
            boss.name,
            CalendarKind.DELEGATED,
            AccessRole.WRITER,
            boss,
            "#8e24aa",
            False,
            "America/New_York",
        ),
    )
    delegations = (DelegatePermission("delegated-lena", boss, owner, AccessRole.WRITER, can_schedule=True),)
    weights = (0.5, 0.1, 0.15, 0.1, 0.15)
    records: list[Event] = []
    for number in range(events):
        calendar = rng.choices(calendars, weights)[0]
        records.extend(_event(rng, number, calendar, owner, now, seed))
    return CalendarSet(owner, calendars, tuple(records), delegations, (owner, *PEOPLE[:11], room))


def _event(
    rng: random.Random, number: int, calendar: Calendar, owner: Address, now: dt.datetime, seed: int
) -> list[Event]:
    event_id = f"ev{seed}x{number:05d}"
    zone_name = calendar.time_zone if rng.random() < 0.6 else rng.choice(TIME_ZONES)
    zone = ZoneInfo(zone_name or "UTC")
    day = (now + dt.timedelta(days=rng.randint(-180, 180))).astimezone(zone).date()
    title = rng.choice(EVENT_TITLES).format(p=rng.choice(PEOPLE[:11]).name)
    all_day = rng.random() < 0.1
    if all_day:
        start = dt.datetime.combine(day, dt.time(), zone)
        end = start + dt.timedelta(days=rng.choice((1, 1, 1, 2, 5)))
    else:
        start = dt.datetime.combine(day, dt.time(rng.randint(7, 18), rng.choice((0, 15, 30))), zone)
        end = start + dt.timedelta(minutes=rng.choice((15, 30, 30, 45, 60, 60, 90, 120)))
    organizer = calendar.owner if calendar.kind is not CalendarKind.RESOURCE else owner
    attendees: list[Attendee] = []
    if rng.random() < 0.6:
        invited = rng.sample(PEOPLE[:11], rng.randint(1, 5))
        everyone = [organizer or owner, *(p for p in invited if p != organizer)]
        if owner not in everyone and rng.random() < 0.5:
            everyone.append(owner)
        for person in everyone:
            is_organizer = person == organizer
            attendees.append(
                Attendee(
                    person,
                    ResponseStatus.ACCEPTED if is_organizer else rng.choice(list(ResponseStatus)),
                    AttendeeRole.OPTIONAL if rng.random() < 0.15 else AttendeeRole.REQUIRED,
                    organizer=is_organizer,
                    is_self=person == owner,
                )
            )
    my_response = next((a.response for a in attendees if a.is_self), None)
    reminders = (Reminder(rng.choice((5, 10, 15, 30, 60))),) if rng.random() < 0.7 else ()
    if rng.random() < 0.2:
        reminders = (*reminders, Reminder(1440, "email"))
    exceptions: list[Event] = []
    master = Event(
        id=event_id,
        calendar_id=calendar.id,
        title=title,
        start=start,
        end=end,
        all_day=all_day,
        time_zone=zone_name or "UTC",
        location=rng.choice(("", "", "Berlin 4.01", "Café Kranzler", "Online", "東京オフィス")),
        description=_words(rng, rng.randint(0, 30)),
        organizer=organizer,
        attendees=tuple(attendees),
        status=EventStatus.TENTATIVE if rng.random() < 0.05 else EventStatus.CONFIRMED,
        show_as=ShowAs.FREE if all_day and rng.random() < 0.5 else ShowAs.BUSY,
        reminders=reminders,
        my_response=my_response,
        updated=now - dt.timedelta(days=rng.randint(0, 300)),
    )
    if rng.random() < 0.12 and not all_day:
        frequency = rng.choice(("DAILY;COUNT=10", "WEEKLY;COUNT=20", "WEEKLY;BYDAY=MO,WE;COUNT=16", "MONTHLY;COUNT=6"))
        if frequency.startswith("WEEKLY;BYDAY"):
            # A series whose first instance is not on one of its BYDAY days is a classic bug source; keep
            # it clean by starting the series on a Monday.
            start -= dt.timedelta(days=start.weekday())
            end = start + (master.end - master.start)
        series = attrs.evolve(master, start=start, end=end, recurrence=(f"RRULE:FREQ={frequency}",))
        # Every rule above has at least six instances: skip the second, move the third.
        _, skipped, moved = (naive.replace(tzinfo=start.tzinfo) for naive in itertools.islice(rule_set(series), 3))
        master = attrs.evolve(
            series, recurrence=(*series.recurrence, f"EXDATE;TZID={zone_name}:{skipped.strftime('%Y%m%dT%H%M%S')}")
        )
        exceptions.append(
            attrs.evolve(
                master,
                id=occurrence_id(master, moved),
                start=moved + dt.timedelta(hours=1),
                end=moved + dt.timedelta(hours=1) + (end - start),
                recurrence=(),
                title=master.title + " (moved)",
                series_id=event_id,
                original_start=moved,
            )
        )
    return [master, *exceptions]
