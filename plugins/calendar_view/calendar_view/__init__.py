"""zoomclient-calendar-view: the calendar pane, a plugin like any other (see :mod:`calendar_view.plugin`)."""
