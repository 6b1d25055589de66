"""``python -m app``: the same as the ``hearth`` command (used to start Hearth's helper processes)."""
from app.cli import main

raise SystemExit(main())
