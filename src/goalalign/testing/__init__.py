"""Helpers for testing code that uses goalalign, and for goalalign's own tests.

* :mod:`goalalign.testing.strategies`: hypothesis strategies for valid documents and cascades
  (needs ``pip install 'goalalign[testing]'``);
* :mod:`goalalign.testing.generator`: large deterministic documents for benchmarks and scale
  tests (no extra dependency).

Nothing is imported here, so importing this package never needs hypothesis.
"""
