"""A nightly ERP sync job against Pleo's legacy Open API (an example for pleo-migrate).

Reads employees, the chart of accounts, tag groups, tax codes and exported expenses, and
prints the import report the ERP side consumes. Configuration comes from the environment:
PLEO_LEGACY_URL (default https://openapi.pleo.io/v1) and PLEO_LEGACY_TOKEN.
"""
