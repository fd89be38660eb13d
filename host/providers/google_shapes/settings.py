"""Gmail-shaped settings as the host's model: filters as rules, the vacation responder as the auto-reply.

Serves every provider whose settings follow Gmail's JSON (Gmail, Zoom Mail); ``service`` names the
provider in the errors the user sees.
"""

from __future__ import annotations

import datetime as dt

from host.errors import ProviderError
from host.html.text import html_to_text
from host.model import (
    Address,
    AutoReply,
    AutoReplyAudience,
    AutoReplyMode,
    Rule,
    RuleActions,
    RuleConditions,
)
from host.providers.google_shapes.labels import ARCHIVE


def _words(text: str | None) -> tuple[str, ...]:
    """A filter keeps one string per criterion; ``a OR b`` is how several values are written."""
    if not text:
        return ()
    return tuple(part.strip() for part in text.split(" OR ") if part.strip())


def _joined(values: tuple[str, ...]) -> str | None:
    return " OR ".join(values) if values else None


def rule_from_filter(mail_filter: dict) -> Rule:
    criteria = mail_filter.get("criteria", {})
    action = mail_filter.get("action", {})
    size = criteria.get("size")
    comparison = criteria.get("sizeComparison")
    conditions = RuleConditions(
        from_contains=_words(criteria.get("from")),
        to_contains=_words(criteria.get("to")),
        subject_contains=_words(criteria.get("subject")),
        query=criteria.get("query") or None,
        has_attachment=True if criteria.get("hasAttachment") else None,
        size_larger_than=int(size) if size is not None and comparison == "larger" else None,
        size_smaller_than=int(size) if size is not None and comparison == "smaller" else None,
    )
    add = list(action.get("addLabelIds", []))
    remove = list(action.get("removeLabelIds", []))
    actions = RuleActions(
        add_folder_ids=tuple(label for label in add if label not in ("STARRED", "TRASH")),
        remove_folder_ids=tuple(label for label in remove if label not in ("UNREAD", "INBOX")),
        mark_read="UNREAD" in remove,
        mark_flagged="STARRED" in add,
        archive="INBOX" in remove,
        delete="TRASH" in add,
        forward_to=(Address(action["forward"]),) if action.get("forward") else (),
    )
    negated = criteria.get("negatedQuery")
    return Rule(
        id=mail_filter.get("id"),
        name=_describe(criteria),
        conditions=conditions,
        actions=actions,
        exceptions=RuleConditions(query=negated) if negated else None,
    )


def _describe(criteria: dict) -> str:
    """Filters have no names: the host shows their criteria the way Gmail's settings do."""
    parts = [f"{key}:({criteria[key]})" for key in ("from", "to", "subject") if criteria.get(key)]
    if criteria.get("query"):
        parts.append(criteria["query"])
    if criteria.get("negatedQuery"):
        parts.append(f"-{{{criteria['negatedQuery']}}}")
    if criteria.get("hasAttachment"):
        parts.append("has:attachment")
    if criteria.get("size") is not None:
        parts.append(f"size {criteria.get('sizeComparison', 'larger')} than {criteria['size']}")
    return " ".join(parts) or "filter"


def _unsupported(service: str, what: str) -> ProviderError:
    return ProviderError(
        f"{service} filters cannot {what}.", hint="Change the rule, or write the condition as a search query."
    )


def filter_from_rule(rule: Rule, service: str) -> dict:
    """The filter for ``rule``; what filters cannot do is refused in ``service``'s name."""
    c = rule.conditions
    if c.importance is not None:
        raise _unsupported(service, "match on importance")
    if rule.exceptions is not None and rule.exceptions != RuleConditions(query=rule.exceptions.query):
        raise _unsupported(service, "have exceptions other than a search query")
    if c.has_attachment is False:
        raise _unsupported(service, "match messages without attachments")
    query_parts = [c.query] if c.query else []
    query_parts += [f'"{word}"' for word in c.body_contains]
    criteria: dict = {
        "from": _joined(c.from_contains),
        "to": _joined(c.to_contains),
        "subject": _joined(c.subject_contains),
        "query": " ".join(query_parts) or None,
        "negatedQuery": c.negated_query or (rule.exceptions.query if rule.exceptions else None),
        "hasAttachment": True if c.has_attachment else None,
    }
    if c.size_larger_than is not None and c.size_smaller_than is not None:
        raise _unsupported(service, "bound the size from both sides")
    if c.size_larger_than is not None:
        criteria.update(size=c.size_larger_than, sizeComparison="larger")
    if c.size_smaller_than is not None:
        criteria.update(size=c.size_smaller_than, sizeComparison="smaller")
    a = rule.actions
    if a.move_to_folder_id not in (None, ARCHIVE) and a.move_to_folder_id in a.remove_folder_ids:
        raise _unsupported(service, "move to a label they also remove")
    add = list(a.add_folder_ids)
    remove = list(a.remove_folder_ids)
    if a.move_to_folder_id == ARCHIVE or a.archive:
        remove.append("INBOX")
    elif a.move_to_folder_id is not None:
        add.append(a.move_to_folder_id)
        remove.append("INBOX")
    if a.mark_read:
        remove.append("UNREAD")
    if a.mark_flagged:
        add.append("STARRED")
    if a.delete:
        add.append("TRASH")
    if len(a.forward_to) > 1:
        raise _unsupported(service, "forward to more than one address")
    action: dict = {
        "addLabelIds": sorted(set(add)) or None,
        "removeLabelIds": sorted(set(remove)) or None,
        "forward": a.forward_to[0].email if a.forward_to else None,
    }
    return {
        "criteria": {k: v for k, v in criteria.items() if v is not None},
        "action": {k: v for k, v in action.items() if v is not None},
    }


def _millis(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(int(value) / 1000, dt.UTC) if value else None


def auto_reply_from_vacation(vacation: dict) -> AutoReply:
    start, end = _millis(vacation.get("startTime")), _millis(vacation.get("endTime"))
    if not vacation.get("enableAutoReply"):
        mode = AutoReplyMode.DISABLED
    else:
        mode = AutoReplyMode.SCHEDULED if start or end else AutoReplyMode.ALWAYS
    html = vacation.get("responseBodyHtml")
    text = html if html else vacation.get("responseBodyPlainText", "")
    if vacation.get("restrictToDomain"):
        audience = AutoReplyAudience.DOMAIN
    elif vacation.get("restrictToContacts"):
        audience = AutoReplyAudience.CONTACTS
    else:
        audience = AutoReplyAudience.ALL
    return AutoReply(
        mode=mode,
        start=start,
        end=end,
        subject=vacation.get("responseSubject", ""),
        internal_message=text,
        external_message=text,
        audience=audience,
        html=bool(html),
    )


def vacation_from_auto_reply(auto_reply: AutoReply) -> dict:
    """The vacation responder has one message for everyone: the external one, or the internal one when there is none."""
    message = auto_reply.external_message or auto_reply.internal_message
    vacation: dict = {
        "enableAutoReply": auto_reply.mode is not AutoReplyMode.DISABLED,
        "responseSubject": auto_reply.subject,
        # Nobody outside the domain gets a reply when the audience is NONE: the nearest the responder has.
        "restrictToDomain": auto_reply.audience in (AutoReplyAudience.DOMAIN, AutoReplyAudience.NONE),
        "restrictToContacts": auto_reply.audience is AutoReplyAudience.CONTACTS,
    }
    if auto_reply.html:
        vacation["responseBodyHtml"] = message
        vacation["responseBodyPlainText"] = html_to_text(message)
    else:
        vacation["responseBodyPlainText"] = message
    if auto_reply.mode is AutoReplyMode.SCHEDULED:
        if auto_reply.start is not None:
            vacation["startTime"] = str(int(auto_reply.start.timestamp() * 1000))
        if auto_reply.end is not None:
            vacation["endTime"] = str(int(auto_reply.end.timestamp() * 1000))
    return vacation
