"""The Streamlit app: a thin face over the public API (:mod:`cbmwater.study`).

Run it with ``cbmwater app`` (needs ``pip install 'cbmwater[app]'``).  Nothing in the engine
imports this package.
"""
