"""The counter's use cases, one module a step of the flow: consents, intake, returning customers, purchase,
pre-screen, contract, drafts, cancellation, delivery."""
