"""The parser's shortcuts for everyday headers read exactly what the stdlib's header parser reads.

Each shortcut either answers as the stdlib would or declines (None): generated values close to the
everyday shapes, with the characters that make them unusual mixed in, must never get a different answer.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.feedparser
import email.utils
import re
from email.message import Message
from email.parser import BytesParser

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from host.mime import feed, headers
from host.mime import parse as parse_module
from host.mime.headers import FACTORY, _simple_mailboxes, parameters, simple_parameters
from host.mime.parts import TOLERANT, _parsed_header, parse_bytes
from host.mime.split import split_message
from host.sandbox.datagen import Mailbox

MANY = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Mostly token characters, with the ones that end or change a token or a quoted string.
_PIECE = st.sampled_from(["a", "B", "z", "0", ".", "-", "_", "'", "*", "%", "=?", "?=", "!", "~"])
_SPECIAL = st.sampled_from([" ", "\t", '"', "\\", ";", ",", "=", "(", ")", "<", ">", "@", ":", "/", "é", "[", "]"])
_CLEAN = st.lists(st.sampled_from(["a", "B", "0", ".", "-", "_"]), min_size=1, max_size=6).map("".join)
_TEXT = st.one_of(_CLEAN, st.lists(st.one_of(_PIECE, _PIECE, _PIECE, _SPECIAL), max_size=8).map("".join))


def _parameter(name: str, value: str, quoted: bool, space: str) -> str:
    return f";{space}{name}={value}{space}" if not quoted else f';{space}{name}="{value}"{space}'


_PARAMETERS = st.lists(
    st.builds(_parameter, st.one_of(st.sampled_from(["charset", "boundary", "name", "Name"]), _TEXT), _TEXT,
              st.booleans(), st.sampled_from(["", " ", "\t"])),
    max_size=4,
).map("".join)  # fmt: skip
_TYPES = st.one_of(st.sampled_from(["text/plain", "multipart/mixed", "Text/HTML", "attachment", "inline"]), _TEXT)


@MANY
@given(name=st.sampled_from(["content-type", "content-disposition"]), head=_TYPES, tail=_PARAMETERS)
@example(name="content-type", head="text/plain", tail='; a=b; A="c"')
@example(name="content-type", head="text/plain", tail='; a=""')
@example(name="content-type", head="text/plain", tail=";")
@example(name="content-disposition", head="attachment", tail="; filename*=utf-8''%E2%82%AC.pdf")
def test_simple_parameterized_headers_read_as_the_stdlib_reads_them(name, head, tail):
    value = head + tail
    if simple_parameters(name, value) is not None:
        stdlib = FACTORY(name, value)
        assert str(_parsed_header(name, value)) == str(stdlib)
        assert parameters(name, value) == dict(stdlib.params)


@MANY
@given(name=st.sampled_from(["content-type", "content-disposition"]), head=_TYPES, tail=_PARAMETERS)
@example(name="content-type", head="text/plain", tail='; Charset="a;b=c"; name=" x "')
def test_remembered_parameters_are_the_stdlibs_reading_of_the_header(name, head, tail):
    """``ParsedPart`` answers get_param, get_boundary, get_filename ... from the parameters the everyday
    shape carries; the stdlib's own reading of the same header must be the same list."""
    part = parse_bytes(f"{name}: {head}{tail}\r\n\r\nbody\r\n".encode("utf-8", "surrogateescape"))
    assert part._get_params_preserve(None, name) == Message._get_params_preserve(part, None, name)
    assert part._get_params_preserve("absent", "x-other") == "absent"


def _stdlib_date(text: str) -> dt.datetime | None:
    """How ``headers.date`` reads what its shortcut does not take."""
    try:
        value = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


_TWO = st.integers(0, 99).map("{:02d}".format)


@MANY
@given(
    weekday=st.sampled_from(["", "Wed, ", "Sun, ", "wed, ", "Xyz, "]),
    day=st.integers(0, 40).map(str),
    month=st.sampled_from(["Jan", "feb", "DEC", "Sep", "Foo"]),
    year=st.integers(0, 9999).map("{:04d}".format),
    clock=st.tuples(_TWO, _TWO, st.one_of(st.just(""), _TWO.map(":{}".format))).map(lambda t: f"{t[0]}:{t[1]}{t[2]}"),
    zone=st.one_of(
        st.sampled_from(["+0000", "-0000", "+2400", "-2359", "+0199"]), st.from_regex(r"[+-]\d{4}", fullmatch=True)
    ),
)
@example(weekday="Wed, ", day="2", month="Dec", year="2026", clock="18:54:06", zone="-0000")
@example(weekday="", day="31", month="Feb", year="2026", clock="24:00", zone="+0100")
@example(weekday="", day="1", month="Jan", year="0001", clock="00:00", zone="+0000")
def test_everyday_dates_read_as_the_stdlib_reads_them(weekday, day, month, year, clock, zone):
    text = f"{weekday}{day} {month} {year} {clock} {zone}"
    assert headers.date(text) == _stdlib_date(text)
    found = headers.date(text)
    if found is not None:
        assert found.utcoffset() == _stdlib_date(text).utcoffset()


def test_a_remembered_mailbox_reading_notes_again_what_it_noted():
    """Each message whose From is read from memory gets the note its own reading would have made."""
    raw = "=?utf-8?q?Ana=FF?= <ana@example.com>"  # not UTF-8: read as a guess, and noted
    notes: list[str] = []
    first = headers.mailboxes(raw, notes)
    again = headers.mailboxes(raw, notes)
    assert first == again == headers.addresses(headers.header_text(raw, []))
    assert len(notes) == 2 and notes[0] == notes[1]
    long = ", ".join(f"p{n}@example.com" for n in range(400))  # not remembered, still read
    assert len(headers.mailboxes(long, notes)) == 400


_HEADER_TEXT = st.lists(
    st.sampled_from(["a", "Z", "<id@x>", " ", "  ", "\t", "\r\n ", "\n\t", "\r\n", "\x00", "=?", "é", ";", "\x7f"]),
    max_size=12,
).map("".join)


@MANY
@given(raw=_HEADER_TEXT)
@example(raw="<a@b>\r\n <c@d>")
@example(raw="a\r\n\tb")
def test_plain_header_values_read_as_in_full(raw):
    notes: list[str] = []
    assert headers.decoded(raw, notes) == headers._decoded_in_full(raw, [])


@MANY
@given(raw=_HEADER_TEXT)
@example(raw=" <img1@inline.example.com> ")
@example(raw="<a\r\n b>")
def test_a_plain_content_id_reads_as_the_stdlibs_header(raw):
    part = parse_bytes(b"Content-ID: x\r\n\r\nbody")
    part._headers = [("Content-ID", raw)]
    stdlib = str(part.get("content-id")).strip().strip("<>").strip() or None
    assert parse_module._content_id(part) == stdlib


def _snippet_in_full(text: str) -> str:
    collapsed = " ".join(text[:1600].split())
    if len(collapsed) <= 200:
        return collapsed
    cut = collapsed[:200]
    return cut.rsplit(" ", 1)[0] if " " in cut[100:] else cut


@MANY
@given(
    text=st.lists(
        st.one_of(st.sampled_from([" ", "  ", "\n\n", "\t", " " * 150]), st.text("abcdé", min_size=1, max_size=90)),
        max_size=60,
    ).map("".join)
)
@example(text="x" * 199 + " " + "y" * 300)
@example(text="w " * 100 + "z" * 10)
def test_the_snippet_reads_a_short_head_as_it_reads_the_whole(text):
    assert parse_module.snippet(text) == _snippet_in_full(text)


def _word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="


_ADDRESS = st.builds(lambda local, domain: f"{local}@{domain}", _TEXT, _TEXT)
_NAME = st.one_of(_TEXT, _TEXT.map(lambda text: f'"{text}"'), st.text(max_size=6).map(_word), st.just(""))
_MAILBOX = st.one_of(_ADDRESS, st.builds(lambda name, address: f"{name} <{address}>", _NAME, _ADDRESS))


@MANY
@given(mailboxes=st.lists(_MAILBOX, min_size=1, max_size=3), separator=st.sampled_from([", ", ",", " ,", ";"]))
@example(mailboxes=["Jane Doe <jane@example.com>", '"Doe, Jane" <d@example.com>'], separator=", ")
@example(mailboxes=[f"{_word('Zoë, Ü')} <z@example.com>"], separator=", ")
@example(mailboxes=["=?utf-8?q?x?= <a@b>"], separator=", ")
def test_simple_mailboxes_read_as_the_stdlib_reads_them(mailboxes, separator):
    text = separator.join(mailboxes)
    simple = _simple_mailboxes(text)
    if simple is not None:
        assert simple == [(address.display_name, address.addr_spec) for address in FACTORY("to", text).addresses]


def test_the_shortcuts_take_the_everyday_shapes():
    """They must answer for what mail mostly holds, or they save nothing."""
    assert simple_parameters("content-type", 'multipart/alternative; boundary="=_b_1"') is not None
    assert simple_parameters("Content-Type", "text/plain; charset=utf-8; format=flowed") is not None
    assert simple_parameters("content-disposition", 'attachment; filename="report.pdf"') is not None
    assert _simple_mailboxes(f'Ana <ana@example.com>, "Doe, J" <j@example.com>, {_word("Zoë")} <z@x.org>, b@c.d')


_BOUNDARY = st.text(st.sampled_from(["a", "Z", "0", "=", "_", "-", "'", "(", ")", "+", ".", " ", "?", "\\", "*"]))
_LINE = st.lists(st.sampled_from(["--", "-", " ", "\t", "\r\n", "\r", "\n", "x", "=_"]), max_size=6).map("".join)


@MANY
@given(boundary=_BOUNDARY, before=st.sampled_from(["", "--", "-", " "]), tail=_LINE, same=st.booleans())
@example(boundary="b", before="", tail="--\r\n", same=True)
@example(boundary="b", before="", tail="-- \t\n\n", same=True)
@example(boundary="b", before="", tail="\r\r\n", same=True)
def test_the_boundary_matcher_matches_as_the_stdlib_regex(boundary, before, tail, same):
    """The feed parser's boundary lines are read by hand exactly as by the regex it would compile."""
    separator = "--" + boundary
    pattern = "(?P<sep>" + re.escape(separator) + r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
    line = before + (separator if same else separator[:-1]) + tail
    expected = re.compile(pattern).match(line)
    found = feed._Patterns.compile(pattern).match(line)
    assert isinstance(feed._Patterns.compile(pattern), feed.BoundaryMatcher)
    assert (found is None) == (expected is None)
    if expected is not None:
        assert (found.group("end"), found.group("linesep")) == (expected.group("end"), expected.group("linesep"))


def _shape(parsed: Message) -> list:
    """Everything the parser decided: each part's raw headers, type, defects, preamble, epilogue and text
    (as it holds them: regenerating bytes from damaged mail can raise on either side)."""
    return [
        (
            type(part),
            part.get_unixfrom(),
            part.get_default_type(),
            list(part.raw_items()),
            part.get_content_type(),
            repr(part.defects),
            part.preamble,
            part.epilogue,
            None if part.is_multipart() else part._payload,
        )
        for part in parsed.walk()
    ]


def _tree(raw: bytes) -> list:
    return _shape(parse_bytes(raw))


def _stdlib_tree(raw: bytes) -> list:
    return _shape(BytesParser(policy=TOLERANT).parsebytes(raw))


def test_the_tree_is_the_stdlib_parsers_tree(corpus):
    """The parse loop with the hand-made boundary matcher builds what the stdlib's parser builds."""
    for raw in corpus.values():
        assert _tree(raw) == _stdlib_tree(raw)

    @MANY
    @given(raw=st.sampled_from(sorted(corpus.values())), cut=st.integers(0, 4000), junk=_LINE.map(str.encode))
    def damaged(raw, cut, junk):
        damaged = raw[:cut] + junk + raw[cut:]  # a line end, a dash, a blank where boundaries are read
        assert _tree(damaged) == _stdlib_tree(damaged)

    damaged()


def test_the_parser_runs_the_stdlib_loop_with_the_matcher():
    """If the running Python's loop changed shape, the stdlib's own runs: this says which one is in use."""
    assert feed.FeedParser._parsegen is not email.feedparser.FeedParser._parsegen


# Mail of the everyday shape, with what the splitter must read as the feed parser does (folded and empty
# headers, 8-bit text, blanks after a boundary, lines that only look like boundaries, preambles,
# epilogues) and what it must leave to it (a lone CR, "From " lines, message/* parts, missing boundaries).
def _mostly(everyday: list[str], odd: list[str]) -> st.SearchStrategy[str]:
    """One of ``odd`` about one time in eight, else one of ``everyday``."""
    return st.integers(0, 7).flatmap(lambda roll: st.sampled_from(odd if roll == 0 else everyday))


_HEADER_LINES = _mostly(
    [
        "Subject: Hello",
        "Subject:",
        "Subject:   spaced  ",
        "X-Folded: one{eol}\ttwo{eol}  three",
        "X-Empty-Fold:{eol} later",
        "To: Zoë <z@example.com>",
        "Content-Transfer-Encoding: 7bit",
    ],
    ["Content-Transfer-Encoding: base64", "From someone", "No colon here", ":no name", "X-Lone-CR: a\rb"],
)
_BODY_LINES = _mostly(["text", "", " ", "--", "--{b}x", " --{b}", "Grüße", "From me"], ["--{b}", "--{b}--", "\r"])
_TYPES_OF_LEAVES = _mostly(["text/plain", "text/html; charset=utf-8", "application/pdf", ""], ["message/rfc822"])
_MULTIPARTS = _mostly(["mixed", "alternative", "related"], ["digest"])


@st.composite
def _part_text(draw, depth: int = 0) -> list[str]:
    """The lines of a part (its line ends are added by :func:`_message_text`)."""
    headers = [line for line in draw(st.lists(_HEADER_LINES, max_size=3)) if draw(st.integers(0, 3)) == 0]
    boundary = draw(st.sampled_from(["b1", "=_x y", "b1--", "==b(+)", "b"])) + str(depth)
    if depth < 2 and draw(st.booleans()):
        subtype = draw(_MULTIPARTS)
        quoted = draw(st.booleans())
        parameter = f'"{boundary}"' if quoted or " " in boundary else boundary
        lines = [*headers, f"Content-Type: multipart/{subtype}; boundary={parameter}", ""]
        lines += [line.format(b=boundary) for line in draw(st.lists(_BODY_LINES, max_size=2))]  # the preamble
        for _ in range(draw(st.integers(1, 3))):
            lines.append("--" + boundary + draw(st.sampled_from(["", "", " ", "\t "])))
            lines += draw(_part_text(depth + 1))
        if draw(st.integers(0, 5)):
            lines.append("--" + boundary + "--" + draw(st.sampled_from(["", " "])))
        return lines + [line.format(b=boundary) for line in draw(st.lists(_BODY_LINES, max_size=2))]
    content_type = draw(_TYPES_OF_LEAVES)
    lines = [*headers, *([f"Content-Type: {content_type}"] if content_type else []), ""]  # "": text/plain
    return lines + [line.format(b="b" + str(depth - 1)) for line in draw(st.lists(_BODY_LINES, min_size=1, max_size=4))]


@st.composite
def _message_text(draw) -> bytes:
    eol = draw(st.sampled_from(["\r\n", "\n"]))
    lines = [line.replace("{eol}", eol) for line in draw(_part_text())]
    return (eol.join(lines) + draw(_mostly([eol], [""]))).encode("utf-8")


@MANY
@given(raw=_message_text())
@example(raw=b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n\r\n")
@example(raw=b"Content-Type: multipart/mixed; boundary=b\n\npre\n--b\n\n--b\n\nx\n--b--")
def test_the_splitter_builds_the_feed_parsers_tree(raw):
    """Whatever the splitter answers for is the tree the feed parser builds; for the rest it declines."""
    assert _tree(raw) == _stdlib_tree(raw)


def test_the_splitter_takes_everyday_mail(corpus):
    """It must answer for what mail mostly is, or it saves nothing: nearly all generated mail, and the
    corpus's well-formed messages (its damaged ones are the feed parser's)."""
    mailbox = Mailbox(400, seed=11)
    taken = sum(split_message(mailbox.raw(index).decode("ascii", "surrogateescape"), TOLERANT) is not None
                for index in range(len(mailbox)))  # fmt: skip
    assert taken >= 0.95 * len(mailbox)
    assert split_message(corpus["nested"].decode("ascii", "surrogateescape"), TOLERANT) is not None
    assert split_message(corpus["truncated"].decode("ascii", "surrogateescape"), TOLERANT) is None


def test_a_parsed_part_forgets_its_type_and_parameters_when_its_headers_change():
    """Parts remember what they were asked; every way of changing a header must make them forget."""
    part = parse_bytes(b'Content-Type: multipart/mixed; boundary="a"\r\n\r\n--a\r\n\r\nx\r\n--a--\r\n')
    assert (part.get_content_type(), part.get_boundary()) == ("multipart/mixed", "a")
    part.set_boundary("b")  # assigns the header list anew
    assert part.get_boundary() == "b"
    part.replace_header("Content-Type", "text/plain; charset=latin-1")
    assert (part.get_content_type(), part.get_content_charset()) == ("text/plain", "latin-1")
    part.set_param("charset", "utf-8")
    assert part.get_content_charset() == "utf-8"
    del part["Content-Type"]
    assert (part.get_content_type(), part.get_param("charset")) == ("text/plain", None)
    part.set_default_type("message/rfc822")
    assert part.get_content_type() == "message/rfc822"
    part["Content-Type"] = "image/png; name=a.png"
    assert (part.get_content_type(), part.get_filename()) == ("image/png", "a.png")
    part.add_header("Content-Disposition", "attachment", filename="b.png")
    assert part.get_filename() == "b.png"
    params = part.get_params(unquote=False)
    params.clear()  # what it hands out is the caller's
    assert part.get_params() == [("image/png", ""), ("name", "a.png")]


def test_a_parsed_part_finds_headers_as_the_stdlib_does():
    raw = b"Subject: one\r\nX-A: 1\r\nsubject: two\r\nx-a: 2\r\n\r\nbody\r\n"
    part = parse_bytes(raw)  # against the stdlib's own lookups, which look through every header
    for name in ("subject", "SUBJECT", "x-a", "X-B"):
        assert part.get(name, "none") == Message.get(part, name, "none")
        assert part[name] == Message.get(part, name)
        assert (name in part) == Message.__contains__(part, name)
    del part["subject"]
    assert part["subject"] is None and "subject" not in part
    part["Subject"] = "three"
    assert part["subject"] == "three" and part.get_all("subject") == ["three"]
