"""Sync with the lender's central API: idempotency keys now; the outbox sender arrives with the sync issue."""
