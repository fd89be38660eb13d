"""TestMail: a small but real provider plugin and its emulator, for the host's own tests.

It proves the engine before the real providers land: :mod:`testprovider.plugin` registers the
``testmail`` account type, its mail and calendar providers and the ``testmail`` sandbox service;
:mod:`testprovider.emulator` serves the API over :mod:`testprovider.state`, which tests change and
inspect directly; :mod:`testprovider.signin` signs in against a running emulator.
"""
