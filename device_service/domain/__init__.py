"""The device domain: plain dataclasses and rules; no gRPC, no SQLAlchemy."""
