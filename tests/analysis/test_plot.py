"""Tests of kg.analysis.plot: the data on the figures' axes, the files written, and the atomic write.

Uses the hand-made graph of test_stats.py (its docstring lists the events).
"""

from __future__ import annotations

import os

import pytest
from analysis_graph import analysis_graph
from matplotlib.figure import Figure
from rdflib import Graph

from kg.analysis.plot import TYPE_COLOURS, activity_figure, balance_figure, figure_format, save_figure
from kg.analysis.stats import QUAD_CLASSES, ActorNotFoundError, AmbiguousActorError
from kg.errors import OutputError
from kg.graph import build_graph
from kg.vocab import QUAD_COLOURS

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return analysis_graph()


@pytest.fixture(scope="module")
def balance(graph: Graph) -> Figure:
    return balance_figure(graph, "Atlantis")


@pytest.fixture(scope="module")
def activity(graph: Graph) -> Figure:
    return activity_figure(graph)


def _heights(container) -> list[int]:
    return [int(bar.get_height()) for bar in container]


def _bottoms(container) -> list[int]:
    return [int(bar.get_y()) for bar in container]


def _ticks(ax) -> list[str]:
    return [t.get_text() for t in ax.get_xticklabels()]


# --------------------------------------------------------------------------- balance_figure


def test_balance_figure_line_is_monthly_score_sum(balance):
    top, _ = balance.axes
    assert top.lines[0].get_ydata().tolist() == [-0.5, 0.0, 10.0]
    assert top.lines[0].get_xdata().tolist() == [0, 1, 2]
    assert list(top.lines[1].get_ydata()) == [0.0, 0.0]  # the zero line


def test_balance_figure_bars_count_events_by_quad_class(balance):
    _, bottom = balance.axes
    assert [c.get_label() for c in bottom.containers] == list(QUAD_CLASSES)
    assert {c.get_label(): _heights(c) for c in bottom.containers} == {
        "verbal-cooperation": [1, 0, 0],
        "material-cooperation": [0, 0, 1],
        "verbal-conflict": [1, 0, 0],
        "material-conflict": [0, 0, 0],
    }
    # stacked: verbal-conflict sits on verbal-cooperation and material-cooperation
    assert _bottoms(bottom.containers[2]) == [1, 0, 1]
    assert bottom.containers[0][0].get_facecolor() == pytest.approx((0x2C / 255, 0xA0 / 255, 0x2C / 255, 1.0))
    assert QUAD_COLOURS["verbal-cooperation"] == "#2ca02c"


def test_balance_figure_months_title_and_note(balance):
    _, bottom = balance.axes
    assert _ticks(bottom) == ["2025-01", "2025-02", "2025-03"]
    assert balance.get_suptitle() == "Conflict–cooperation balance: Atlantis with everyone"
    assert bottom.get_xlabel() == (
        "month\n3 events, asserted and intended only; 1 event without a month left out"
    )


def test_balance_figure_pair_of_actors(graph):
    fig = balance_figure(graph, "Atlantean Republic", "borduria")
    top, bottom = fig.axes
    assert top.lines[0].get_ydata().tolist() == [-0.5]
    assert {c.get_label(): _heights(c) for c in bottom.containers}["verbal-conflict"] == [1]
    assert fig.get_suptitle() == "Conflict–cooperation balance: Atlantis and Borduria"


def test_balance_figure_no_dated_events_says_so(graph):
    fig = balance_figure(graph, "Alex Varga", "Bela Varga")
    top, bottom = fig.axes
    assert (len(top.lines), len(bottom.containers)) == (0, 0)
    assert [t.get_text() for t in top.texts] == ["no dated asserted or intended events"]
    assert bottom.get_xlabel() == "month\n0 events, asserted and intended only; 1 event without a month left out"


def test_balance_figure_unknown_actor_raises(graph):
    with pytest.raises(ActorNotFoundError, match="^no actor named 'Atlantys' .*did you mean 'Atlantis'"):
        balance_figure(graph, "Atlantys")


def test_balance_figure_ambiguous_actor_raises(graph):
    with pytest.raises(AmbiguousActorError, match="^the name 'Varga' fits 2 actors: Alex Varga"):
        balance_figure(graph, "Varga")


# --------------------------------------------------------------------------- activity_figure


def test_activity_figure_stacked_bars_by_type_and_month(activity):
    (ax,) = activity.axes
    assert [c.get_label() for c in ax.containers] == ["CONSULT", "AID", "ACCUSE", "THREATEN", "PROTEST"]
    assert {c.get_label(): _heights(c) for c in ax.containers} == {
        "CONSULT": [1, 0, 0], "AID": [0, 0, 1], "ACCUSE": [1, 0, 0], "THREATEN": [0, 1, 0], "PROTEST": [0, 0, 1],
    }
    assert _bottoms(ax.containers[4]) == [2, 1, 1]  # PROTEST on CONSULT+AID+ACCUSE+THREATEN
    assert _ticks(ax) == ["2025-01", "2025-02", "2025-03"]


def test_activity_figure_title_and_note(activity):
    (ax,) = activity.axes
    assert ax.get_title() == "Events by type and month"
    assert ax.get_xlabel() == "month\n5 events, asserted and intended only; 2 events without a month left out"


def test_activity_figure_empty_graph_no_bars():
    (ax,) = activity_figure(build_graph([])).axes
    assert ax.containers == []
    assert [t.get_text() for t in ax.texts] == ["no dated asserted or intended events"]
    assert ax.get_xlabel() == "month\n0 events, asserted and intended only"


def test_type_colours_one_per_type_shades_of_quad_colour():
    assert len(TYPE_COLOURS) == 16 == len(set(TYPE_COLOURS.values()))
    assert TYPE_COLOURS["AGREE"] == QUAD_COLOURS["verbal-cooperation"]
    assert TYPE_COLOURS["PROTEST"] == QUAD_COLOURS["material-conflict"]


# --------------------------------------------------------------------------- save_figure


def test_save_figure_png_magic_bytes(activity, tmp_path):
    path = save_figure(activity, tmp_path / "activity.png")
    assert path == tmp_path / "activity.png"
    assert path.read_bytes()[:8] == PNG
    assert sorted(p.name for p in tmp_path.iterdir()) == ["activity.png"]


def test_save_figure_svg_is_svg_with_the_title(balance, tmp_path):
    data = save_figure(balance, tmp_path / "balance.svg").read_bytes()
    assert data.startswith(b"<?xml") and b"<svg" in data[:1000] and data.rstrip().endswith(b"</svg>")
    assert b"Conflict\xe2\x80\x93cooperation balance: Atlantis with everyone" in data


def test_save_figure_format_option_overrides_extension(activity, tmp_path):
    path = save_figure(activity, tmp_path / "figure.out", format="pdf")
    assert path.read_bytes()[:5] == b"%PDF-"


def test_save_figure_unknown_extension_raises_and_writes_nothing(activity, tmp_path):
    target = tmp_path / "activity.gif"
    with pytest.raises(OutputError) as info:
        save_figure(activity, target)
    assert str(info.value) == f"{target}: cannot write a figure with extension '.gif'; use .png, .svg or .pdf"
    assert list(tmp_path.iterdir()) == []


def test_figure_format_from_extension_or_option():
    assert [figure_format(p) for p in ("a.png", "b.SVG", "c.pdf")] == ["png", "svg", "pdf"]
    assert figure_format("a.png", "svg") == "svg"
    with pytest.raises(OutputError, match="cannot write a figure with format 'jpeg'"):
        figure_format("a.png", "jpeg")


def test_save_figure_missing_directory_raises_output_error(activity, tmp_path):
    with pytest.raises(OutputError, match="cannot write .*An earlier file, if any, is unchanged$"):
        save_figure(activity, tmp_path / "missing" / "activity.png")


def test_save_figure_failure_keeps_old_file_and_leaves_no_temp(activity, tmp_path, monkeypatch):
    target = tmp_path / "activity.png"
    target.write_bytes(b"old figure")

    def full_disk(file, **kwargs):
        file.write(b"half a figure")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(activity, "savefig", full_disk)
    with pytest.raises(OutputError) as info:
        save_figure(activity, target)
    assert str(info.value) == (
        f"{target}: cannot write the figure (No space left on device); check that the directory exists and is "
        "writable. An earlier file, if any, is unchanged"
    )
    assert target.read_bytes() == b"old figure"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["activity.png"]


def test_save_figure_render_error_keeps_old_file_and_propagates(activity, tmp_path, monkeypatch):
    target = tmp_path / "activity.svg"
    target.write_bytes(b"old figure")

    def broken(file, **kwargs):
        file.write(b"<?xml")
        raise ValueError("cannot render")

    monkeypatch.setattr(activity, "savefig", broken)
    with pytest.raises(ValueError, match="^cannot render$"):
        save_figure(activity, target)
    assert target.read_bytes() == b"old figure"
    assert os.listdir(tmp_path) == ["activity.svg"]
