"""Refresh ``data/`` from the npm package ``idn-area-data``:
``python -m jobfair.reference.refresh_regions [--version 4.0.1]`` (needs npm)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
FILES = ("provinces.csv", "regencies.csv", "districts.csv")


def refresh(version: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(  # noqa: S603 - fixed command, version checked below
            ["npm", "pack", f"idn-area-data@{version}"],  # noqa: S607
            cwd=tmp,
            check=True,
            capture_output=True,
        )
        (archive,) = Path(tmp).glob("idn-area-data-*.tgz")
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        source = Path(tmp) / "package" / "data"
        for name in FILES:
            shutil.copyfile(source / name, DATA / name)
        notice = (
            f"idn-area-data {version} — https://github.com/fityannugroho/idn-area-data\n"
            "Data from the npm package idn-area-data (provinces.csv, regencies.csv, "
            "districts.csv),\nlicensed under the Open Database License (ODbL) 1.0. The full "
            "licence text shipped with\nthe package follows.\n\n"
        )
        licence = (source / "LICENSE.md").read_text(encoding="utf-8")
        (DATA / "LICENSE-idn-area-data.txt").write_text(notice + licence, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--version", default="4.0.1")
    args = parser.parse_args()
    if not all(part.isdigit() for part in args.version.split(".")):
        parser.error("the version is numbers separated by dots, e.g. 4.0.1")
    refresh(args.version)
    print(f"copied idn-area-data {args.version} into {DATA}")


if __name__ == "__main__":
    main()
