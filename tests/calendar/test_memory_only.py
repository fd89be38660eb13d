"""Promise 4: after a session with events, nothing of an event is in any file, log line or pickle."""

from __future__ import annotations

import datetime as dt
import logging
import os
import pickle
import tempfile
import time
import uuid
from pathlib import Path

import attrs
import pytest
from testprovider.calendar import TestCalendarProviderFactory
from testprovider.mail import TestMailProviderFactory

from host.calendar import CalendarCache
from host.model.calendar import Event, ResponseStatus
from host.store.store import MailStore, new_key
from host.sync import SyncEngine


def _files(root: Path, since: float | None = None):
    for directory, _, names in os.walk(root, onerror=lambda error: None):
        for name in names:
            path = Path(directory, name)
            try:
                if path.is_file() and not path.is_symlink() and (since is None or path.stat().st_mtime >= since):
                    yield path
            except OSError:
                continue


def _holding(paths, needles: list[bytes]) -> list[Path]:
    found = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if any(needle in data for needle in needles):
            found.append(path)
    return found


async def test_no_event_title_reaches_a_file_a_log_or_a_pickle(served, connection, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    started = time.time() - 1
    marker = f"Zq{uuid.uuid4().hex}"  # a title no file could hold by chance
    data_dir = tmp_path / "data"
    now = dt.datetime.now(dt.UTC)
    cache = CalendarCache(TestCalendarProviderFactory().open(connection))
    with MailStore.open(data_dir / "mail.db", new_key()) as store:
        # A whole session: mail synced into the data dir, calendars loaded, moved around, changed.
        await SyncEngine(TestMailProviderFactory().open(connection), store).sync()
        await cache.load()
        calendar_id = next(c.id for c in cache.calendars if c.writable)
        start = (now + dt.timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
        event = await cache.create_event(
            Event(
                "",
                calendar_id,
                f"{marker} kickoff",
                start,
                start + dt.timedelta(hours=1),
                description=f"{marker} agenda",
                location=f"{marker} room",
            )
        )
        event = await cache.update_event(attrs.evolve(event, title=f"{marker} kickoff (moved)"))
        invited = next(e for e in cache.events_between(now, now + dt.timedelta(weeks=6)) if e.attendees)
        await cache.respond(invited.calendar_id, invited.id, ResponseStatus.ACCEPTED, comment=f"{marker} yes")
        # Someone else adds one; the refresh brings it in. Then the user moves a year ahead.
        later = start + dt.timedelta(days=2)
        served.state.create_event(
            Event("", calendar_id, f"{marker} from elsewhere", later, later + dt.timedelta(hours=1))
        )
        await cache.refresh()
        await cache.ensure_range(now + dt.timedelta(weeks=52), now + dt.timedelta(weeks=53))
        assert sum(marker in e.title for e in cache.events_between(now, now + dt.timedelta(weeks=6))) == 2
        with pytest.raises(TypeError):
            pickle.dumps(cache)
        await cache.delete_event(calendar_id, event.id)
    cache.clear()

    needles = [marker.encode(), marker.encode("utf-16-le")]
    assert list(_files(data_dir)), "the session wrote no mail database: the scan would prove nothing"
    assert _holding(_files(tmp_path), needles) == []
    assert _holding(_files(Path(tempfile.gettempdir()), since=started), needles) == []
    assert not [r for r in caplog.records if marker in r.getMessage()]
