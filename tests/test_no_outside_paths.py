"""Nothing in the repository points outside it.

Every tracked text file (``git ls-files``; binary files, those with a NUL byte, are passed over)
is searched for a path that only makes sense on one machine or in the project's working area:
the project's reference notes by path, a parent-directory path into them, a user's or the
build machine's home or work directory, or a Windows drive path.  A citation of the reference
notes goes through ``docs/references.md`` instead (e.g. ``[QS] §1.3 (docs/references.md)``), and
a public source is named by its repository and commit or its URL.  The one exception is the
PHREEQC databases shipped byte for byte as their publisher packaged them (``VENDORED``): their
SHA-256 is recorded with every result, so a reader can check them against the upstream files;
an upstream header comment naming the packager's folders is theirs, not a pointer of ours.

The patterns are written so that this file does not match them itself.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: What may not appear in a tracked file, with a label for the failure message.
FORBIDDEN: dict[str, re.Pattern[str]] = {
    "reference notes by path": re.compile(r"shared[/\\]reference"),
    "parent path to shared": re.compile(r"\.\.[/\\]shared"),
    "work directory": re.compile(r"[/\\]work[/\\]"),
    "home directory": re.compile(r"[/\\]home[/\\]"),
    "root's home": re.compile(r"[/\\]root[/\\]"),
    # a drive letter standing alone, a colon, then a slash, a backslash or a doubled backslash (as in
    # a string) and a name; not a URL scheme (https://), whose letter before the colon follows
    # another letter
    "Windows drive path": re.compile(r"(?<![A-Za-z0-9_])[A-Za-z]:(?:\\{1,2}|/)(?=[A-Za-z0-9_.$~])"),
}

#: Third-party files kept byte for byte (their hash is part of every result's provenance).
VENDORED = {
    "cbmwater/databases/phreeqc/phreeqc.dat",
    "cbmwater/databases/phreeqc/pitzer.dat",
    "cbmwater/databases/phreeqc/wateq4f.dat",
}

#: Folders a walk of the tree (used only when git cannot list the files) leaves out.
NOT_SOURCE = {".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}


def _tracked_files() -> list[Path]:
    """The files git tracks; without git (e.g. an unpacked archive), every file of the tree."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return sorted(
            p
            for p in ROOT.rglob("*")
            if p.is_file() and not NOT_SOURCE.intersection(p.relative_to(ROOT).parts)
        )
    names = [n for n in out.decode("utf-8").split("\0") if n]
    return [ROOT / n for n in names if (ROOT / n).is_file()]


def _text(path: Path) -> str | None:
    """The file's text, or None for a binary file (one with a NUL byte)."""
    data = path.read_bytes()
    if b"\0" in data:
        return None
    return data.decode("utf-8", errors="replace")


def _hits(text: str) -> list[tuple[int, str, str]]:
    """(line number, label, matched text) of every forbidden path in ``text``."""
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        for label, pattern in FORBIDDEN.items():
            out.extend((n, label, m.group(0)) for m in pattern.finditer(line))
    return out


def test_the_patterns_catch_outside_paths_and_pass_urls() -> None:
    notes = "shared" + "/reference"
    bad = [
        f"see {notes}/amd.md §(d)",
        "see .." + "/shared" + "/reference/qinshui_standards.md",
        "# File 1 = C:" + "\\GitPrograms\\phreeqc3-1\\database\\wateq4f.dat",
        'path = "D:' + '\\\\data\\\\x.csv"',
        "open('c:" + "/Users/me/x.csv')",
        "cd /" + "work/main",
        "/" + "home/user/cbmwater",
        "/" + "root/.cache/x",
    ]
    for line in bad:
        assert _hits(line), line
    good = [
        "https://www.mee.gov.cn/ywgz/fgbz/bz/bzwb/shjbh/shjzlbz/200206/t20020601_66497.shtml",
        "[QS] §1.3 (docs/references.md); amd.md notes §(d)",
        "jlant/amdtreat@5a292e0, AMDTreat/Data/default-data-ponds.xml",
        "ratio 3:1 outslope; time 15:31; Table 2: SO4",
        "file://x and ftp://y",
    ]
    for line in good:
        assert not _hits(line), line


def test_no_tracked_file_points_outside_the_repository() -> None:
    files = _tracked_files()
    assert files, "no files found"
    found = []
    for path in files:
        text = _text(path)
        if text is None:
            continue
        rel = path.relative_to(ROOT).as_posix()
        if rel in VENDORED:
            continue
        found.extend(f"{rel}:{n}: {label}: {hit!r}" for n, label, hit in _hits(text))
    assert not found, f"{len(found)} path(s) outside the repository:\n" + "\n".join(found)
