"""unblock: get an email account unblocked after the provider locked it for spam."""

__version__ = "0.1.0"
