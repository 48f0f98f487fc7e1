"""pleo-migrate: move integrations off Pleo's legacy API onto the new external API."""

__version__ = "0.1.0"

__all__ = ["__version__"]
