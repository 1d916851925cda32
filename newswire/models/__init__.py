"""The domain's nouns as plain values: stories and the log, principals, usage, webhooks.

Nothing here knows about HTTP, SQL or any service; every other package may import it.
"""
