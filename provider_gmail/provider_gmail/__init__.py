"""Gmail and Google Calendar for zoomclient (Gmail API v1, Google Calendar API v3)."""
