"""The public website."""
