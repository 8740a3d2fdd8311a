"""The faces (the Streamlit app in ``cbmwater/app/`` and ``cbmwater/cli.py``) call only the
public API, and the engine never imports a face (issue 12, "Faces thin").

The checks walk the import statements with :mod:`ast`, so they hold for code that is never run
by the other tests (pages' branches, lazy imports inside functions).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "cbmwater"
APP = PKG / "app"
MAIN = PKG / "__main__.py"  # `python -m cbmwater`: the CLI's entry, a face too
CLI = PKG / "cli.py"
#: Packages a face may import from, besides the top level ``cbmwater`` itself: the API package,
#: the faces, and the message catalogues (``cbmwater.i18n``, a low layer any module may import).
ALLOWED = ("cbmwater.study", "cbmwater.app", "cbmwater.cli", "cbmwater.i18n")


def _face_files() -> list[Path]:
    return sorted(APP.rglob("*.py")) + [CLI, MAIN]


def _engine_files() -> list[Path]:
    return sorted(p for p in PKG.rglob("*.py") if APP not in p.parents and p not in (CLI, MAIN))


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, absolute module, imported names) of every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            out.append((node.lineno, module, [a.name for a in node.names]))
    return out


def _allowed(module: str) -> bool:
    return module == "cbmwater" or any(module == a or module.startswith(a + ".") for a in ALLOWED)


def _private(name: str) -> bool:
    """``_x`` is private; a dunder such as ``__version__`` is not."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_the_walk_sees_every_face_and_resolves_relative_imports():
    faces = _face_files()
    assert APP / "Home.py" in faces and CLI in faces
    assert len([p for p in faces if p.parent.name == "pages"]) >= 5
    study = _imports(PKG / "study" / "water.py")
    assert any(m == "cbmwater.errors" for _, m, _ in study)  # "from ..errors import" resolved


@pytest.mark.parametrize("path", _face_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_face_imports_only_the_public_api(path):
    bad = []
    for line, module, names in _imports(path):
        if module.split(".")[0] != "cbmwater":
            continue
        if not _allowed(module):
            bad.append(
                f"line {line}: {module} is below the public API (use cbmwater or cbmwater.study)"
            )
        if any(_private(part) for part in module.split(".")):
            bad.append(f"line {line}: private module {module}")
        bad += [f"line {line}: private name {n} from {module}" for n in names if _private(n)]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("path", _face_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_face_does_not_patch_sys_path(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "path"
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
        ):
            pytest.fail(f"{path.name}:{node.lineno} touches sys.path")


def test_the_engine_never_imports_a_face_or_streamlit():
    bad = []
    for path in _engine_files():
        for line, module, _ in _imports(path):
            top = module.split(".")[0]
            if module.startswith(("cbmwater.app", "cbmwater.cli")) or top == "streamlit":
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not bad, "\n".join(bad)


def test_using_the_engine_loads_no_streamlit():
    code = (
        "import sys, cbmwater\n"
        "from cbmwater.resources import example_path\n"
        "cbmwater.characterise(example_path('qinshui', 'analyses.csv'))\n"
        "assert 'streamlit' not in sys.modules and 'cbmwater.app' not in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr
