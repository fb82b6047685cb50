"""Use cases of parental_service, run against a unit of work."""
