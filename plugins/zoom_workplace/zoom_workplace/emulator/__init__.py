"""The Zoom platform emulator: every Zoom endpoint the Zoom plugins call, over seeded accounts."""
