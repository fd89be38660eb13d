"""The domain model: attrs classes that Gmail, Microsoft Graph and Zoom all map onto without loss.

Every class is frozen: the store, the sync engine and the UI pass them between threads, and a value
that cannot change needs no lock. ``provider_data`` on the larger classes keeps what a provider has
and the model does not name (an etag, a change key), so that an update can send it back unchanged.
"""

from host.model.account import Account, Feature
from host.model.calendar import (
    AccessRole,
    Attendee,
    AttendeeRole,
    BusyInterval,
    Calendar,
    CalendarKind,
    DelegatePermission,
    Event,
    EventStatus,
    FreeBusy,
    OnlineMeeting,
    Reminder,
    ResponseStatus,
    ShowAs,
)
from host.model.contact import Contact, Presence
from host.model.mail import (
    Address,
    Attachment,
    AutoReply,
    AutoReplyAudience,
    AutoReplyMode,
    Draft,
    Folder,
    FolderKind,
    Message,
    MessageSummary,
    OutgoingAttachment,
    OutgoingMessage,
    Rule,
    RuleActions,
    RuleConditions,
    Signature,
    Thread,
)

__all__ = [
    "AccessRole",
    "Account",
    "Address",
    "Attachment",
    "Attendee",
    "AttendeeRole",
    "AutoReply",
    "AutoReplyAudience",
    "AutoReplyMode",
    "BusyInterval",
    "Calendar",
    "CalendarKind",
    "Contact",
    "DelegatePermission",
    "Draft",
    "Event",
    "EventStatus",
    "Feature",
    "Folder",
    "FolderKind",
    "FreeBusy",
    "Message",
    "MessageSummary",
    "OnlineMeeting",
    "OutgoingAttachment",
    "OutgoingMessage",
    "Presence",
    "Reminder",
    "ResponseStatus",
    "Rule",
    "RuleActions",
    "RuleConditions",
    "ShowAs",
    "Signature",
    "Thread",
]
