"""The hooks of zoomclient-mail-view. Qt loads only when the shell builds a view (inside ``create``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from host.hookspecs import hookimpl
from host.views import View, ViewArea


def _mail(context: Any) -> Any:
    from mail_view.view import MailView

    return MailView(context)


def _rules(context: Any) -> Any:
    from mail_view.settings_pages import RulesPage

    return RulesPage(context)


def _auto_reply(context: Any) -> Any:
    from mail_view.settings_pages import AutoReplyPage

    return AutoReplyPage(context)


def _signatures(context: Any) -> Any:
    from mail_view.settings_pages import SignaturesPage

    return SignaturesPage(context)


@hookimpl
def register_views(register: Callable[[View], None]) -> None:
    register(View("mail", "Mail", ViewArea.MAIN, _mail, order=10, shortcut="Ctrl+1"))
    register(View("mail.rules", "Rules", ViewArea.SETTINGS, _rules, order=10))
    register(View("mail.auto-reply", "Auto-reply", ViewArea.SETTINGS, _auto_reply, order=20))
    register(View("mail.signatures", "Signatures", ViewArea.SETTINGS, _signatures, order=30))
