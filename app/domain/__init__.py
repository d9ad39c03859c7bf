"""The lender's concepts, free of storage and UI: money, identity, customers, applications."""
