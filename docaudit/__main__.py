"""``python -m docaudit`` runs the command line."""

from .cli.main import cli

if __name__ == "__main__":  # guarded: worker processes of a run import this module again
    cli()
