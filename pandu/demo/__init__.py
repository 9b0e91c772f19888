"""The demo office and synthetic data: never part of a real office's data.

``load_demo`` sets up the Maros demo office (one login per role, a synthetic registry, a working
one-stop service). It sits outside the domain apps so that they never depend on it.
"""
