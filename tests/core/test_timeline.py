"""The SVG timeline: bars where their minutes say, hour ticks, breaks shaded, no style attribute."""

from __future__ import annotations

from django.template.loader import render_to_string

from titrepro.core.timeline import CHART_WIDTH, LABEL_WIDTH, Bar, Row, day_timeline


def test_bars_sit_at_their_minutes_and_long_labels_are_left_for_the_hover_title():
    rows = [
        Row("Chloé MOREAU", (Bar(510, 600, "Manipulations · P1", "8 h 30 – 10 h 00 Manipulations", "workstation"),)),
        Row(
            "Karim BENALI",
            (Bar(615, 630, "un libellé bien trop long pour un quart d’heure", "10 h 15", "busy"),),
            "jury",
        ),
    ]
    timeline = day_timeline(rows, 510, 1050, ((720, 780),))  # 8:30-17:30, lunch 12:00-13:00
    first = timeline.rows[0].bars[0]
    assert first.x == LABEL_WIDTH
    assert round(first.width, 1) == round(CHART_WIDTH * 90 / 540, 1)
    assert first.label == "Manipulations · P1"
    assert timeline.rows[1].bars[0].label == ""  # 15 minutes: too narrow for its words
    assert timeline.rows[1].y > timeline.rows[0].y + 26  # another group, a gap before it
    assert [tick.label for tick in timeline.ticks] == [f"{h} h" for h in range(9, 18)]
    assert round(timeline.breaks[0].x, 1) == round(LABEL_WIDTH + CHART_WIDTH * 210 / 540, 1)


def test_the_drawing_has_no_style_attribute_and_names_its_table():
    timeline = day_timeline([Row("A", (Bar(540, 600, "x", "A <b>", "jury"),))], 510, 1050)
    html = render_to_string(
        "core/includes/timeline.html", {"timeline": timeline, "id": "t1", "caption": "Voir le tableau."}
    )
    assert "style=" not in html
    assert 'aria-labelledby="t1-caption"' in html
    assert "<title>A &lt;b&gt;</title>" in html
