"""Convert throughput: documents/second on one core over generated ~3 KB press releases.

Run: ``python bench/convert.py [--count 1000]``. The whole document path is timed (read, decode, extract,
mint, per-document SHACL validation), as ``citygraph convert``/``build`` run it; one process = one core.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_documents  # noqa: E402

from citygraph.pipeline import convert_files  # noqa: E402

__all__ = ["measure"]


def measure(count: int = 1000) -> dict[str, float]:
    """Convert ``count`` generated documents; the first one is a warm-up (lazy imports, index load)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_documents(count + 1, Path(tmp))
        convert_files(paths[:1])
        size = sum(p.stat().st_size for p in paths[1:]) / count
        start = time.perf_counter()
        converted, rejected = convert_files(paths[1:])
        seconds = time.perf_counter() - start
    return {"documents": count, "seconds": seconds, "docs_per_s": count / seconds, "mean_bytes": size,
            "converted": len(converted), "rejected": len(rejected)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    r = measure(args.count)
    print(f"{r['docs_per_s']:.1f} documents/second ({r['documents']} documents of "
          f"~{r['mean_bytes']:.0f} B in {r['seconds']:.1f} s on one core; "
          f"{r['converted']} converted, {r['rejected']} rejected)")


if __name__ == "__main__":
    main()
