"""``python -m cbmwater``: the same command line as the ``cbmwater`` script."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="cbmwater")
