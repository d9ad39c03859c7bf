"""The store's back office: staff accounts, settings, end of day, purging, the audit log, diagnostics and
updates."""
