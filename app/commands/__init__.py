"""Command groups of the ``counterbench`` CLI, one module per group.

Each module exposes ``register(subparsers)`` and sets ``run`` on its parsers; modules
import their heavy dependencies inside ``run`` so ``counterbench --help`` stays fast.
"""
