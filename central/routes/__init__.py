"""The central API's routes, one module per area."""
