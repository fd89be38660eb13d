"""Share an email to Zoom Team Chat: a contact or a channel, the message's gist, optionally the .eml."""
