"""Seeded positions for the explorer, computed in Python so the page opens laid out.

Entities are laid out in groups: a state's country node with the entities folded into it
(its government, military, officials, groups), or an entity alone. The groups are placed
by a force layout of the links between them (ForceAtlas2, which pulls linked groups
together and pushes the rest apart, so communities separate instead of forming one ball;
spring layout for small components, where networkx's ForceAtlas2 can leave a hub at one
end), one connected component at a time, pushed apart until no two groups overlap, and the
components are packed in rows, biggest first. Inside a group the country node sits in the
middle and the others on a sunflower spiral around it, most active nearest. The state view
and the entity view share these positions: a state node stands where its country is, and
expanding it shows its parts where the entity view draws them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

import networkx as nx
import numpy as np

__all__ = ["group_layout"]

_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_GAP = 18.0  # pixels kept free between two groups (and around a group's members) for labels
_SPRING_BELOW = 40  # networkx's ForceAtlas2 can leave a small component's hub at one end: spring below this
_FA2_LIMIT = 1200  # networkx's ForceAtlas2 holds an n x n x 2 array: above this, the blocked layout below
_PAD = 40.0  # pixels around each packed component


def group_layout(
    sizes: Sequence[float],
    group: Sequence[int],
    pairs: Mapping[tuple[int, int], int],
    *,
    seed: int = 7,
) -> list[tuple[int, int]]:
    """Pixel positions of nodes ``0..n-1``: the same input and seed give the same positions.

    Parameters
    ----------
    sizes
        Each node's radius in pixels.
    group
        Each node's group: the id of the node it is folded into (its state's country node),
        or -1 for a node that stands alone (a country node is its own group's centre).
    pairs
        ``(a, b) -> weight``: the links between nodes (how many events join them).
    seed
        Seed of the force layout.

    Returns
    -------
    list of (int, int)
        Nodes in no link, and in no group with a linked member, are placed at (0, 0): they are
        not drawn.

    Examples
    --------
    >>> group_layout([10, 10, 10], [-1, 0, -1], {(1, 2): 1})
    [(-101, 0), (-63, 0), (101, 0)]
    """
    n = len(sizes)
    positions = np.zeros((n, 2))
    if n == 0:
        return []
    key = [g if g >= 0 else i for i, g in enumerate(group)]
    members: dict[int, list[int]] = defaultdict(list)
    for i, k in enumerate(key):
        members[k].append(i)
    linked = {i for pair in pairs for i in pair}
    groups = sorted(k for k, m in members.items() if any(i in linked for i in m))
    if not groups:
        return [(0, 0)] * n
    offsets, radius = {}, {}
    for k in groups:
        offsets[k], radius[k] = _group_offsets(k, members[k], sizes)
    weights: dict[tuple[int, int], int] = defaultdict(int)
    for (a, b), weight in pairs.items():
        ga, gb = key[a], key[b]
        if ga != gb:
            weights[(min(ga, gb), max(ga, gb))] += weight
    g = nx.Graph()
    g.add_nodes_from(groups)
    for (a, b), weight in sorted(weights.items()):
        g.add_edge(a, b, weight=1.0 + math.log(weight))
    components = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    centres: dict[int, np.ndarray] = {}
    placed = []  # each component with its bounding box (of its groups' discs), padded
    for component in components:
        r = np.array([radius[k] for k in component])
        local = _component_layout(g, component, r, seed)
        low, high = (local - r[:, None]).min(axis=0) - _PAD, (local + r[:, None]).max(axis=0) + _PAD
        placed.append((component, local - low, high - low))
    row_width = max(float(placed[0][2][0]), 1.5 * math.sqrt(sum(float(w * h) for _, _, (w, h) in placed)))
    x = y = row_height = 0.0
    for component, local, (width, height) in placed:  # shelves, biggest component first
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for k, point in zip(component, local, strict=True):
            centres[k] = point + (x, y)
        x += width
        row_height = max(row_height, float(height))
    for k in groups:
        for i, offset in offsets[k].items():
            positions[i] = centres[k] + offset
    drawn = [i for k in groups for i in members[k]]
    middle = (positions[drawn].min(axis=0) + positions[drawn].max(axis=0)) / 2
    positions[drawn] -= middle
    return [(int(round(px)), int(round(py))) for px, py in positions]


def _group_offsets(centre: int, members: list[int], sizes: Sequence[float]) -> tuple[dict[int, np.ndarray], float]:
    """Each member's place relative to the group's centre, and the group's radius."""
    others = sorted((i for i in members if i != centre), key=lambda i: (-sizes[i], i))
    out = {centre: np.zeros(2)}
    if not others:
        return out, float(sizes[centre])
    biggest = max(sizes[i] for i in others)
    step = (2 * biggest + _GAP) / 1.7  # a sunflower's neighbours sit about 1.7 steps apart
    inner = sizes[centre] + biggest + _GAP
    for k, i in enumerate(others):
        r = inner + step * math.sqrt(k)
        out[i] = np.array([r * math.cos(k * _GOLDEN_ANGLE), r * math.sin(k * _GOLDEN_ANGLE)])
    return out, inner + step * math.sqrt(len(others) - 1) + biggest


def _component_layout(g: nx.Graph, component: list[int], radius: np.ndarray, seed: int) -> np.ndarray:
    """Centres of one component's groups, in pixels, centred on 0, no two groups overlapping."""
    m = len(component)
    if m == 1:
        return np.zeros((1, 2))
    sub = nx.Graph()
    local = {k: i for i, k in enumerate(component)}
    sub.add_nodes_from(range(m))
    sub.add_weighted_edges_from(sorted((local[a], local[b], w) for a, b, w in g.edges(component, data="weight")))
    if m == 2:
        coords = np.array([[-1.0, 0.0], [1.0, 0.0]])
    elif m < _SPRING_BELOW:
        pos = nx.spring_layout(sub, seed=seed, weight="weight", iterations=200)
        coords = np.array([pos[i] for i in range(m)], dtype=float)
    elif m <= _FA2_LIMIT:
        # Compared on screenshots of a 300-document corpus: distributed attraction ("dissuade hubs")
        # with gravity 3 fills the drawing evenly and leaves room for the most labels (93 against
        # 75 for the defaults and 47 for spring_layout, which piles the core into a ball).
        pos = nx.forceatlas2_layout(sub, seed=seed, weight="weight", max_iter=150, gravity=3.0, distributed_action=True)
        coords = np.array([pos[i] for i in range(m)], dtype=float)
    else:
        coords = large_layout(sub, seed)
    coords = coords - coords.mean(axis=0)
    # Scale so that the groups' discs would fill about half of the drawing, then push apart what overlaps.
    spread = float(np.sqrt((coords**2).sum(axis=1).mean())) or 1.0
    target = math.sqrt(2 * float(((radius + _GAP) ** 2).sum()))
    coords *= target / spread
    return _separate(coords, radius + _GAP / 2)


def _separate(coords: np.ndarray, radius: np.ndarray, rounds: int = 60) -> np.ndarray:
    """Move overlapping discs apart along the line joining them, a few rounds (deterministic)."""
    m = len(coords)
    if m > 1500:
        return coords
    if m > 400:
        rounds = 25  # each round is O(m^2): big components get fewer
    pos = coords + 1e-3 * np.stack([np.cos(np.arange(m)), np.sin(np.arange(m))], axis=1)
    need = (radius[:, None] + radius[None, :]).astype(np.float32)
    np.fill_diagonal(need, 0.0)
    for _ in range(rounds):
        x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        dist = np.sqrt(dx * dx + dy * dy)
        np.maximum(dist, 1e-6, out=dist)
        push = need - dist
        if push.max() <= 0.5:
            break
        np.maximum(push, 0.0, out=push)
        push /= 2 * dist
        pos[:, 0] += (dx * push).sum(axis=1)
        pos[:, 1] += (dy * push).sum(axis=1)
    return pos


def large_layout(g: nx.Graph, seed: int, iterations: int = 50) -> np.ndarray:
    """Fruchterman-Reingold as in networkx's dense version, without scipy and in row blocks.

    networkx's ``spring_layout`` switches to a scipy sparse solver at 500 nodes, and its
    ForceAtlas2 holds an n x n array; kg depends on neither scipy nor that much memory, so
    big graphs use this (O(n^2) time per iteration, O(n * block) memory).

    Examples
    --------
    >>> large_layout(nx.path_graph(3), seed=1).shape
    (3, 2)
    """
    n = g.number_of_nodes()
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    src = np.array([a for a, _, _ in g.edges(data="weight")], dtype=np.intp)
    dst = np.array([b for _, b, _ in g.edges(data="weight")], dtype=np.intp)
    weight = np.array([w for _, _, w in g.edges(data="weight", default=1.0)], dtype=float)
    k = math.sqrt(1.0 / n)
    t = 0.1
    dt = t / (iterations + 1)
    block = 256
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)  # float32: half the memory traffic
        for start in range(0, n, block):
            dx = x[start : start + block, None] - x[None, :]
            dy = y[start : start + block, None] - y[None, :]
            push = dx * dx
            push += dy * dy
            np.maximum(push, 1e-4, out=push)
            np.divide(k * k, push, out=push)
            dx *= push
            dy *= push
            disp[start : start + block, 0] = dx.sum(axis=1)
            disp[start : start + block, 1] = dy.sum(axis=1)
        if len(src):
            delta = pos[src] - pos[dst]
            dist = np.clip(np.linalg.norm(delta, axis=1), 0.01, None)
            pull = delta * (weight * dist / k)[:, None]
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        length = np.clip(np.linalg.norm(disp, axis=1), 0.01, None)
        pos += disp * (t / length)[:, None]
        t -= dt
    return pos
