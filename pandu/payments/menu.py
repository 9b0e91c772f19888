"""Payment pages in the "Program" dropdown that programs declares (``programs.menu``)."""


def register() -> None:
    """The pages are registered with the web pages (see views)."""
