"""Entry script of the bundled `fenqi` executable (the command line): the same as the `fenqi` console script."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
