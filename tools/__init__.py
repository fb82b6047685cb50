"""Developer tooling: the suite supervisor (`make run`) and demo seeding."""
