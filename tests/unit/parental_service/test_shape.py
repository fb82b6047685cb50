"""parental_service keeps the services' shape (tests/layers.py): a domain without grpc, SQLAlchemy or protobuf,
handlers that know no adapter or entry point, entrypoints/{servicer,convert,server,permissions}.py, no import cycles."""

from tests import layers


def test_the_layers_import_only_what_they_may_and_nothing_imports_in_a_cycle():
    layers.check("parental_service")
