"""Connecting unblock to the OVHcloud API: plain Python, no textual, and never imported by tui.core.

- ``errors``: ``OvhError``, the one exception every call raises, in plain words.
- ``credentials``: ``Credentials`` and where they are found or stored (an ovh.conf file).
- ``client``: ``Connection``, python-ovh's client bounded in time and retried where safe.
- ``connect``: the consumer-key request with the narrowest rights, and its validation.
- ``accounts``: blocked accounts across the four products, and re-reading one's status.
- ``tickets``: the "Account locked for spam" ticket, its messages, and posting the reply.
- ``redirections``: what the API can (and cannot) show for question 2.
- ``password_change``: changing a mailbox password and following OVHcloud's task.
- ``sandbox`` (with ``sandbox_state`` and ``sandbox_routes``): a local double of the API.
- ``cli``: ``unblock connect``, ``unblock disconnect`` and ``unblock accounts``.
"""
