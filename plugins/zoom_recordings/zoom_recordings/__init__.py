"""Attach a Zoom cloud recording to an invite: its share link and passcode in the event's description."""
