"""Small sequence helpers of the aligner: runs of consecutive indices, and the
longest increasing subsequence (pairs outside it are the moved ones)."""

import bisect


def consecutive_runs(indices: list[int], max_length: int) -> list[tuple[int, ...]]:
    """Every run of 2..max_length consecutive numbers within the sorted ``indices``."""
    present = set(indices)
    found = []
    for start in indices:
        run = [start]
        while len(run) < max_length and run[-1] + 1 in present:
            run.append(run[-1] + 1)
            found.append(tuple(run))
    return found


def longest_increasing(values: list[int]) -> set[int]:
    """Positions in ``values`` of one longest strictly increasing subsequence."""
    tails: list[int] = []  # values ending the best run of each length
    ends: list[int] = []  # positions of those values
    previous: list[int] = [-1] * len(values)
    for position, value in enumerate(values):
        k = bisect.bisect_left(tails, value)
        previous[position] = ends[k - 1] if k else -1
        if k == len(tails):
            tails.append(value)
            ends.append(position)
        else:
            tails[k], ends[k] = value, position
    chosen, position = set(), ends[-1] if ends else -1
    while position != -1:
        chosen.add(position)
        position = previous[position]
    return chosen
