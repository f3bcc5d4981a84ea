import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest

from finsam.participants.charts import format_score, ors_chart_svg, progress_bar_svg
from finsam.participants.ratings import InvalidRating, RatingRules

SVG = "{http://www.w3.org/2000/svg}"
NBSP = "\u00a0"
POINTS = [
    (date(2025, 2, 3), Decimal(18)),
    (date(2025, 3, 3), Decimal("21.5")),
    (date(2025, 4, 7), Decimal(25)),
]
MALICIOUS = '</title><script>alert("x")</script><title>&'


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def points_of(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "ors-point"]


def test_chart_is_valid_xml_with_an_accessible_name_and_description():
    root = parse(ors_chart_svg(POINTS, cutoff=25, title="ORS för deltagare 12"))
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert title.tag == f"{SVG}title" and title.text == "ORS för deltagare 12"
    assert desc.tag == f"{SVG}desc"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    # The description carries the data for screen readers.
    assert "2025-02-03: 18" in desc.text and "2025-04-07: 25" in desc.text
    assert "Klinisk gräns 25" in desc.text


def test_every_point_is_drawn_and_labelled_with_its_value():
    root = parse(ors_chart_svg(POINTS, cutoff=25, title="ORS"))
    points = points_of(root)
    assert len(points) == 3
    assert [p.get("data-value") for p in points] == ["18", "21,5", "25"]
    for point in points:
        assert point.find(f"{SVG}circle") is not None
        assert "".join(point.find(f"{SVG}text").itertext()) == point.get("data-value")
    polyline = root.find(f"{SVG}polyline")
    assert len(polyline.get("points").split()) == 3


def test_points_are_placed_by_date_and_value():
    shuffled = [POINTS[2], POINTS[0], POINTS[1]]
    root = parse(ors_chart_svg(shuffled, cutoff=25, title="ORS"))
    circles = [p.find(f"{SVG}circle") for p in points_of(root)]
    xs = [Decimal(c.get("cx")) for c in circles]
    assert xs == sorted(xs) and len(set(xs)) == 3
    # 0–40 maps onto 260–60, five units per point: 18 → 170, 25 → 135.
    assert [Decimal(c.get("cy")) for c in circles] == [Decimal(170), Decimal("152.5"), 135]


def test_dates_on_the_axis_are_day_and_month():
    labels = texts(parse(ors_chart_svg(POINTS, cutoff=25, title="ORS")))
    assert {"03/02", "03/03", "07/04"} <= set(labels)


def test_y_axis_runs_from_0_to_40():
    labels = texts(parse(ors_chart_svg(POINTS, cutoff=25, title="ORS")))
    assert {"0", "10", "20", "30", "40"} <= set(labels)


def test_cutoff_is_a_dashed_labelled_line():
    root = parse(ors_chart_svg(POINTS, cutoff=Decimal(28), title="ORS"))
    (line,) = [n for n in root.iter(f"{SVG}line") if n.get("class") == "ors-cutoff"]
    assert line.get("stroke-dasharray")
    assert line.get("y1") == line.get("y2") == "120.0"  # 260 - 28 × 5
    assert "Klinisk gräns 28" in texts(root)


def test_reliable_improvement_is_written_out():
    points = [(date(2025, 1, 7), 18), (date(2025, 2, 4), 25)]
    root = parse(ors_chart_svg(points, cutoff=25, title="ORS"))
    assert "Tillförlitlig förbättring (+7)" in texts(root)
    assert "Tillförlitlig förbättring (+7)" in root[1].text


def test_reliable_deterioration_is_written_out_with_a_minus_sign():
    points = [(date(2025, 1, 7), "30"), (date(2025, 2, 4), "23,5")]
    labels = texts(parse(ors_chart_svg(points, cutoff=25, title="ORS")))
    assert "Tillförlitlig försämring (\u22126,5)" in labels


def test_no_marker_without_reliable_change_and_the_rules_decide():
    points = [(date(2025, 1, 7), 18), (date(2025, 2, 4), 22)]
    labels = texts(parse(ors_chart_svg(points, cutoff=25, title="ORS")))
    assert not any(label.startswith("Tillförlitlig") for label in labels)
    lenient = RatingRules(reliable_change_points=Decimal(4))
    labels = texts(parse(ors_chart_svg(points, cutoff=25, title="ORS", rules=lenient)))
    assert "Tillförlitlig förbättring (+4)" in labels


def test_malicious_title_is_escaped():
    svg = ors_chart_svg(POINTS, cutoff=25, title=MALICIOUS, chart_id="c1")
    root = parse(svg)
    assert root[0].text == MALICIOUS
    assert MALICIOUS in texts(root)  # the visible title too, as text
    assert not list(root.iter(f"{SVG}script")) and "<script" not in svg


def test_an_unsafe_chart_id_is_refused():
    with pytest.raises(ValueError):
        ors_chart_svg(POINTS, cutoff=25, title="ORS", chart_id='x" onload="alert(1)')


def test_chart_ids_keep_two_charts_on_a_page_apart():
    root = parse(ors_chart_svg(POINTS, cutoff=25, title="ORS", chart_id="participant-7"))
    assert root[0].get("id") == "participant-7-title"


def test_a_chart_without_ratings_says_so():
    root = parse(ors_chart_svg([], cutoff=25, title="ORS"))
    assert points_of(root) == []
    assert "Inga ORS-skattningar ännu." in texts(root)
    assert "Inga ORS-skattningar ännu." in root[1].text


def test_one_rating_or_same_day_ratings_are_centred():
    root = parse(ors_chart_svg([(date(2025, 1, 7), 18)], cutoff=25, title="ORS"))
    assert points_of(root)[0].find(f"{SVG}circle").get("cx") == "336"


def test_many_sessions_do_not_crowd_the_date_axis():
    points = [(date(2025, 1, 1 + day), 20) for day in range(30)]
    root = parse(ors_chart_svg(points, cutoff=25, title="ORS"))
    assert len(points_of(root)) == 30
    date_labels = [t for t in texts(root) if "/" in t]
    assert 2 <= len(date_labels) <= 11
    assert "30/01" in date_labels  # the last date is always shown


def test_scores_outside_the_scale_are_refused():
    with pytest.raises(InvalidRating):
        ors_chart_svg([(date(2025, 1, 1), 41)], cutoff=25, title="ORS")
    with pytest.raises(InvalidRating):
        ors_chart_svg([(date(2025, 1, 1), 20.5)], cutoff=25, title="ORS")  # type: ignore[list-item]


def test_chart_is_black_and_white_friendly():
    svg = ors_chart_svg(POINTS, cutoff=25, title="ORS")
    colours = {
        node.get(attribute)
        for node in parse(svg).iter()
        for attribute in ("fill", "stroke")
        if node.get(attribute) not in (None, "none")
    }
    # Greys only: every colour has equal red, green and blue.
    assert all(c[1:3] == c[3:5] == c[5:7] for c in colours), colours


def test_progress_bar_shows_value_against_target():
    root = parse(progress_bar_svg(18, 30))
    assert root.get("role") == "img"
    assert root[0].tag == f"{SVG}title"
    assert root[0].text == f"Måluppfyllelse: 18 av 30 (60{NBSP}%)"
    (fill,) = [n for n in root.iter(f"{SVG}rect") if n.get("class") == "progress-fill"]
    assert fill.get("width") == "96.0"  # 60 % of 160
    assert f"18 av 30 (60{NBSP}%)" in texts(root)


def test_progress_bar_above_target_is_full_and_says_so():
    root = parse(progress_bar_svg(36, 30))
    (fill,) = [n for n in root.iter(f"{SVG}rect") if n.get("class") == "progress-fill"]
    assert fill.get("width") == "160.0"
    assert f"36 av 30 (120{NBSP}%)" in texts(root)


def test_progress_bar_for_a_share_goal():
    root = parse(progress_bar_svg(Decimal("78.5"), 85, unit="%"))
    assert f"78,5{NBSP}% av 85{NBSP}% (92{NBSP}%)" in texts(root)


def test_progress_bar_escapes_its_title_and_checks_its_numbers():
    root = parse(progress_bar_svg(0, 30, title=MALICIOUS, chart_id="goal-1"))
    assert root[0].text == MALICIOUS
    with pytest.raises(ValueError):
        progress_bar_svg(5, 0)
    with pytest.raises(ValueError):
        progress_bar_svg(-1, 10)
    with pytest.raises(TypeError):
        progress_bar_svg(0.5, 10)  # type: ignore[arg-type]


def test_format_score_is_swedish():
    assert format_score(Decimal("7.50")) == "7,5"
    assert format_score(Decimal("25.0")) == "25"
