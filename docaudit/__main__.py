"""``python -m docaudit`` runs the command line."""

from .cli import cli

cli()
