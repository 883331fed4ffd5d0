#!/usr/bin/env python3
"""Build the test fixtures and the demo's example letters (see :mod:`docaudit.testing.fixtures`).

    python scripts/build_fixtures.py [--corpus ../shared/corpus] [--no-pdf]

Needs Debian's libreoffice-writer and hyphen-nl for the PDFs.
"""

from docaudit.testing.fixtures import main

if __name__ == "__main__":
    main()
