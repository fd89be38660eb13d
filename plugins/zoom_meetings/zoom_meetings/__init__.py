"""Zoom meetings for zoomclient's events: the only conferencing provider (promise 1)."""
