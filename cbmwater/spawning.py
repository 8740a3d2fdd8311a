"""Starting ``spawn`` child processes safely from any host (the job guard, the executor).

A spawn child imports the parent's ``__main__`` again (as ``__mp_main__``) from its
``__file__``, so that functions defined there unpickle.  A host that *executes* scripts as
``__main__`` inside its own process -- Streamlit runs each app page so, and so does its AppTest --
would have every child re-run the last page (and a page that starts a job on load would start
another from the child).  :func:`program_main` gives a child a bare ``__main__`` for the moment
of its start when ``__main__``'s file is not the program this process was started with.
"""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["program_main"]

_MAIN_LOCK = threading.Lock()


@contextmanager
def program_main() -> Iterator[None]:
    """Start ``spawn`` children inside this context: they do not re-run a foreign ``__main__``.

    When ``__main__``'s file is not the program this process was started with
    (``sys.argv[0]``), ``sys.modules["__main__"]`` is a bare module while the context lasts; a
    plain ``python my_script.py`` keeps its script (its functions must unpickle in children).
    """
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    spec = getattr(main, "__spec__", None)
    program = Path(sys.argv[0]).resolve() if sys.argv and sys.argv[0] else None
    foreign = (
        main is not None
        and spec is None
        and path is not None
        and (program is None or Path(path).resolve() != program)
    )
    if not foreign:
        yield
        return
    with _MAIN_LOCK:
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if isinstance(sys.modules.get("__main__"), types.ModuleType) and not hasattr(
                sys.modules["__main__"], "__file__"
            ):
                sys.modules["__main__"] = main  # type: ignore[assignment]
