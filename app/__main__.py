"""`python -m app` is the `fenqi` command."""

from app.cli import main

raise SystemExit(main())
