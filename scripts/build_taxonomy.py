"""Rebuild the taxonomy file shipped in the package from ../shared/data.

python scripts/build_taxonomy.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from lotsen.taxonomy.build import build

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    meta = build(args.shared, ROOT / "src" / "lotsen" / "taxonomy" / "data")
    print(json.dumps(meta, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
