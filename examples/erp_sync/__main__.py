"""`python -m erp_sync`: run the sync once and print the report."""

import sys

from erp_sync.sync import main

sys.exit(main())
