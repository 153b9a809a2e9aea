"""The whole pipeline measured end to end (issue 18): real pages from ../shared/extraction-dev
served on many loopback host names, through the four services over Kafka and PostgreSQL and
through the embedded mode, against the CPU limit of the stage cores and against Miniflux."""
