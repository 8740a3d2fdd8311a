"""The built wheel works outside the repository (issue 12, "Tests must show").

A wheel is built from the checkout, installed with ``--no-deps`` into a fresh venv under
``tmp_path`` (outside the repository), and run from ``tmp_path``: it characterises the packaged
example analyses and a copied CSV, treats a water and optimises the flagship case, all with data
found as package resources.  The dependencies already installed for the tests are made visible to
the fresh venv by a ``.pth`` file listing this interpreter's site-packages folders; plain path
lines in a ``.pth`` do not run that folder's own ``.pth`` files, so the editable install of the
repository is not activated, and the test checks that ``cbmwater`` is imported from the fresh venv.
"""

from __future__ import annotations

import importlib.metadata
import json
import math
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import cbmwater
from cbmwater import __version__
from cbmwater.resources import example_path

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
TRAIN = "coagulation,sedimentation,multimedia_filter,ultrafiltration,brackish_ro"
SAMPLE = "SZ-3-04"


def _setuptools_builds_here() -> bool:
    """Whether this interpreter's setuptools can build the project without isolation (>= 77)."""
    try:
        major = int(importlib.metadata.version("setuptools").split(".")[0])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return False
    return major >= 77


def _env() -> dict[str, str]:
    """Environment without PYTHONPATH, so nothing of the repository leaks into the fresh venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the checkout (so the build leaves nothing in the repository)."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(
        ROOT / "cbmwater", src / "cbmwater", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    out = tmp_path_factory.mktemp("dist")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(src)]
    if _setuptools_builds_here():
        cmd.insert(4, "--no-build-isolation")
    # (else pip fetches setuptools>=77 into an isolated build environment)
    subprocess.run(cmd, check=True, cwd=src, env=_env(), timeout=600)
    (whl,) = out.glob("cbmwater-*.whl")
    return whl


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed (no deps) and this interpreter's packages visible."""
    home = tmp_path_factory.mktemp("venv")
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(home)],
        check=True,
        env=_env(),
        timeout=120,
    )
    py = home / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        env=_env(),
        timeout=300,
    )
    purelib = Path(
        subprocess.run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
            env=_env(),
        ).stdout.strip()
    )
    ours = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (purelib / "zz_test_dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    return home


def _run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(
        [str(venv / "bin" / "python"), *args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return r


def _packaged(venv: Path, cwd: Path, *parts: str) -> str:
    """Path of a bundled example as the wheel's own cbmwater.resources gives it."""
    code = f"from cbmwater.resources import example_path; print(example_path(*{parts!r}))"
    return _run(venv, cwd, "-c", code).stdout.strip()


def test_wheel_metadata_keeps_the_app_out_of_the_engine(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        (meta_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = z.read(meta_name).decode("utf-8")
    assert f"Version: {__version__}" in meta
    requires = [
        line.split(":", 1)[1].strip()
        for line in meta.splitlines()
        if line.startswith("Requires-Dist:")
    ]
    core = [r for r in requires if "extra ==" not in r]
    assert {r.split(">")[0].split("<")[0].split("=")[0].strip() for r in core} == {
        "numpy",
        "pandas",
        "phreeqpy",
        "pyomo",
        "highspy",
        "openpyxl",
        "click",
        "babel",  # the gettext catalogues
        "sqlalchemy",  # the workspace
        "jinja2",  # report templates
        "weasyprint",  # PDF reports
        "matplotlib",  # report figures
        "dask",  # the executor on a cluster
        "distributed",
        "pyarrow",  # Parquet lab files and records
        "salib",  # Sobol sensitivity
        "scipy",  # SALib's Sobol sequence
    }
    for r in requires:
        if r.lower().startswith(("streamlit", "plotly")):
            assert 'extra == "app"' in r, r
    # the data the engine and the app default to travel in the wheel; the build scripts do not
    for f in (
        "cbmwater/databases/phreeqc/phreeqc.dat",
        "cbmwater/databases/standards.csv",
        "cbmwater/databases/treatment/units.toml",
        "cbmwater/databases/minewater/amdtreat.toml",
        "cbmwater/case_studies/qinshui/analyses.csv",
        "cbmwater/case_studies/qinshui_south/case.toml",
        "cbmwater/case_studies/qinshui_south/wells.csv",
        "cbmwater/case_studies/daji_old_mine/case.toml",
        "cbmwater/locale/en/LC_MESSAGES/app.po",
        "cbmwater/locale/zh/LC_MESSAGES/app.po",
        "cbmwater/app/.streamlit/config.toml",
        "cbmwater/locale/zh/LC_MESSAGES/engine.po",
        "cbmwater/locale/zh/LC_MESSAGES/reports.po",
        "cbmwater/report/templates/review.html.j2",  # cbmwater app's options (no Deploy button)
        "cbmwater/app/streamlit_app.py",
    ):
        assert f in names, f
    assert not [n for n in names if "/case_studies/" in n and n.endswith(".py")]


def test_installed_package_is_the_wheel_with_its_data(venv: Path, tmp_path: Path) -> None:
    r = _run(
        venv,
        tmp_path,
        "-c",
        "import json, cbmwater, cbmwater.resources as r; print(json.dumps("
        "[cbmwater.__file__, cbmwater.__version__, str(r.data_path('standards.csv')), "
        "str(r.example_path('qinshui_south', 'case.toml'))]))",
    )
    init, version, standards, case = json.loads(r.stdout)
    assert Path(init).is_relative_to(venv)
    assert not Path(init).is_relative_to(ROOT)
    assert version == __version__
    assert Path(standards).is_file() and Path(standards).is_relative_to(venv)
    assert Path(case).is_file() and Path(case).is_relative_to(venv)
    v = subprocess.run(
        [str(venv / "bin" / "cbmwater"), "--version"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert v.stdout.strip() == f"cbmwater, version {__version__}"


def test_characterise_packaged_and_copied_files(venv: Path, tmp_path: Path) -> None:
    packaged = _packaged(venv, tmp_path, "qinshui", "analyses.csv")
    a = json.loads(
        _run(venv, tmp_path, "-m", "cbmwater", "characterise", packaged, "--format", "json").stdout
    )
    shutil.copy2(example_path("qinshui", "analyses.csv"), tmp_path / "mine.csv")
    b = json.loads(
        _run(
            venv, tmp_path, "-m", "cbmwater", "characterise", "mine.csv", "--format", "json"
        ).stdout
    )
    assert len(a) == len(b) == 32
    ids = [rec["sample_id"] for rec in a]
    assert ids == [rec["sample_id"] for rec in b]
    numeric = [k for k, v in a[0].items() if isinstance(v, float)]
    assert "ionic_strength" in numeric and "tds_mg_L" in numeric
    for ra, rb in zip(a, b, strict=True):
        for k in numeric:
            assert ra[k] == rb[k] or (ra[k] is None and rb[k] is None), k
        assert 0 < ra["ionic_strength"] < 1 and 6 < ra["pH"] < 10


def test_treat_matches_the_repository(venv: Path, tmp_path: Path) -> None:
    analyses = _packaged(venv, tmp_path, "qinshui", "analyses.csv")
    args = ["treat", analyses, "--sample", SAMPLE, "--train", TRAIN, "--format", "json"]
    got = json.loads(_run(venv, tmp_path, "-m", "cbmwater", *args).stdout)
    ref = cbmwater.treat(
        example_path("qinshui", "analyses.csv"), TRAIN, sample=SAMPLE, flow_m3_d=1000
    ).to_dict()
    assert [s["unit"] for s in got["stages"]] == TRAIN.split(",")
    for k in ("recovery", "energy_kWh_m3", "capex_CNY", "opex_CNY_yr", "lcow_CNY_m3"):
        assert math.isfinite(got[k]) and got[k] > 0, k
        assert got[k] == pytest.approx(ref[k], rel=1e-9), k
    na_in, na_out = got["feed"]["concentrations"]["Na"], got["product"]["concentrations"]["Na"]
    assert 0 < na_out < 0.2 * na_in  # RO permeate
    # provenance names the packaged file, not where this machine keeps it
    assert got["provenance"]["source"] == "cbmwater/case_studies/qinshui/analyses.csv"
    assert str(venv) not in json.dumps(got)


@pytest.mark.heavy
def test_optimise_flagship_from_the_package(venv: Path, tmp_path: Path) -> None:
    case = _packaged(venv, tmp_path, "qinshui_south", "case.toml")
    _run(venv, tmp_path, "-m", "cbmwater", "optimise", case, "--out", "results")
    res = json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))
    assert res["status"] == "optimal"
    npv = res["objective_CNY"]
    assert math.isfinite(npv) and npv > 1e6
    assert sum(res["costs"]["npv_CNY"].values()) == pytest.approx(npv)
    assert res["builds"] and res["flows"]
    assert res["case"]["file"] == "cbmwater/case_studies/qinshui_south/case.toml"
    assert str(venv) not in json.dumps(res) and str(ROOT) not in json.dumps(res)


def test_engine_imports_no_app_packages(venv: Path, tmp_path: Path) -> None:
    hand = ROOT / "tests" / "data" / "optimise" / "hand"
    shutil.copytree(hand, tmp_path / "hand")
    script = f"""
import json, sys
from cbmwater.resources import example_path
import cbmwater
ch = cbmwater.characterise(example_path("qinshui", "analyses.csv"))
tr = cbmwater.treat(example_path("qinshui", "analyses.csv"), {TRAIN!r}, sample={SAMPLE!r},
                    flow_m3_d=1000)
op = cbmwater.optimise("hand/case.toml")
print(json.dumps({{"n": len(ch), "lcow": tr.lcow_CNY_m3, "status": op.status,
                  "loaded": sorted(m for m in ("streamlit", "plotly") if m in sys.modules)}}))
"""
    out = json.loads(_run(venv, tmp_path, "-c", script).stdout)
    assert out["n"] == 32 and out["lcow"] > 0 and out["status"] == "optimal"
    assert out["loaded"] == []
