"""What crosses the wire between the counter and the lender's central server, shared by both sides."""
