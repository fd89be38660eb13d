"""Schedule with a Zoom Phone number: the user's Zoom Phone number as a ``tel:`` link in an event."""
