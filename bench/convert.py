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

from citygraph.pipeline import convert_file, convert_files  # noqa: E402
from citygraph.text import DocumentError  # noqa: E402

__all__ = ["measure"]


def measure(count: int = 1000) -> dict[str, float]:
    """Convert ``count`` generated documents; the first one is a warm-up (lazy imports, index load).

    Two figures: the converter alone (read, clean, extract, mint RDF: `citygraph.pipeline.convert_file`
    with `check=False`), and the whole `convert_files` path with SHACL validation of every document.
    CPU time of this process, so that other work on the machine does not count.
    """
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_documents(count + 1, Path(tmp))
        convert_files(paths[:1])
        size = sum(p.stat().st_size for p in paths[1:]) / count
        start = time.process_time()
        for path in paths[1:]:
            try:
                convert_file(path, check=False)
            except DocumentError:
                pass
        convert_s = time.process_time() - start
        start = time.process_time()
        converted, rejected = convert_files(paths[1:])
        validated_s = time.process_time() - start
    return {
        "documents": count,
        "seconds": convert_s,
        "docs_per_s": count / convert_s,
        "mean_bytes": size,
        "validated_docs_per_s": count / validated_s,
        "converted": len(converted),
        "rejected": len(rejected),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    r = measure(args.count)
    print(
        f"converter: {r['docs_per_s']:.1f} documents/second ({r['documents']} documents of "
        f"~{r['mean_bytes']:.0f} B, {r['seconds']:.1f} s CPU on one core; target 200)"
    )
    print(
        f"with per-document SHACL validation: {r['validated_docs_per_s']:.1f} documents/second "
        f"({r['converted']} valid, {r['rejected']} rejected)"
    )


if __name__ == "__main__":
    main()
