"""Regenerate newswire/vocab/mediatopics.csv from the IPTC export in ../shared/standards.

Run from the repository root: python scripts/build_mediatopics.py
Keeps only what the program needs (code, English name, retired flag, broader code).
"""

import csv
import sys
from pathlib import Path

SOURCE = Path("../shared/standards/newscodes/mediatopic/mediatopic-en.csv")
TARGET = Path("newswire/vocab/mediatopics.csv")


def main() -> int:
    with (
        SOURCE.open(newline="", encoding="utf-8") as src,
        TARGET.open("w", newline="", encoding="utf-8") as dst,
    ):
        writer = csv.writer(dst)
        writer.writerow(["code", "name", "broader", "retired"])
        for row in csv.DictReader(src):
            code = row["qcode"].removeprefix("medtop:")
            broader = row["broader"].removeprefix("medtop:")
            retired = "1" if row["retired"].strip() else ""
            writer.writerow([code, row["name_en_GB"], broader, retired])
    return 0


if __name__ == "__main__":
    sys.exit(main())
