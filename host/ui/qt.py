"""The one module through which the shell's Qt imports pass (Anki's ``aqt.qt``).

Everything Qt the shell and the views use is imported from here, so that the binding and its
version are chosen in one place and the core never imports Qt by accident.
"""

from PyQt6.QtCore import *  # noqa: F403
from PyQt6.QtGui import *  # noqa: F403
from PyQt6.QtWidgets import *  # noqa: F403
