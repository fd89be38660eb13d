"""zoomclient-contact-card: the Zoom contact card of a person in mail or calendar."""
