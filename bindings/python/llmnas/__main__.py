"""`python -m llmnas`: the command line (llmnas.cli)."""

import sys

from .cli import main

sys.exit(main())
