"""Watching from cron: sources and their kinds, a run that checks each once and stores what changed, the
watchlist (``docaudit.toml``), notifications and the Atom feed."""
