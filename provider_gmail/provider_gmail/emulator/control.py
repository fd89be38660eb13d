"""The contract kit's hands on the Google emulator (:class:`host.testing.control.EmulatorControl`)."""

from __future__ import annotations

from host.sandbox.labelled_control import LabelledControl
from provider_gmail.emulator.app import GoogleEmulator
from provider_gmail.labels import folder_ids


class GoogleControl(LabelledControl):
    """Changes and reads the emulator's state directly, under its lock; ids are Gmail's and Google's."""

    def __init__(self, emulator: GoogleEmulator) -> None:
        super().__init__(
            emulator, folder_ids=folder_ids, api_paths=r"^/(gmail|calendar|batch)/", ical_domain="google.com"
        )
