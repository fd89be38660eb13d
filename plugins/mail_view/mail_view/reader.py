"""The reader: one message, sanitised, in a QTextBrowser (a rich-text widget with no script engine at all).

Remote content stays blocked until the user allows it, for this message or for its sender; then the
images are fetched on the core's loop and handed to the document, since QTextBrowser never fetches
anything itself. ``cid:`` images come from the message's own parts.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from host.errors import ZoomclientError
from host.html import sanitise_html
from host.mime import attachment_bytes, parse_message
from host.model.contact import Contact
from host.model.mail import Address, Attachment, Message, OutgoingMessage
from host.ui.qt import (
    QColor,
    QDesktopServices,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QImage,
    QLabel,
    QMenu,
    QPalette,
    QPushButton,
    Qt,
    QTextBrowser,
    QTextDocument,
    QToolButton,
    QUrl,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from host.ui.context import ViewContext

#: The store's key-value state remembers per sender that remote content is allowed; the store is
#: encrypted and wiped at sign-out, unlike QSettings, which holds layout only.
SENDER_ALLOWED = "ui/remote-content/{}"
#: The links of the From/To/Cc people: a click or Enter opens their contact card, hovering previews it.
PERSON_SCHEME = "person:"
_REMOTE_IMAGE = re.compile(r"""<img\b[^>]*?\bsrc="(https?://[^"]+)\"""", re.IGNORECASE)
_MAX_REMOTE_BYTES = 5 * 1024 * 1024
_SETS_COLOURS = re.compile(r"""(?:\bbgcolor\s*=|\bcolor\s*=|[;"'\s]color\s*:|background(?:-color)?\s*:)""", re.I)
_BLANK = QImage(1, 1, QImage.Format.Format_ARGB32)
_BLANK.fill(0)


class MessageBrowser(QTextBrowser):
    """Resolves ``cid:`` from the message and remote URLs from what was fetched with permission; nothing else."""

    def __init__(self, reader: Reader) -> None:
        super().__init__()
        self.reader = reader
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName("Message body")
        self.requested: list[str] = []  # every resource the document asked for (tests check it)

    def loadResource(self, kind: int, url: QUrl) -> Any:
        text = url.toString()
        self.requested.append(text)
        found = None
        if url.scheme() == "cid":
            found = self.reader.inline_image(url.path() or text[4:])
        elif url.scheme() in ("http", "https"):
            found = self.reader.remote_images.get(text)
        if found is not None:
            return found
        # Never None: Qt would then look for the name on the local disk. An image nobody may load is
        # an empty one; any other resource (a style sheet, say) is empty text.
        return _BLANK if kind == QTextDocument.ResourceType.ImageResource.value else ""


class Bar(QFrame):
    """A strip above the message with a text and buttons (remote content, invitations)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.buttons_layout = layout
        self.hide()

    def add_button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text)
        button.clicked.connect(lambda _=False: slot())
        self.buttons_layout.addWidget(button)
        return button


class Reader(QWidget):
    def __init__(self, context: ViewContext) -> None:
        super().__init__()
        self.context = context
        self.message: Message | None = None
        self.remote_images: dict[str, QImage] = {}
        self._allowed_messages: set[str] = set()
        self._inline_cache: dict[str, QImage] = {}
        self._mime_parts: tuple[str, tuple[Attachment, ...]] | None = None  # parsed once per message
        self._fetching: set[str] = set()
        self.setAccessibleName("Reader")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)

        self.subject = QLabel()
        self.subject.setWordWrap(True)
        self.subject.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subject.setAccessibleName("Subject")
        self.headers = QLabel()
        self.headers.setWordWrap(True)
        self.headers.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.headers.setAccessibleName("Sender and recipients")
        self.headers.linkActivated.connect(lambda href: self._person_link(href, hover=False))
        self.headers.linkHovered.connect(lambda href: self._person_link(href, hover=True))
        layout.addWidget(self.subject)
        layout.addWidget(self.headers)

        self.remote_bar = Bar("Remote content blocked")
        self.show_remote_button = self.remote_bar.add_button("Show remote content", self.allow_remote_once)
        self.always_button = self.remote_bar.add_button("Always from this sender", self.allow_remote_for_sender)
        layout.addWidget(self.remote_bar)

        self.invitation_bar = Bar("Invitation")
        for text, response in (("Accept", "accepted"), ("Tentative", "tentative"), ("Decline", "declined")):
            self.invitation_bar.add_button(text, lambda r=response: self.respond(r))
        layout.addWidget(self.invitation_bar)

        self.attachments = QHBoxLayout()
        self.attachments.setContentsMargins(0, 0, 0, 0)
        self.attachments_row = QWidget()
        self.attachments_row.setAccessibleName("Attachments")
        self.attachments_row.setLayout(self.attachments)
        self.attachments_row.hide()
        layout.addWidget(self.attachments_row)

        self.browser = MessageBrowser(self)
        self.browser.anchorClicked.connect(self._link)
        layout.addWidget(self.browser, 1)
        self._temp: tempfile.TemporaryDirectory[str] | None = None
        # Opened attachments go with the account (sign-out wipes its mail) or with the window.
        context.signals.account_changed.connect(lambda _: self._forget_opened())
        self.destroyed.connect(lambda *_: self._forget_opened())
        self.show_message(None)

    # -- showing -------------------------------------------------------------------------------

    def show_message(self, message: Message | None) -> None:
        self.message = message
        self.remote_images = {}
        self._inline_cache = {}
        self.invitation_bar.hide()
        self._fill_attachments(message)
        if message is None:
            self.subject.setText("")
            self.headers.setText("")
            self.remote_bar.hide()
            placeholder = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
            self.browser.setHtml(f"<p align='center' style='color: {placeholder}'><br><br>No message selected.</p>")
            return
        self.subject.setText(f"<h3>{html.escape(message.subject or '(no subject)')}</h3>")
        self.headers.setText(_header_html(message))
        if any(a.content_type.lower().startswith("text/calendar") for a in message.attachments):
            self.invitation_bar.label.setText("This message is an invitation.")
            self.invitation_bar.show()
        self._render()

    def _render(self) -> None:
        message = self.message
        if message is None:
            return
        allowed = self.remote_allowed(message)
        if message.body_html is None:
            self.remote_bar.hide()
            self._use_paper(False)
            self.browser.setPlainText(message.body_text)
            return
        clean = sanitise_html(message.body_html, allow_remote=allowed)
        if clean.blocked_remote and not allowed:
            sender = message.sender.email if message.sender else "this sender"
            count = clean.blocked_remote
            self.remote_bar.label.setText(f"{count} remote image{'s' if count != 1 else ''} blocked.")
            self.remote_bar.setToolTip(
                "Remote images let a sender see when and where you read the message;"
                " they stay blocked until you allow them."
            )
            self.always_button.setToolTip(f"Always show remote images from {sender}")
            self.always_button.setAccessibleName(f"Always show remote content from {sender}")
            self.always_button.setEnabled(message.sender is not None)
            self.remote_bar.show()
        else:
            self.remote_bar.hide()
        self._use_paper(bool(_SETS_COLOURS.search(clean.html)))
        self.browser.setHtml(clean.html)
        if allowed:
            self._fetch_remote(clean.html)

    def _use_paper(self, paper: bool) -> None:
        """Mail that sets its own colours was made for white paper: under a dark palette its dark text
        would vanish, so it gets a light page; everything else follows the system palette."""
        if not paper:
            self.browser.setPalette(self.palette())
            return
        page = QPalette(self.palette())
        page.setColor(QPalette.ColorRole.Base, QColor("white"))
        page.setColor(QPalette.ColorRole.Text, QColor("black"))
        self.browser.setPalette(page)

    # -- remote content ------------------------------------------------------------------------

    def remote_allowed(self, message: Message) -> bool:
        if message.id in self._allowed_messages:
            return True
        session = self.context.session
        if message.sender is None or session is None or session.store is None:
            return False
        return session.store.get_state(SENDER_ALLOWED.format(message.sender.email.lower())) == "allow"

    def allow_remote_once(self) -> None:
        if self.message is not None:
            self._allowed_messages.add(self.message.id)
            self._render()

    def allow_remote_for_sender(self) -> None:
        message = self.message
        session = self.context.session
        if message is None or message.sender is None or session is None or session.store is None:
            return
        remember = asyncio.to_thread(
            session.store.set_state, SENDER_ALLOWED.format(message.sender.email.lower()), "allow"
        )
        self._allowed_messages.add(message.id)  # shown at once; the store has it for the sender's next mail
        self._render()
        self.context.tasks.run(remember)

    def _fetch_remote(self, clean_html: str) -> None:
        urls = [u for u in dict.fromkeys(html.unescape(m) for m in _REMOTE_IMAGE.findall(clean_html))]
        urls = [u for u in urls if u not in self.remote_images]
        if not urls:
            return
        message_id = self.message.id if self.message else None

        def done(images: dict[str, bytes]) -> None:
            if self.message is None or self.message.id != message_id:
                return  # the user moved on
            for url, data in images.items():
                image = QImage.fromData(data)
                if not image.isNull():
                    self.remote_images[url] = image
            if images:
                position = self.browser.verticalScrollBar().value()
                self.browser.setHtml(sanitise_html(self.message.body_html or "", allow_remote=True).html)
                self.browser.verticalScrollBar().setValue(position)

        self.context.tasks.run(_download(urls), done, lambda error: None)

    # -- cid: images ---------------------------------------------------------------------------

    def inline_image(self, content_id: str) -> QImage | None:
        message = self.message
        if message is None:
            return None
        content_id = content_id.strip("<>")
        if content_id in self._inline_cache:
            return self._inline_cache[content_id]
        part = next((a for a in message.attachments if (a.content_id or "").strip("<>") == content_id), None)
        if part is None:
            return None
        data = self._local_bytes(message, part)
        if data is None:
            self._fetch_attachment(message, part, then=self._render)
            return None
        image = QImage.fromData(data)
        self._inline_cache[content_id] = image
        return image

    def _local_bytes(self, message: Message, part: Attachment) -> bytes | None:
        """The part from the store's cache, or from the raw message when the provider gave it."""
        session = self.context.session
        if session is not None and session.store is not None:
            cached = session.store.cached_attachment(message.id, part.id)
            if cached is not None:
                return cached
        if message.raw is None:
            return None
        # A provider may number parts its own way: find the part by what it is, then take its bytes.
        if self._mime_parts is None or self._mime_parts[0] != message.id:
            parsed = parse_message(message.raw, id=message.id, thread_id=message.thread_id)
            self._mime_parts = (message.id, parsed.attachments)
        same = next(
            (
                a
                for a in self._mime_parts[1]
                if (part.content_id and a.content_id == part.content_id)
                or (not part.content_id and (a.filename, a.size) == (part.filename, part.size))
            ),
            None,
        )
        if same is None:
            return None
        with contextlib.suppress(ZoomclientError):  # a damaged part: fetched from the server instead
            return attachment_bytes(message.raw, same.id)
        return None

    def _fetch_attachment(self, message: Message, part: Attachment, *, then: Any) -> None:
        session = self.context.session
        key = f"{message.id}/{part.id}"
        if session is None or session.mail is None or session.store is None or key in self._fetching:
            return
        self._fetching.add(key)
        mail, store = session.mail, session.store

        async def fetch() -> bytes:
            data = await mail.fetch_attachment(message.id, part.id)
            await asyncio.to_thread(store.cache_attachment, message.id, part.id, data)
            return data

        def done(_: bytes) -> None:
            self._fetching.discard(key)
            if self.message is not None and self.message.id == message.id:
                then()

        def failed(error: BaseException) -> None:
            self._fetching.discard(key)
            self.context.show_error(error)

        self.context.tasks.run(fetch(), done, failed)

    # -- attachments ---------------------------------------------------------------------------

    def _fill_attachments(self, message: Message | None) -> None:
        while self.attachments.count():
            item = self.attachments.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        files = [a for a in message.attachments if not a.inline] if message else []
        self.attachments_row.setVisible(bool(files))
        for part in files:
            button = QToolButton()
            button.setText(f"📎 {part.filename} ({_size(part.size)})")
            button.setAccessibleName(f"Attachment {part.filename}")
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            menu = QMenu(button)
            menu.addAction("Open", lambda p=part: self.open_attachment(p))
            menu.addAction("Save…", lambda p=part: self.save_attachment(p))
            button.setMenu(menu)
            self.attachments.addWidget(button)
        self.attachments.addStretch(1)

    def _with_bytes(self, part: Attachment, use: Any) -> None:
        message = self.message
        if message is None:
            return
        data = self._local_bytes(message, part)
        if data is not None:
            use(data)
            return
        self._fetch_attachment(message, part, then=lambda: self._with_bytes(part, use))

    def save_attachment(self, part: Attachment) -> None:
        def save(data: bytes) -> None:
            target, _ = QFileDialog.getSaveFileName(self, "Save attachment", str(Path.home() / part.filename))
            if target:
                Path(target).write_bytes(data)
                self.context.show_info(f"Saved {part.filename}.")

        self._with_bytes(part, save)

    def open_attachment(self, part: Attachment) -> None:
        def open_(data: bytes) -> None:
            # A private folder of this process, removed when the reader goes: the only copy outside
            # the encrypted store, and only because another program has to read it.
            if self._temp is None:
                self._temp = tempfile.TemporaryDirectory(prefix="zoomclient-")
            path = Path(self._temp.name) / Path(part.filename).name
            path.write_bytes(data)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

        self._with_bytes(part, open_)

    def _forget_opened(self) -> None:
        if self._temp is not None:
            self._temp.cleanup()
            self._temp = None

    # -- invitations ---------------------------------------------------------------------------

    def respond(self, response: str) -> None:
        from mail_view.invitations import respond_to_invitation

        message = self.message
        session = self.context.session
        if message is None or session is None:
            return
        part = next(a for a in message.attachments if a.content_type.lower().startswith("text/calendar"))

        def go(data: bytes) -> None:
            self.context.tasks.run(
                respond_to_invitation(session, data, response),
                lambda text: self.context.show_info(text),
            )

        self._with_bytes(part, go)

    # -- links ---------------------------------------------------------------------------------

    def _link(self, url: QUrl) -> None:
        if url.scheme() == "mailto":
            self.context.compose(OutgoingMessage(to=(Address(url.path()),), subject=""))
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)

    def person(self, href: str) -> Address | None:
        """The sender or recipient a header link names."""
        if self.message is None or not href.startswith(PERSON_SCHEME):
            return None
        email = unquote(href.removeprefix(PERSON_SCHEME))
        people = (self.message.sender, *self.message.to, *self.message.cc)
        return next((a for a in people if a is not None and a.email == email), None)

    def _person_link(self, href: str, *, hover: bool) -> None:
        address = self.person(href)
        if address is None:
            if hover:
                self.context.end_contact_hover()  # the pointer left the person's link
            return
        self.context.show_contact(Contact(email=address.email, name=address.name), self.headers, hover=hover)

    def plain_text(self) -> str:
        document: QTextDocument = self.browser.document()
        return document.toPlainText()


async def _download(urls: list[str]) -> dict[str, bytes]:
    """Remote images the user allowed, fetched without cookies or referrer; failures are skipped."""
    import httpx

    found: dict[str, bytes] = {}
    async with httpx.AsyncClient(timeout=10.0, follow_redirects=True) as client:
        for url in urls[:50]:
            try:
                response = await client.get(url)
            except httpx.HTTPError:
                continue
            if response.status_code == 200 and len(response.content) <= _MAX_REMOTE_BYTES:
                found[url] = response.content
    return found


def _person_html(address: Address) -> str:
    href = html.escape(PERSON_SCHEME + quote(address.email, safe="@"), quote=True)
    return f'<a href="{href}" style="text-decoration: none">{html.escape(str(address))}</a>'


def _header_html(message: Message) -> str:
    def people(addresses: tuple[Address, ...]) -> str:
        return ", ".join(_person_html(a) for a in addresses)

    sender = _person_html(message.sender) if message.sender else "(unknown sender)"
    lines = [f"<b>From:</b> {sender}"]
    if message.to:
        lines.append(f"<b>To:</b> {people(message.to)}")
    if message.cc:
        lines.append(f"<b>Cc:</b> {people(message.cc)}")
    lines.append(f"<b>Date:</b> {message.date.astimezone():%a %d %b %Y %H:%M}")
    if message.parse_note:
        lines.append(f"<i>{html.escape(message.parse_note)}</i>")
    return "<br>".join(lines)


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size:.1f} GB"
