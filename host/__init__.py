"""zoomclient's host: the minimal core that every provider, view and workflow action plugs into."""

__version__ = "0.1.0"
