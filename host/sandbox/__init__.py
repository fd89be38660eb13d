"""The sandbox toolkit: what every provider's API emulator shares.

Only :mod:`host.sandbox.service` is importable without the ``sandbox`` extra (starlette, uvicorn):
plugins declare their emulators with it at registration time, and the heavy modules load only when
an emulator starts.
"""
