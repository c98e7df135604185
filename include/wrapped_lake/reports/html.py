"""A Wrapped as one self-contained HTML page: story cards, inline CSS and SVG, nothing fetched."""

from __future__ import annotations

from dataclasses import asdict
from html import escape

from wrapped_lake.reports.record import BesideSpotify, Personality, Wrapped
from wrapped_lake.reports.windows import period

MONTHS = tuple("JFMAMJJASOND")
# What each personality letter says about a listener (Spotify's four axes).
LETTERS = {
    "F": ("Familiarity", "you go back to the artists you love"),
    "E": ("Exploration", "you keep finding artists you never heard"),
    "T": ("Timelessness", "your music is not about what came out this year"),
    "N": ("Newness", "you are on this year's releases"),
    "L": ("Loyalty", "you play your favourite songs again and again"),
    "V": ("Variety", "you rarely play the same song twice"),
    "C": ("Commonality", "you share your taste with many"),
    "U": ("Uniqueness", "you listen to what few others play"),
}
CSS = """
*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
background:#0b0b10;color:#f4f4f6}main{max-width:980px;margin:0 auto;padding:16px;display:grid;gap:16px;
grid-template-columns:repeat(auto-fit,minmax(280px,1fr))}.card{border-radius:22px;padding:22px 22px 18px;
overflow:hidden}.wide{grid-column:1/-1}h1{font-size:clamp(28px,6vw,48px);line-height:1.05;margin:0 0 8px}
h2{font-size:14px;letter-spacing:.12em;text-transform:uppercase;margin:0 0 12px;opacity:.85}
.big{font-size:clamp(44px,11vw,84px);font-weight:800;line-height:1;letter-spacing:-.02em}
.sub{opacity:.85}ol{margin:0;padding-left:1.4em}li{margin:6px 0}li b{display:block;font-size:18px}
li span,.small{font-size:13px;opacity:.8}.c1{background:linear-gradient(135deg,#1db954,#0d6b31)}
.c2{background:linear-gradient(135deg,#ff4b8b,#7b1fa2)}.c3{background:linear-gradient(135deg,#ffb000,#e65100);color:#1a1100}
.c4{background:linear-gradient(135deg,#3d5afe,#1a237e)}.c5{background:linear-gradient(135deg,#00bfa5,#004d40)}
.c6{background:#1c1c24}svg{width:100%;height:auto;display:block}svg text{fill:currentColor;font-size:20px}
.meter{height:10px;border-radius:5px;background:rgba(255,255,255,.2);margin:4px 0 10px}
.meter i{display:block;height:100%;border-radius:5px;background:#fff}table{width:100%;border-collapse:collapse}
td,th{padding:6px 4px;text-align:left;border-bottom:1px solid rgba(255,255,255,.15);font-size:14px}
footer{grid-column:1/-1;font-size:12px;opacity:.6;text-align:center;padding:8px}
"""


def name_html(value) -> str:
    """A name from the data as page text: escaped, and isolated so that a right-to-left mark in it
    (an unterminated U+202E) cannot reorder the figures around it."""
    return f"<bdi>{escape(str(value))}</bdi>"


def name_plain(value) -> str:
    """The same isolation where markup is not allowed (a page title, a select's option): the name
    between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, escaped."""
    return escape(f"\u2068{value}\u2069")


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _bars(values: list[float], labels: list[str], chart_id: str, title: str, color: str) -> str:
    """A bar chart as inline SVG (viewBox scaled, so it fits a phone and a laptop)."""
    width, height, pad = 600, 180, 26
    top = max(values, default=0) or 1
    step = width / len(values)
    parts = [
        f'<svg id="{chart_id}" viewBox="0 0 {width} {height + pad}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        bar = value / top * (height - 14)
        x = i * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{height - bar:.1f}" width="{step * 0.7:.1f}" height="{bar:.1f}" rx="3" '
            f'fill="{color}"><title>{escape(label)}: {value:,.0f} min</title></rect>'
        )
        if len(values) <= 12 or i % 3 == 0:  # every third hour: readable on a phone
            parts.append(
                f'<text x="{x + step * 0.35:.1f}" y="{height + 22}" text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _list(items: list[str]) -> str:
    return "<ol>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>"


def render_html(report: Wrapped, window: str = "calendar", beside: list[BesideSpotify] | None = None) -> str:
    """The page; every name is escaped and isolated (exports hold quotes, tags, newlines and
    right-to-left marks in names)."""
    r = report
    e = name_html
    cards = [
        f'<section class="card c1 wide" id="minutes"><h2>{e(r.listener)} · Wrapped {period(r.year)}</h2>'
        f'<div class="big">{_n(r.minutes_music)}</div><div class="sub">minutes of music'
        + (f" and {_n(r.minutes_podcast)} minutes of podcasts" if r.minutes_podcast else "")
        + f" · {_n(r.streams)} streams · {_n(r.distinct_artists)} artists</div>"
        + (
            f'<p class="sub" id="percentile">You listened more than <b>{r.percentile:.0f}%</b> of listeners.</p>'
            if r.percentile is not None
            else ""
        )
        + "</section>"
    ]
    if r.top_artists:
        first = r.top_artists[0]
        cards.append(
            f'<section class="card c2" id="top-artists"><h2>Top artists</h2><h1>{e(first.name)}</h1>'
            + _list(
                [f"<b>{e(a.name)}</b><span>{_n(a.minutes)} min · {a.streams} streams</span>" for a in r.top_artists]
            )
            + "</section>"
        )
    if r.top_tracks:
        cards.append(
            '<section class="card c4" id="top-tracks"><h2>Top songs</h2>'
            + _list(
                [
                    f"<b>{e(t.name)}</b><span>{e(t.artist or '')} · {t.streams} streams · "
                    f"{_n(t.minutes)} min · first {e(t.first_played)}</span>"
                    for t in r.top_tracks
                ]
            )
            + "</section>"
        )
    small = []
    if r.top_podcasts:
        p = r.top_podcasts[0]
        small.append(f"<h2>Top podcast</h2><h1>{e(p.name)}</h1><p class='sub'>{_n(p.minutes)} minutes</p>")
    if r.biggest_day:
        d = r.biggest_day
        day = d.date
        small.append(
            f"<h2>Biggest day</h2><h1>{day:%a %d %b}</h1><p class='sub'>{day.year} · {_n(d.minutes)} minutes</p>"
        )
    small.append(f"<h2>Longest streak</h2><h1>{r.longest_streak_days} days</h1><p class='sub'>in a row</p>")
    if r.top_new_artist:
        small.append(
            f"<h2>Top new artist</h2><h1>{e(r.top_new_artist.name)}</h1>"
            f"<p class='sub'>one of {r.new_artists} artists you found this year</p>"
        )
    cards.append('<section class="card c3" id="moments">' + "".join(small) + "</section>")
    cards.append(
        '<section class="card c6 wide"><h2>Minutes per month</h2>'
        + _bars(r.monthly_minutes, list(MONTHS), "months-chart", "Music minutes per month", "#1db954")
        + "<h2 style='margin-top:18px'>Listening clock</h2>"
        + _bars(r.listening_clock, [str(h) for h in range(24)], "clock-chart", "Music minutes by hour", "#ff4b8b")
        + "</section>"
    )
    if r.top_genres:
        cards.append(
            '<section class="card c5" id="genres"><h2>Top genres</h2>'
            + _list([f"<b>{e(g.name)}</b><span>{_n(g.minutes)} min</span>" for g in r.top_genres])
            + "</section>"
        )
    if r.audio_profile:
        meters = "".join(
            f"<div class='small'>{e(k)} {v:.2f}</div><div class='meter'><i style='width:{v * 100:.0f}%'></i></div>"
            for k, v in asdict(r.audio_profile).items()
            if k != "tempo"
        )
        cards.append(
            f'<section class="card c5" id="audio"><h2>Your sound</h2>{meters}'
            f"<div class='small'>tempo {r.audio_profile.tempo:.0f} BPM</div></section>"
        )
    if r.personality:
        cards.append(_personality_card(r.personality))
    if beside:
        cards.append(_spotify_card(beside))
    coverage = r.catalog_coverage
    footer = (
        (
            "Spotify's rules (mid-November cut-off)"
            if window == "spotify"
            else "Every year, months and hours added up"
            if r.year is None
            else "Calendar year"
        )
        + f" · days in {e(r.timezone)}"
        + (f" · catalog covers {coverage * 100:.0f}% of streams" if coverage is not None else "")
        + " · made by wrapped-lake from your own data"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{name_plain(r.listener)} · Wrapped {period(r.year)}</title><style>{CSS}</style></head>"
        f"<body><main>{''.join(cards)}<footer>{footer}</footer></main></body></html>\n"
    )


def _personality_card(p: Personality) -> str:
    code = p.code or "".join(a.letter or "?" for a in p.axes)
    title = p.name or "Your listening personality"
    rows = []
    for axis in p.axes:
        letter = axis.letter
        if letter is None:
            first, second = axis.axis.split("/")
            rows.append(f"<li><b>{LETTERS[first][0]} or {LETTERS[second][0]}?</b><span>needs a catalog</span></li>")
        else:
            word, meaning = LETTERS[letter]
            rows.append(f"<li><b>{letter} · {word}</b><span>{meaning} (score {axis.score:.2f})</span></li>")
    return (
        f'<section class="card c2" id="personality"><h2>Listening personality</h2><h1>{name_html(title)}</h1>'
        f'<p class="sub">{escape(code)}</p>{_list(rows)}</section>'
    )


def _spotify_card(beside: list[BesideSpotify]) -> str:
    rows = "".join(
        f"<tr><td>{escape(b.label)}</td><td>{name_html(_shown(b.lake))}</td><td>{name_html(_shown(b.spotify))}</td></tr>"
        for b in beside
    )
    return (
        '<section class="card c6 wide" id="spotify"><h2>Beside Spotify\'s own Wrapped</h2>'
        "<p class='small'>The lake counted by Spotify's rules: Jan 1 to its mid-November cut-off, plays of 30 s "
        "(podcasts 60 s) or more.</p>"
        f"<table><tr><th></th><th>the lake</th><th>Spotify</th></tr>{rows}</table></section>"
    )


def _shown(value) -> str:
    return "–" if value is None else str(value)
