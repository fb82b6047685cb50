"""auth_service's layers: no import cycle (bootstrap and servicer included), a domain without grpc,
SQLAlchemy or protobuf, a service layer that does not reach for adapters or entrypoints."""

import ast
import pathlib

import auth_service

PACKAGE = pathlib.Path(auth_service.__file__).parent


def modules() -> dict[str, pathlib.Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(path: pathlib.Path) -> set[str]:
    """Every module `path` imports, anywhere in it (TYPE_CHECKING blocks included: a cycle there is one too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {other for other in imports(path) if other in known and other != name}
            for name, path in known.items()}


def test_no_module_of_auth_service_imports_itself_through_others():
    edges, cycles = graph(), []

    def visit(name: str, path: list[str]) -> None:
        for other in sorted(edges[name]):
            if other in path:
                cycles.append(path[path.index(other):] + [other])
            elif other not in done:
                visit(other, path + [other])
        done.add(name)

    done: set[str] = set()
    for name in sorted(edges):
        if name not in done:
            visit(name, [name])
    assert cycles == []
    assert "auth_service.bootstrap" not in edges["auth_service.entrypoints.servicer"]


def test_the_domain_imports_no_grpc_sqlalchemy_or_protobuf():
    for name, path in modules().items():
        if name.startswith("auth_service.domain"):
            roots = {imported.split(".")[0] for imported in imports(path)}
            assert not roots & {"grpc", "sqlalchemy", "google", "remotesignout"}, name
            assert not any(i.startswith(("auth_service.adapters", "auth_service.service_layer",
                                         "auth_service.entrypoints")) for i in imports(path)), name


def test_the_service_layer_uses_ports_not_adapters_or_entrypoints():
    for name, path in modules().items():
        if name.startswith("auth_service.service_layer"):
            assert not any(i.startswith(("auth_service.adapters", "auth_service.entrypoints", "auth_service.bootstrap",
                                         "sqlalchemy", "remotesignout")) for i in imports(path)), name
