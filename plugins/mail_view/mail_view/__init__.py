"""The mail view: a plugin of the zoomclient shell that uses only the shell's public view API."""
