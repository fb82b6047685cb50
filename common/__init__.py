"""Pieces every remote-signout process shares: settings, errors, the gRPC server
scaffold, metrics, the database engine and password hashing."""
