"""The database and everything else outside parental_service's own rules."""
