"""Signed webhooks: endpoints subscribers register, and the job that delivers the wire to them."""
