"""The rules of profiles and playback: plain dataclasses, no gRPC, no SQLAlchemy."""
