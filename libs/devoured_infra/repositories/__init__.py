"""Repository ports (Protocols) and their SQL implementations, one module per owning service."""
