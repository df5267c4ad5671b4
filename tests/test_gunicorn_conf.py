"""gunicorn.conf.py's hooks: what the master does before each worker forks."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import importlib.util
import platform
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

PROJECT = Path(__file__).resolve().parent.parent


def gunicorn_conf() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gunicorn_conf", PROJECT / "gunicorn.conf.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_before_a_fork_the_masters_objects_are_frozen_and_its_free_memory_given_back(
        monkeypatch):
    conf = gunicorn_conf()
    done = []
    monkeypatch.setattr(conf, "_trim_memory", lambda: done.append("trim") or True)
    monkeypatch.setattr(conf, "_return_large_blocks", lambda: done.append("mmap") or True)
    try:
        conf.pre_fork(None, None)
        assert (gc.get_freeze_count() > 0, done) == (True, ["trim", "mmap"])
    finally:
        gc.unfreeze()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_memory_freed_on_the_c_heap_is_given_back_to_the_system():
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(1000) for _ in range(20_000)]  # 20 MB below the mmap threshold
    for block in blocks:
        libc.free(block)
    assert gunicorn_conf()._trim_memory() is True


#: Run in a fresh interpreter (a test process's other threads allocate meanwhile): free 24 MB
#: in blocks of 4 MB after a 16 MB block, which would raise glibc's threshold to 16 MB (and its
#: trim threshold to 32 MB), and print how many MB stay resident.
RETAINED = """
import ctypes, importlib.util, sys
spec = importlib.util.spec_from_file_location("conf", sys.argv[1])
conf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(conf)
if sys.argv[2] == "fixed":
    assert conf._return_large_blocks() is True
libc = conf._libc()
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
def resident():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 1e6
libc.free(libc.malloc(16 << 20))
before = resident()
blocks = [libc.malloc(4 << 20) for _ in range(6)]
for block in blocks:
    ctypes.memset(block, 1, 4 << 20)
for block in blocks:
    libc.free(block)
print(resident() - before)
"""


def retained_mb(mode: str) -> float:
    done = subprocess.run([sys.executable, "-c", RETAINED, str(PROJECT / "gunicorn.conf.py"),
                           mode], capture_output=True, text=True, timeout=60, check=True)
    return float(done.stdout.split()[-1])


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_large_blocks_are_always_mapped_so_freeing_one_gives_it_back():
    assert (retained_mb("dynamic") > 20, retained_mb("fixed") < 4) == (True, True)
