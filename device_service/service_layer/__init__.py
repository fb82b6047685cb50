"""Handlers of device_service: plain functions `handler(uow, ...)` over a unit of work."""
