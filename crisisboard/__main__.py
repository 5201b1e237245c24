import sys

from crisisboard.cli import main

sys.exit(main())
