"""Why need → top-10 grows faster than the number of people: one population, two sizes.

Run from the repository root::

    .venv/bin/python bench/match_scaling.py                      # 100,000 and 1,000,000
    .venv/bin/python bench/match_scaling.py --memo-mib 2048      # the same, larger memo

One pass of the demo generator feeds an index per size (the smaller one holds the first
people of the larger), so both are measured in one process under the same load. The
queries are the demo generator's open needs, cycled, run alternately on each size after
the same 20-need warm-up ``bench/match_need.py`` does. Printed per size: rank p50/p95,
the CPU time of the query's thread (what the work costs, whatever else the machine
runs), minor page faults, the share memo's misses per query and bytes held, the mean
time of each step of the matcher (hard requirements, shares, skill shares, memoised
shares computed) and the functions that take the time (cProfile, own time), so the
growth between the sizes can be put on its causes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np

from lotsen.demo.generator import DemoCatalog, employers, needs, people
from lotsen.match.geo import grid_for
from lotsen.match.index import IndexBuilder, PeopleIndex
from lotsen.match.levels import LicenceBits, consent_cutoff
from lotsen.match.need import NeedSpec
from lotsen.match.relations import OccupationRelations
from lotsen.match.scorer import Matcher
from lotsen.taxonomy import load_taxonomy


class CountingMatcher(Matcher):
    """A Matcher that counts memo misses and times its steps (ms summed per step)."""

    def fit(self, index: Any) -> CountingMatcher:
        super().fit(index)
        self.misses = 0
        self.spent: dict[str, float] = {}
        return self

    def _timed(self, step: str, work: Any) -> Any:
        t = time.perf_counter()
        value = work()
        self.spent[step] = self.spent.get(step, 0.0) + 1000 * (time.perf_counter() - t)
        return value

    def _cached(self, key: tuple[Any, ...]) -> Any:
        if key not in self._memo:
            self.misses += 1
        return super()._cached(key)

    def _share(self, key: tuple[Any, ...], index: Any) -> Any:
        return self._timed(f"computing {key[0]}", lambda: super(CountingMatcher, self)._share(
            key, index))

    def _skill_share(self, skills: tuple[str, ...], rows: Any) -> np.ndarray:
        return self._timed("skill shares", lambda: super(CountingMatcher, self)._skill_share(
            skills, rows))

    def eligible(self, need: NeedSpec, mask: np.ndarray | None = None) -> Any:
        return self._timed("eligible", lambda: super(CountingMatcher, self).eligible(
            need, mask))

    def shares(self, need: NeedSpec, rows: Any = None) -> Any:
        return self._timed("shares", lambda: super(CountingMatcher, self).shares(need, rows))

    def top(self, need: NeedSpec, k: int = 10, mask: np.ndarray | None = None) -> Any:
        return self._timed("top", lambda: super(CountingMatcher, self).top(need, k, mask))


ARRAYS = ("person_ids", "pseudonyms", "tenant_ids", "municipality", "max_commute_km",
          "available", "swedish", "education", "licences", "consent", "cross_tenant",
          "occupations", "years", "skill_ptr", "skill_rows")


def save(folder: str, size: int, index: PeopleIndex) -> None:
    if folder:
        np.savez(Path(folder) / f"people-{size}.npz",
                 occupation_vocab=np.array(index.occupation_vocab),
                 skill_ids=np.array(index.skill_ids),
                 **{name: getattr(index, name) for name in ARRAYS})


def load_saved(folder: str, size: int) -> PeopleIndex | None:
    path = Path(folder) / f"people-{size}.npz"
    if not folder or not path.exists():
        return None
    with np.load(path) as saved:
        skill_ids = [str(s) for s in saved["skill_ids"]]
        return PeopleIndex(
            **{name: saved[name] for name in ARRAYS},
            occupation_vocab=[str(o) for o in saved["occupation_vocab"]],
            skill_vocab={s: i for i, s in enumerate(skill_ids)},
            skill_ids=skill_ids,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--memo-mib", type=int, default=256)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile-lines", type=int, default=12)
    parser.add_argument("--keep", default="",
                        help="a folder to save the generated indexes in and load them from "
                        "on the next run (generating a million people takes minutes)")
    args = parser.parse_args()

    import random

    taxonomy = load_taxonomy()
    catalog = DemoCatalog.from_taxonomy(taxonomy)
    grid, bits = grid_for(taxonomy), LicenceBits(taxonomy)
    relations = OccupationRelations(taxonomy)
    rng = random.Random(args.seed)
    specs = [NeedSpec.from_record(n) for n in needs(rng, catalog, list(employers(rng)))
             if n["status"] == "open"]
    cutoff = consent_cutoff()
    sizes = sorted(args.sizes)
    indexes = {size: load_saved(args.keep, size) for size in sizes}
    missing = [size for size, index in indexes.items() if index is None]
    if missing:
        builders = {size: IndexBuilder(grid, bits) for size in missing}
        t = time.perf_counter()
        for i, rec in enumerate(people(args.seed, catalog, missing[-1])):
            rec["id"] = i
            for size in missing:
                if i < size:
                    builders[size].add(rec, cutoff)
        print(f"generated {missing[-1]:,} people in {time.perf_counter() - t:.0f} s")
        for size in missing:
            indexes[size] = builders.pop(size).build()
            save(args.keep, size, indexes[size])
    matchers = {}
    for size in sizes:
        index = indexes.pop(size)
        assert index is not None
        matchers[size] = CountingMatcher(grid, bits, relations,
                                         memo_bytes=args.memo_mib * 2**20).fit(index)
    print(f"{len(specs)} distinct open needs, {len({s.occupation_id for s in specs})} "
          f"occupations, {len({(s.municipality_code, s.allow_relocation) for s in specs})} "
          f"places; memo cap {args.memo_mib} MiB; RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")

    for matcher in matchers.values():
        for spec in specs[:20]:
            matcher.top(spec, 10)
        matcher.misses, matcher.spent = 0, {}
    times: dict[int, list[float]] = {size: [] for size in sizes}
    cpu: dict[int, list[float]] = {size: [] for size in sizes}
    faults: dict[int, int] = {size: 0 for size in sizes}
    for i in range(args.queries):
        for size, matcher in matchers.items():
            before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            t, c = time.perf_counter(), time.thread_time()
            matcher.top(specs[i % len(specs)], 10)
            times[size].append(1000 * (time.perf_counter() - t))
            cpu[size].append(1000 * (time.thread_time() - c))
            faults[size] += resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
    for size, matcher in matchers.items():
        values = np.array(times[size])
        print(f"{size:>9,} people: rank p50 {np.percentile(values, 50):6.2f} ms  "
              f"p95 {np.percentile(values, 95):6.2f} ms  mean {values.mean():6.2f} ms; "
              f"CPU p50 {np.percentile(cpu[size], 50):6.2f} ms  mean {np.mean(cpu[size]):6.2f} ms; "
              f"page faults {faults[size] / args.queries:.0f} per query; "
              f"memo misses {matcher.misses / args.queries:.2f} per query, "
              f"{len(matcher._memo)} entries, {matcher._memo_bytes / 2**20:.0f} MiB")
        print("           mean ms per query, each step including the ones it calls: " + ", ".join(
            f"{k} {v / args.queries:.2f}"
            for k, v in sorted(matcher.spent.items(), key=lambda kv: -kv[1])))
    small, large = sizes[0], sizes[-1]
    ratio = np.percentile(times[large], 50) / np.percentile(times[small], 50)
    cpu_ratio = np.percentile(cpu[large], 50) / np.percentile(cpu[small], 50)
    print(f"{large:,} / {small:,} people = {large / small:.0f}x: wall-clock p50 {ratio:.1f}x, "
          f"CPU p50 {cpu_ratio:.1f}x (load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores)")

    for size, matcher in matchers.items() if args.profile_lines else ():
        # where the time goes, memo as warm as above
        profile = cProfile.Profile()
        profile.enable()
        for i in range(args.queries):
            matcher.top(specs[i % len(specs)], 10)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.profile_lines)
        body = out.getvalue()
        print(f"--- {size:,} people, {args.queries} queries, own time per function ---")
        print(body[body.index("ncalls"):].rstrip())


if __name__ == "__main__":
    main()
