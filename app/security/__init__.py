"""Secrets, field encryption, and signatures of the files the lender publishes."""
