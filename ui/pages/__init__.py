"""The shell's pages: each shows app/ results and calls app/ services through the controller."""
