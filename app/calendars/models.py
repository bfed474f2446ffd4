"""Models of the calendars domain."""
