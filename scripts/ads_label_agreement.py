"""How far the employers' own occupation choices agree with each other, in real_dev.

    .venv/bin/python scripts/ads_label_agreement.py [--json]

An upper bound of sorts for any classifier judged on these labels: among the ads whose
title (the headline's title part, ``classifier.title_core``, case and punctuation
folded) occurs more than once, how often does an ad's SSYK-4 equal the most common
SSYK-4 of the *other* ads with the same title? A model that read only the title could
not beat that on those ads; one that reads the text may, where the text tells the
employers' choices apart.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from lotsen.ads.classifier import title_core

ROOT = Path(__file__).resolve().parents[1]
REAL_ADS = ROOT.parent / "shared" / "data" / "ads" / "real_dev.jsonl"


def title_key(headline: str) -> str:
    return re.sub(r"\W+", " ", title_core(headline).lower()).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description="Agreement of the employers' own labels.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with REAL_ADS.open(encoding="utf-8") as lines:  # not splitlines: texts hold U+2028
        ads = [json.loads(line) for line in lines if line.strip()]
    by_title: dict[str, list[str]] = defaultdict(list)
    for ad in ads:
        by_title[title_key(ad["headline"])].append(ad["ssyk4"])
    repeated = {title: groups for title, groups in by_title.items() if len(groups) > 1}
    hits = total = 0
    for groups in repeated.values():
        for index, group in enumerate(groups):
            others = Counter(groups[:index] + groups[index + 1:])
            hits += others.most_common(1)[0][0] == group
            total += 1
    widest = sorted(repeated.items(), key=lambda item: -len(item[1]))[:5]
    most_repeated = {title: Counter(groups).most_common() for title, groups in widest}
    report = {
        "ads": len(ads),
        "ads_with_a_repeated_title": total,
        "titles_repeated": len(repeated),
        "leave_one_out_majority_agreement": round(hits / total, 4),
        "most_repeated": most_repeated,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    print(f"{total} of {len(ads)} ads share their title with another ad "
          f"({len(repeated)} titles); the other ads' most common SSYK-4 is the ad's own "
          f"for {hits / total:.3f} of them")
    for title, counts in most_repeated.items():
        print(f"  {title!r}: {counts}")


if __name__ == "__main__":
    main()
