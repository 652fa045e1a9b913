import sys

from casepress.commands.cli import main

sys.exit(main())
