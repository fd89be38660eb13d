"""The desktop shell (PyQt6). The only part of the host that imports Qt, always through :mod:`host.ui.qt`.

Views are plugins: they register :class:`host.views.View` objects and get a
:class:`host.ui.context.ViewContext` when the shell builds them.
"""
