"""Where the node's CPU went, from `perf script` output (bench/profile/profile-node.sh perf): each sample is
counted once, for the first category (NAME=REGEX arguments, in order) that one of its frames matches,
looking from the leaf up; then the busiest leaf functions. Usage: perf_breakdown.py OUT.txt [NAME=REGEX ...]"""
import re
import sys
from collections import Counter


def frames_of(block):
    lines = block.strip().split("\n")
    return [re.sub(r"^\s*[0-9a-f]+\s+", "", l).rsplit(" (", 1)[0] for l in lines[1:]]


def main():
    path = sys.argv[1]
    categories = [(a.split("=", 1)[0], re.compile(a.split("=", 1)[1])) for a in sys.argv[2:] if "=" in a]
    blocks = [b for b in open(path).read().split("\n\n") if b.strip()]
    by_category, leaves = Counter(), Counter()
    for block in blocks:
        frames = frames_of(block)
        if not frames:
            continue
        leaves[frames[0][:150]] += 1
        for name, pattern in categories:
            if any(pattern.search(f) for f in frames):
                by_category[name] += 1
                break
        else:
            by_category["other"] += 1
    total = len(blocks)
    print(f"samples: {total}")
    for name, n in by_category.most_common():
        print(f"  {100 * n / total:5.1f}%  {name}")
    print("\nbusiest leaf functions:")
    for name, n in leaves.most_common(40):
        print(f"  {100 * n / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
