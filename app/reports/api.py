"""The report part of the public JSON API (routes on app.api.bp, described with describe())."""
