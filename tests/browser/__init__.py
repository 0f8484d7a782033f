"""Browser tests of the built site; a package so that its conftest does not replace tests/conftest.py as `conftest`."""
