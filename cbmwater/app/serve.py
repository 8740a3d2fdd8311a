"""How ``cbmwater app`` starts Streamlit: the entry script and the shipped options.

Kept free of Streamlit imports, so the CLI can build the command without loading the app.
"""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path

#: the navigation entry script ``streamlit run`` serves
ENTRY = Path(str(files("cbmwater.app").joinpath("streamlit_app.py")))
#: the shipped Streamlit options (hides the Deploy button, headless, no usage statistics)
CONFIG = Path(str(files("cbmwater.app").joinpath(".streamlit", "config.toml")))


def _flag_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def config_flags(config: Path = CONFIG) -> list[str]:
    """The options of ``config`` (a Streamlit ``config.toml``) as ``streamlit run`` flags.

    Examples
    --------
    >>> "--client.toolbarMode" in config_flags()
    True
    """
    with config.open("rb") as fh:
        data = tomllib.load(fh)
    flags: list[str] = []
    for section, options in data.items():
        for name, value in options.items():
            flags += [f"--{section}.{name}", _flag_value(value)]
    return flags
