"""Reusable widgets: the header inspector, the step bar, the password meter."""
