"""The sandbox toolkit: what every provider's API emulator shares.

Plugins declare their emulators with :mod:`host.sandbox.service` at registration time; the modules
that need the ``sandbox`` extra (starlette, uvicorn: runner, oauth, faults, requestlog) load only when
an emulator starts, and datagen and recurrence need nothing beyond the core's dependencies:

- :mod:`host.sandbox.runner` serves an ASGI app with uvicorn on ``127.0.0.1`` and an ephemeral port,
  in a thread of its own (``ServerThread``), and every registered service at once (``serve_services``);
- :mod:`host.sandbox.oauth` is the OAuth 2.0 authorization server an emulator mounts;
- :mod:`host.sandbox.faults` injects faults (429, 5xx, latency, dropped connections, expired cursors,
  per-user quotas) from a spec string or queued by tests;
- :mod:`host.sandbox.requestlog` records what clients sent, secrets redacted;
- :mod:`host.sandbox.datagen` makes deterministic mailboxes (100,000+ messages, lazily) and calendars;
- :mod:`host.sandbox.recurrence` expands recurring events the way servers do.

For emulators of APIs shaped like Gmail's and Google Calendar's (the Google and the Zoom emulator),
each parametrised where the two differ:

- :mod:`host.sandbox.api_routing` is the endpoint table and dispatch, :mod:`host.sandbox.api_error`
  the error the shared pieces raise (each emulator answers it in its own error shape);
- :mod:`host.sandbox.labelled_mailbox` a user's labelled mailbox with its history, drafts and filters,
  :mod:`host.sandbox.labelled_mail_api` the mail handlers over it, :mod:`host.sandbox.gmail_query`
  Gmail's search syntax, :mod:`host.sandbox.mime_payload` the ``format=full`` payload of a message;
- :mod:`host.sandbox.calendar_store` calendars and events with sync tokens and recurrence expansion,
  :mod:`host.sandbox.calendar_api` the calendar handlers over it;
- :mod:`host.sandbox.google_seed` datagen's calendars in those shapes, :mod:`host.sandbox.labelled_control`
  the contract kit's hands on such an emulator.

An emulator is usually ``RequestLog().wrap(FaultInjector(spec).wrap(starlette_app))``: the log outermost,
so that it also records what the fault layer answered. TestMail (``tests/testprovider``) shows the whole.
"""
