#!/usr/bin/env python3
"""Write the corrupt HDF5 files in Fixtures/bad/ that make libhdf5 itself fail.

libhdf5 1.10 (Debian 12) loops forever on one of these and crashes with
SIGSEGV on the other, inside H5Aread's variable-length string conversion.
lstmc must still answer with one line and exit code 2. The byte patches were
found by fuzzing keras/k2_basic.h5; they are applied to that file, whose hash is
checked so a regenerated k2_basic.h5 cannot silently produce different files.

    python3 Fixtures/corrupt.py        (standard library only)
"""

import hashlib
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = HERE / "keras" / "k2_basic.h5"
SOURCE_SHA256 = "a402aa342d58689d2506816f686b2babced3c8345d28e6efb161c0d74ae29bca"

# (file, [(offset, byte), ...])
PATCHES = [
    ("hdf5_hang.h5", [(2511, 114), (2678, 136), (3758, 193), (4096, 174)]),
    ("hdf5_crash.h5", [(4137, 144), (6900, 50), (8611, 120), (9080, 245)]),
]


def main():
    data = SOURCE.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SOURCE_SHA256:
        raise SystemExit(f"{SOURCE} changed (sha256 {digest}); find new patches by fuzzing and update this script")
    for name, patches in PATCHES:
        patched = bytearray(data)
        for offset, value in patches:
            patched[offset] = value
        (HERE / "bad" / name).write_bytes(bytes(patched))
        print(f"wrote bad/{name}")


if __name__ == "__main__":
    main()
