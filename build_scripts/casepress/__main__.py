import sys

from casepress.cli import main

sys.exit(main())
