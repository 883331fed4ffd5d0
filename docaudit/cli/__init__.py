"""The ``docaudit`` command line: thin click wrappers over the library, one module per group of commands."""

from .main import cli, main

__all__ = ["cli", "main"]
