"""Subscribers' accounts: keys, access, rate limits, daily quotas, metering and usage recording."""
