"""The domain model: attrs classes that Gmail, Microsoft Graph and Zoom all map onto without loss.

Every class is frozen: the store, the sync engine and the UI pass them between threads, and a value
that cannot change needs no lock. ``provider_data`` on the larger classes keeps what a provider has
and the model does not name (an etag, a change key), so that an update can send it back unchanged.
"""

from host.lazy_exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "account": ("Account", "Feature"),
        "calendar": (
            "AccessRole",
            "Attendee",
            "AttendeeRole",
            "BusyInterval",
            "Calendar",
            "CalendarKind",
            "DelegatePermission",
            "Event",
            "EventStatus",
            "FreeBusy",
            "OnlineMeeting",
            "Reminder",
            "ResponseStatus",
            "ShowAs",
        ),
        "contact": ("Contact", "Presence"),
        "mail": (
            "Address",
            "Attachment",
            "AutoReply",
            "AutoReplyAudience",
            "AutoReplyMode",
            "Draft",
            "Folder",
            "FolderKind",
            "Message",
            "MessageSummary",
            "OutgoingAttachment",
            "OutgoingMessage",
            "Rule",
            "RuleActions",
            "RuleConditions",
            "Signature",
            "Thread",
        ),
    },
)
