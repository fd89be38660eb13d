"""Testing support for zoomclient and its plugins: fixtures and the provider contract kit.

Loaded by pytest through the ``pytest11`` entry point, so every distribution's tests get the fixtures
without importing anything.
"""
