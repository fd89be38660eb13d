"""The host's model in Google's JSON shapes, for every provider whose API follows Gmail's or Google
Calendar's: Gmail and Google Calendar, and Zoom Mail and Zoom Calendar, which mirror them.

- :mod:`.settings`: Gmail-shaped filters as :class:`host.model.Rule`, the vacation responder as
  :class:`host.model.AutoReply`;
- :mod:`.labels`: labels as :class:`host.model.Folder` (with the synthetic ARCHIVE folder), folder and
  flag changes as label changes;
- :mod:`.messages`: ``format=raw`` message resources as :class:`host.model.Message`, label changes
  as updates, the host's search operators in Gmail's syntax;
- :mod:`.events`: Google-Calendar-shaped event JSON as :class:`host.model.Event` and back (times,
  recurrence, reminders, attendees), calendar list entries' kinds;
- :mod:`.calendar_client`: the calendar provider over such an API (:class:`GoogleShapedCalendar`).

Each provider keeps what differs (its label names, nesting, conferencing, error texts) in its own package.
"""
