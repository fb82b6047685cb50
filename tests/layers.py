"""The shape every gRPC service keeps (cosmicpython's): what each layer may import, and no import cycles."""

from __future__ import annotations

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
NO_INFRASTRUCTURE = ("grpc", "sqlalchemy", "google.protobuf", "remotesignout")
ENTRYPOINTS = ("servicer", "convert", "server", "permissions")


def modules(package: str) -> dict[str, pathlib.Path]:
    return {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def imports(module: str, path: pathlib.Path) -> set[str]:
    """Every module `module` imports, at its top level or in a function (`from a import b`: also a.b if a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package `level` steps up
                package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                base = ".".join([*package[: len(package) - node.level + 1], *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if _is_module(f"{base}.{alias.name}"))
    return found


def _is_module(name: str) -> bool:
    return (ROOT / pathlib.Path(*name.split("."))).with_suffix(".py").exists() or (
        ROOT / pathlib.Path(*name.split(".")) / "__init__.py").exists()


def graph(package: str) -> dict[str, set[str]]:
    mine = modules(package)
    return {module: {name for name in imports(module, path) if name in mine} - {module}
            for module, path in mine.items()}


def cycles(package: str) -> list[list[str]]:
    """Every import cycle among the package's modules (as found by depth-first search)."""
    edges, found, state = graph(package), [], {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges[module]):
            if state.get(target) == "open":
                found.append([*trail[trail.index(target):], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    return found


def forbidden_imports(package: str, layer: str, prefixes: tuple[str, ...]) -> dict[str, set[str]]:
    """Modules of `package.layer` importing anything starting with one of `prefixes`."""
    found = {}
    for module, path in modules(package).items():
        if module == f"{package}.{layer}" or module.startswith(f"{package}.{layer}."):
            bad = {name for name in imports(module, path) if name.startswith(prefixes)}
            if bad:
                found[module] = bad
    return found


def check(package: str) -> None:
    assert cycles(package) == []
    assert forbidden_imports(package, "domain", NO_INFRASTRUCTURE) == {}
    assert forbidden_imports(package, "domain", (f"{package}.service_layer", f"{package}.adapters",
                                                 f"{package}.entrypoints")) == {}
    assert forbidden_imports(package, "service_layer", (*NO_INFRASTRUCTURE, f"{package}.adapters",
                                                        f"{package}.entrypoints", f"{package}.bootstrap")) == {}
    assert forbidden_imports(package, "adapters", (f"{package}.entrypoints", f"{package}.bootstrap")) == {}
    entrypoints = ROOT / package / "entrypoints"
    assert {name for name in ENTRYPOINTS if (entrypoints / f"{name}.py").exists()} == set(ENTRYPOINTS)
