#!/usr/bin/env python3
"""Entry point: `python build.py [COMMAND] [OPTIONS]`; see `python build.py --help`."""

import sys

from shelfmark.cli import main

if __name__ == "__main__":
    sys.exit(main())
