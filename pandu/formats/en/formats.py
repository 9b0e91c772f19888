"""English screens keep the office's date and number style."""

from pandu.formats.id.formats import *  # noqa: F403
