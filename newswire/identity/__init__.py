"""Who signs in: people, their sessions, their personal keys, and the mail they get.

One identity system, two audiences: the agency's staff (the newsroom desk)
and subscriber companies' users (the portal). Services, built once in
`runtime.py`:

* `People` (`people.py`): create and invite, roles, disable, remove, seats.
* `PasswordLinks` (`links.py`): one-time set-password links.
* `SignIn` (`signin.py`): email and password to a session, throttled; sign out.
* `SessionWatcher` (`watch.py`): cuts live pages whose session ended.
* `PersonalKeys` (`keys.py`): people's own API keys, acting as their principal.
* `Mailer` (`mailer.py`) and `MailSender` (`sender.py`): the outbox and its job.

See docs/identity.md.
"""
