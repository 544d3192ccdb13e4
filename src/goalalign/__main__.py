"""``python -m goalalign`` runs the command line."""

import sys

from goalalign.cli.main import main

sys.exit(main())
