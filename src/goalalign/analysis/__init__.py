"""Analyses of a cascade shared by rules and reports: chains, directions, roll-ups, progress."""
