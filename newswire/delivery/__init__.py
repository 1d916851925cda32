"""Delivery: who receives what from the log, and every channel and format that carries it."""
