"""Test helpers that ship with docaudit (as ``click.testing`` does with click).

Used by docaudit's own tests, benchmarks and scripts, and useful to anyone testing a watchlist or a
script against docaudit without the internet:

- :mod:`.localserver` — a real HTTP server on 127.0.0.1 with scripted replies and a request log;
- :mod:`.tkapi` — a stand-in for the Tweede Kamer open-data API on that server;
- :mod:`.browser` — Debian's chromium, headless, driven over the DevTools protocol (needs the
  ``test`` extra's websocket-client);
- :mod:`.cli` — the command line invoked in-process (click's CliRunner);
- :mod:`.letters` — letters with hostile markup for report tests;
- :mod:`.diffset`, :mod:`.phraseset`, :mod:`.inplace` — scoring against the labelled sets and the
  in-place view's check;
- :mod:`.repo` — where a source checkout keeps its test fixtures.

Nothing here is imported by docaudit in normal use.
"""
