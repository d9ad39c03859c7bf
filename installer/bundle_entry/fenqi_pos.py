"""Entry script of the bundled `fenqi-pos` executable (the GUI): the same as the `fenqi-pos` console script."""

import sys

from ui.main import main

if __name__ == "__main__":
    sys.exit(main())
