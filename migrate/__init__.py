"""pleo-migrate: move integrations off Pleo's legacy API onto the new external API."""

import logging

__version__ = "0.1.0"

# A library stays quiet unless the application configures logging ("migrate.compat", …).
logging.getLogger("migrate").addHandler(logging.NullHandler())

__all__ = ["__version__"]
