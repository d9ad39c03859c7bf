"""Names of what sync keeps in the local store's meta table (cheap to import from anywhere)."""

AUDIT_ALARM = "audit_alarm"  # what the lender found wrong with this PC's audit log
AUDIT_CHECK = "audit_check_seq"  # the anchored entry the lender asked about at the last sync
ROSTER_VERSION = "roster_version"
ROSTER_REPLACES = "roster_replaces_accounts"  # activated before the roster came: it replaces the accounts
PEER_FIGURES_CURSOR = "peer_figures_cursor"  # where the sibling PCs' report figures were last read up to
PEERS_SYNCED_AT = "peer_figures_synced_at"  # when the sibling PCs' figures last came down
