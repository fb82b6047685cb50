"""Use cases of device_service and the interfaces they need (ports)."""
