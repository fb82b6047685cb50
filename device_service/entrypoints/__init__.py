"""The gRPC edge of device_service."""
