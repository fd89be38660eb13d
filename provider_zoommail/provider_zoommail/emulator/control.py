"""The contract kit's hands on the Zoom emulator (:class:`host.testing.control.EmulatorControl`)."""

from __future__ import annotations

from host.sandbox.labelled_control import LabelledControl
from provider_zoommail.emulator.app import ZoomEmulator
from provider_zoommail.labels import folder_ids


class ZoomControl(LabelledControl):
    """Changes and reads the emulator's state directly, under its lock; ids are Zoom Mail's and Zoom Calendar's."""

    def __init__(self, emulator: ZoomEmulator) -> None:
        super().__init__(emulator, folder_ids=folder_ids, api_paths=r"^/v2/(emails|calendars)/", ical_domain="zoom.us")

    def set_auto_add_zoom_meeting(self, on: bool) -> None:
        """The user's ``autoAddZoomMeeting`` calendar setting, as if changed in Zoom's own client."""
        with self.emulator.lock:
            self.emulator.calendar.settings.setdefault(self.user_email.lower(), {})["autoAddZoomMeeting"] = (
                "true" if on else "false"
            )
