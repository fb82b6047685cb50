"""The gRPC edge of parental_service."""
