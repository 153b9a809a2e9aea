"""The shared repositories: the outbox. Each service keeps its own in its package."""
