"""What every people-facing page shares: static files, vendored front-end assets, security headers.

The public site, the API docs and (later) the desk and the portal are
served through this package, so they get one static mount and one set of
response headers.
"""
