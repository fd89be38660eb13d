"""Zoom Mail and Zoom Calendar for zoomclient."""
