import sys

from eventlens.cli import main

sys.exit(main())
