"""Delivering the compiled draft: signed links, the pages they open, and the publishers.

The draft command never builds a file inside the webhook (LINE wants its answer within two
seconds): the engine asks a publisher, which answers with signed links; the files are built
when a link is opened. The terminal chat's publisher writes the files to a folder instead.
"""

from .compile import compile_draft
from .links import DraftLinks, LinkError
from .publishers import FilePublisher, LinkPublisher

__all__ = ["DraftLinks", "FilePublisher", "LinkError", "LinkPublisher", "compile_draft"]
