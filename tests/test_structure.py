"""The shape of the code: no import circles, and no block of 10 or more lines written twice.

Import graph: every ``import``/``from`` of a cbmwater module inside ``cbmwater/`` (read with
``ast``, type-hint-only imports under ``if TYPE_CHECKING:`` included), at two scales: between modules, and between the top-level parts (``water``,
``geochem``, ``treatment``, ..., ``study``, ``cli``, ``app``).  Strongly connected components
(Tarjan 1972) of more than one node are circles.

Repeated blocks: each file is tokenised into logical lines (statements, whatever the
formatter's layout) reduced to their shape (names -> N, numbers -> 0, strings -> S);
statements that carry no logic are passed over (imports, docstrings, bare literals,
decorators, annotations of a dataclass).  Any window of 10 such statements (10 lines or more
of code) that stands in two places that do not overlap is a repeat.  Translation catalogues (``app/i18n.py``) are data,
not code, and are left out.
"""

from __future__ import annotations

import ast
import io
import keyword
import tokenize
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cbmwater"
WINDOW = 10
NOT_CODE = {"i18n.py"}


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name not in NOT_CODE)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Absolute names of the cbmwater modules ``path`` imports (at any depth of the file);
    ``from package import module`` is an arrow to the module, not to the package."""
    mod = _module_name(path)
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "cbmwater"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "cbmwater":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in modules else target)
    return out


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in _sources()}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {t for t in _imports(path, set(modules)) if t in modules and t != name}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "cbmwater"


def test_the_import_graph_has_no_circles():
    graph = _graph()
    assert _circles(graph) == []
    # between the top-level parts; the package's own face (cbmwater/__init__) re-exports the
    # API and is left out, as every part may import the version from it
    parts: dict[str, set[str]] = defaultdict(set)
    for mod, targets in graph.items():
        for t in targets:
            a, b = _part(mod), _part(t)
            if a != b and "cbmwater" not in (a, b):
                parts[a].add(b)
    assert _circles(dict(parts)) == []


def test_the_circle_finder_finds_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _logic_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, shape) of each logical line (statement) that carries logic.

    Logical lines, not physical ones, so that the formatter's layout (one argument a line) does
    not make two calls look alike or two blocks look different."""
    skip = {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
        tokenize.ENCODING,
    }
    fstring = {
        getattr(tokenize, n)
        for n in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
        if hasattr(tokenize, n)
    }
    statements: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.NEWLINE:
            if current:
                statements.append((start, current))
            current = []
            continue
        if tok.type in skip:
            continue
        if not current:
            start = tok.start[0]
        if tok.type == tokenize.NAME and not keyword.iskeyword(tok.string):
            shape = "N"
        elif tok.type == tokenize.NUMBER:
            shape = "0"
        elif tok.type == tokenize.STRING or tok.type in fstring:
            shape = "S"
        else:
            shape = tok.string
        if shape == "S" and current and current[-1] == "S":
            continue  # implicitly joined strings are one string
        current.append(shape)
    out = []
    for number, t in statements:
        if t[0] in ("import", "from", "S", "@"):
            continue  # imports, docstrings, decorators
        if all(x in "()[]{},:;S0" for x in t):
            continue  # bare literals
        if t[0] == "N" and len(t) > 1 and t[1] == ":" and "=" not in t:
            continue  # annotations of a dataclass
        out.append((number, " ".join(t)))
    return out


def _repeats(files: list[Path], window: int = WINDOW) -> list[list[tuple[str, int, int]]]:
    index: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for path in files:
        lines = _logic_lines(path.read_text(encoding="utf-8"))
        for i in range(len(lines) - window + 1):
            key = "\n".join(s for _, s in lines[i : i + window])
            index[key].append((str(path.relative_to(ROOT)), lines[i][0], lines[i + window - 1][0]))
    out = []
    for places in index.values():
        distinct: list[tuple[str, int, int]] = []
        for f, a, b in places:
            if not any(f == g and a <= d and c <= b for g, c, d in distinct):
                distinct.append((f, a, b))
        if len(distinct) > 1:
            out.append(distinct)
    return out


def test_no_block_of_ten_lines_is_written_twice():
    repeats = _repeats(_sources())
    shown = "\n".join(" ~ ".join(f"{f}:{a}-{b}" for f, a, b in r) for r in repeats[:20])
    assert not repeats, f"{len(repeats)} repeated windows of {WINDOW} lines:\n{shown}"


def test_the_repeat_finder_sees_a_block_with_other_names_and_values(tmp_path, monkeypatch):
    def block(v: str) -> str:
        return "\n".join(f"    {v}{i} = {v}{i - 1} * {i} + compute({i}, 'x')" for i in range(12))

    a = tmp_path / "a.py"
    b = tmp_path / "b.py"
    a.write_text(f"def f(v0):\n{block('v')}\n", encoding="utf-8")
    b.write_text(f"def g(w0):\n{block('w')}\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    assert _repeats([a, b])
    b.write_text("def g(w):\n    return w\n", encoding="utf-8")
    assert not _repeats([a, b])
