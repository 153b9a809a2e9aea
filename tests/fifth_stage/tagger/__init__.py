"""The tagger: a trivial stage that files every summarised article under its most frequent
long words. It exists to prove that a stage is one folder: a descriptor, a pure core, a table
with its own migration, a unit of work, a handler and a message type of its own."""
