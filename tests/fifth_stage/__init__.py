"""A fifth stage, added the way docs/adding-a-stage.md says, from a package of the tests."""
