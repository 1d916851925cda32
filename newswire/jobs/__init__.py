"""Background jobs: supervised loops that run beside the web app or in worker processes."""
