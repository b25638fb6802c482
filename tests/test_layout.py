"""The package's shape: no import cycles, and what each layer may import."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "briefgen"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each briefgen module and the briefgen modules it imports, anywhere in its body
    (imports inside functions and under TYPE_CHECKING included)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    found.add(target if target in modules else base)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle() -> None:
    cycle = _cycle(_imports())
    assert cycle is None, " -> ".join(cycle or [])


def test_layers_import_forward_only() -> None:
    """Per-article stages never read the week's work or a renderer; nothing in the product
    imports the evaluations; the week's stages never render."""
    rules = {
        "briefgen.article": (
            "briefgen.week",
            "briefgen.render",
            "briefgen.pipeline",
            "briefgen.engine",
        ),
        "briefgen.week": ("briefgen.render.html", "briefgen.render.pdf", "briefgen.pipeline"),
        "briefgen.render": ("briefgen.pipeline", "briefgen.article", "briefgen.engine"),
    }
    graph = _imports()
    for module, imported in graph.items():
        if not module.startswith("briefgen.evaluate") and module != "briefgen.cli":
            assert not any(m.startswith("briefgen.evaluate") for m in imported), module
        for layer, banned in rules.items():
            if module == layer or module.startswith(layer + "."):
                bad = sorted(m for m in imported if m.startswith(banned))
                assert not bad, f"{module} imports {bad}"
