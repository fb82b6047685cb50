"""The database, the GeoIP data and anything else outside the domain."""
