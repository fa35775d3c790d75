"""Tests of the explorer's layout: groups around their country, apart from each other, seeded."""

from __future__ import annotations

import math

import networkx as nx

from kg.draw.layout import group_layout, large_layout


def _two_states() -> tuple[list[float], list[int], dict[tuple[int, int], int]]:
    """Two states (0 and 4) with three parts each, an organisation (8) linked to both, a loner (9)."""
    sizes = [20.0, 10.0, 10.0, 10.0, 20.0, 10.0, 10.0, 10.0, 12.0, 8.0]
    group = [-1, 0, 0, 0, -1, 4, 4, 4, -1, -1]
    pairs = {(0, 4): 5, (1, 5): 2, (2, 3): 1, (6, 7): 1, (0, 8): 3, (4, 8): 3, (3, 8): 1}
    return sizes, group, pairs


def test_group_layout_places_parts_around_their_country_within_the_group():
    sizes, group, pairs = _two_states()
    pos = group_layout(sizes, group, pairs)
    for centre, parts in ((0, (1, 2, 3)), (4, (5, 6, 7))):
        for part in parts:
            gap = math.dist(pos[centre], pos[part])
            assert sizes[centre] + sizes[part] <= gap <= 120  # close to its state, not on top of it
    assert math.dist(pos[1], pos[2]) >= sizes[1] + sizes[2]


def test_group_layout_keeps_groups_apart():
    sizes, group, pairs = _two_states()
    pos = group_layout(sizes, group, pairs)
    state_a, state_b = (0, 1, 2, 3), (4, 5, 6, 7)
    nearest = min(math.dist(pos[i], pos[j]) - sizes[i] - sizes[j] for i in state_a for j in state_b)
    assert nearest >= 18  # the gap left for labels between groups
    for i in state_a + state_b:
        assert math.dist(pos[i], pos[8]) >= sizes[i] + sizes[8]


def test_group_layout_puts_unlinked_nodes_at_the_origin_and_centres_the_rest():
    sizes, group, pairs = _two_states()
    pos = group_layout(sizes, group, pairs)
    assert pos[9] == (0, 0)  # the loner has no link: it is not drawn
    xs, ys = [p[0] for p in pos[:9]], [p[1] for p in pos[:9]]
    assert abs(min(xs) + max(xs)) <= 1 and abs(min(ys) + max(ys)) <= 1


def test_group_layout_is_seeded():
    sizes, group, pairs = _two_states()
    pairs = {**pairs, (2, 6): 1, (1, 7): 4, (3, 5): 2}
    assert group_layout(sizes, group, pairs, seed=3) == group_layout(sizes, group, pairs, seed=3)
    assert group_layout(sizes, group, pairs, seed=3) != group_layout(sizes, group, pairs, seed=4)


def test_group_layout_packs_components_without_overlap():
    sizes = [10.0] * 12
    group = [-1] * 12
    pairs = {(0, 1): 1, (1, 2): 1, (2, 0): 1, (3, 4): 1, (5, 6): 1, (7, 8): 2, (8, 9): 1, (10, 11): 1}
    pos = group_layout(sizes, group, pairs)
    assert len(set(pos)) == 12
    assert min(math.dist(pos[i], pos[j]) for i in range(12) for j in range(i + 1, 12)) >= 20


def test_group_layout_of_nothing():
    assert group_layout([], [], {}) == []
    assert group_layout([5.0, 5.0], [-1, -1], {}) == [(0, 0), (0, 0)]


def test_large_layout_spreads_a_path_without_scipy():
    pos = large_layout(nx.path_graph(30), seed=1)
    assert pos.shape == (30, 2)
    assert len({(round(x, 6), round(y, 6)) for x, y in pos}) == 30
