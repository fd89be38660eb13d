"""zoomclient-participant-chat: a Zoom Team Chat group chat with an event's attendees."""
