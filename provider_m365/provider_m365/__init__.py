"""Microsoft 365 mail and calendars for zoomclient (Microsoft Graph v1.0)."""
