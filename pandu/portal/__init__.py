"""The front page: what a signed-in user sees first, with the figures of their own area.

A project-level app: it reads the domain apps (registry), and none of them reads it.
"""
