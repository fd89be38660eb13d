"""The ``zoomclient`` command line: a click group whose commands come from plugins, the core's included."""
