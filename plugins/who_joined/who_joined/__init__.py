"""zoomclient-who-joined: who joined an event's Zoom meeting, live while it runs and afterwards."""
