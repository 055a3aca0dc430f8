"""newsfold's local web app (``newsfold serve``): see :mod:`newsfold.web.app`."""

from newsfold.web.app import create_app

__all__ = ["create_app"]
