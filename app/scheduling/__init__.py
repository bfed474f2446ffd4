"""Scheduling shared by the domains: who and what is busy when (``busy.py``)."""
