"""The Zoom platform for zoomclient: sign-in, the API client every Zoom plugin uses, the user's
profile, the admin policy for the mail and calendar clients, and an emulator of the Zoom endpoints."""
