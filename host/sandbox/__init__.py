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

An emulator is usually ``RequestLog().wrap(FaultInjector(spec).wrap(starlette_app))``: the log outermost,
so that it also records what the fault layer answered. TestMail (``tests/testprovider``) shows the whole.
"""
