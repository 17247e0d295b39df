"""Write the synthetic published-statistics sample (domain/published/sample.py) into a folder.

    python scripts/make_published_sample.py [--out var/published_sample]

The app writes it itself into its data folder when no real published folder is given; this
script is for looking at the files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from domain.published.sample import write_published_sample  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "published_sample")
    print("wrote", write_published_sample(parser.parse_args().out))


if __name__ == "__main__":
    main()
