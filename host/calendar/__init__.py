"""Calendars and events, in memory only (promise 4)."""

from host.calendar.cache import CalendarCache
from host.calendar.index import EventIndex

__all__ = ["CalendarCache", "EventIndex"]
