"""Handing freed memory back to the operating system.

CPython frees a big object's memory to the C allocator, and glibc's allocator keeps freed heap
pages for reuse unless told otherwise: after one large transient job (an edition build reads
thousands of stories) the process would keep its peak size for good. ``malloc_trim`` returns
the free pages of every arena; it costs milliseconds, so it runs after such a job, not per
message.
"""

import ctypes
import ctypes.util
import functools
import logging

log = logging.getLogger("devoured.memory")


@functools.cache
def _malloc_trim() -> "ctypes._NamedFuncPointer | None":
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to do
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_memory() -> bool:
    """Return the C allocator's free pages to the system; False where it cannot (not glibc)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
