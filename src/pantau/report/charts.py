"""Charts a researcher can publish: Altair specs rendered offline by vl-convert (SVG inline in
the report, SVG + PNG files with `--figures`). Labelled axes; each candidate keeps one colour
across every chart (pantau.toml `color`, else the default palette).

Every builder takes plain DataFrames (usually straight from an analysis_* table) and a Palette,
so the web app can draw the same figures from the same tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from ..analysis.base import platform_name
from .i18n import t

alt.data_transformers.disable_max_rows()  # charts get aggregates; sizes are bounded

WIDTH = 620
# Vega locales: Indonesian numbers (1.234,5) and month names; English otherwise.
FORMAT_LOCALE = {
    "id": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
}
TIME_LOCALE = {
    "id": {"dateTime": "%A, %e %B %Y %X", "date": "%d/%m/%Y", "time": "%H:%M:%S",
           "periods": ["AM", "PM"],
           "days": ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
           "shortDays": ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
           "months": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
                      "Agustus", "September", "Oktober", "November", "Desember"],
           "shortMonths": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep",
                           "Okt", "Nov", "Des"]},
}
DATE_AXIS = alt.Axis(format="%d %b", labelAngle=0)
SENTIMENT_COLORS = {"negative": "#d7301f", "neutral": "#bdbdbd", "positive": "#238b45"}
PHASE_COLORS = ("#fee8c8", "#e5f5e0", "#deebf7", "#fde0dd", "#efedf5", "#f0f0f0", "#fff7bc")


@dataclass
class Palette:
    """Candidate ids -> display labels and colours, in ballot order."""

    labels: dict[str, str] = field(default_factory=dict)
    colors: dict[str, str] = field(default_factory=dict)

    def label(self, candidate_id) -> str:
        if candidate_id is None or candidate_id != candidate_id:  # None or NaN
            return "—"
        return self.labels.get(candidate_id, str(candidate_id))

    def scale(self) -> alt.Scale:
        return alt.Scale(domain=list(self.labels.values()),
                         range=[self.colors[c] for c in self.labels])

    def color(self, lang: str, field_name: str = "candidate") -> alt.Color:
        return alt.Color(f"{field_name}:N", scale=self.scale(),
                         title=t(lang, "candidate"), sort=list(self.labels.values()))

    def with_labels(self, df: pd.DataFrame, column: str = "candidate_id") -> pd.DataFrame:
        out = df.copy()
        out["candidate"] = out[column].map(self.label)
        if "platform" in out.columns:
            out["platform"] = out["platform"].map(platform_name)
        return out


def _base(df: pd.DataFrame) -> alt.Chart:
    return alt.Chart(df).properties(width=WIDTH)


def configure(chart) -> alt.Chart:
    return (chart.configure_axis(labelFontSize=11, titleFontSize=12, labelLimit=260)
            .configure_legend(labelFontSize=11, titleFontSize=12, labelLimit=260)
            .configure_view(stroke=None))


# -- activity -----------------------------------------------------------------------------

def posts_per_week_chart(activity: pd.DataFrame, palette: Palette, lang: str) -> alt.Chart:
    df = palette.with_labels(
        activity.groupby(["candidate_id", "platform"], as_index=False)["posts_per_week"].sum())
    return _base(df).mark_bar().encode(
        x=alt.X("platform:N", title=t(lang, "platform"), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("candidate:N", sort=list(palette.labels.values())),
        y=alt.Y("posts_per_week:Q", title=t(lang, "posts_per_week")),
        color=palette.color(lang),
        tooltip=["candidate", "platform", alt.Tooltip("posts_per_week:Q", format=".1f")],
    ).properties(height=260)


def media_mix_chart(activity: pd.DataFrame, palette: Palette, lang: str,
                    media: tuple[str, ...]) -> alt.Chart:
    long = activity[["candidate_id", "platform", *media]].melt(
        id_vars=["candidate_id", "platform"], var_name="media", value_name="posts")
    long = long.groupby(["candidate_id", "platform", "media"], as_index=False)["posts"].sum()
    long = palette.with_labels(long[long["posts"] > 0])
    long["group"] = long["candidate"] + " · " + long["platform"]
    return _base(long).mark_bar().encode(
        y=alt.Y("group:N", title=None),
        x=alt.X("sum(posts):Q", stack="normalize", title=t(lang, "share"),
                axis=alt.Axis(format="%")),
        color=alt.Color("media:N", title=t(lang, "media_mix"),
                        scale=alt.Scale(scheme="set2")),
        tooltip=["candidate", "platform", "media", "posts"],
    ).properties(height=alt.Step(22))


def posting_hours_chart(times: pd.DataFrame, lang: str) -> alt.Chart:
    days = t(lang, "weekdays").split(",")
    df = times.groupby(["weekday", "hour"], as_index=False)["posts"].sum()
    df["day"] = df["weekday"].map(lambda d: days[int(d) - 1])
    return alt.Chart(df).mark_rect().encode(
        x=alt.X("hour:O", title=t(lang, "hour"), scale=alt.Scale(domain=list(range(24)))),
        y=alt.Y("day:O", title=t(lang, "weekday"), sort=days, scale=alt.Scale(domain=days)),
        color=alt.Color("posts:Q", title=t(lang, "posts"), scale=alt.Scale(scheme="blues")),
        tooltip=["day", "hour", "posts"],
    ).properties(width=WIDTH - 80, height=170)


# -- engagement ---------------------------------------------------------------------------

def median_iqr_chart(engagement: pd.DataFrame, metric: str, palette: Palette,
                     lang: str) -> alt.Chart:
    """Median (point) and interquartile range (bar) per candidate x platform."""
    df = palette.with_labels(engagement[(engagement["metric"] == metric)
                                        & engagement["n"].gt(0)])
    title = t(lang, metric)
    base = _base(df).encode(
        y=alt.Y("candidate:N", title=None, sort=list(palette.labels.values())),
        color=palette.color(lang))
    iqr = base.mark_rule(strokeWidth=3, opacity=0.6).encode(
        x=alt.X("q1:Q", title=f"{title} — {t(lang, 'median_iqr')}"), x2="q3:Q")
    point = base.mark_point(filled=True, size=80).encode(
        x="median:Q",
        tooltip=["candidate", "platform", alt.Tooltip("median:Q", format=".4g"),
                 alt.Tooltip("q1:Q", format=".4g"), alt.Tooltip("q3:Q", format=".4g"), "n"])
    return alt.layer(iqr, point).properties(width=WIDTH - 150, height=alt.Step(18)).facet(
        row=alt.Row("platform:N", title=t(lang, "platform")))


# -- content ------------------------------------------------------------------------------

def share_chart(df: pd.DataFrame, value: str, count: str, palette: Palette, lang: str,
                title: str, colors: dict[str, str] | None = None) -> alt.Chart:
    """Stacked 100% bars per candidate."""
    data = palette.with_labels(df)
    color = alt.Color(f"{value}:N", title=title,
                      scale=alt.Scale(domain=list(colors), range=list(colors.values()))
                      if colors else alt.Scale(scheme="tableau10"))
    return _base(data).mark_bar().encode(
        y=alt.Y("candidate:N", title=None, sort=list(palette.labels.values())),
        x=alt.X(f"sum({count}):Q", stack="normalize", title=t(lang, "share"),
                axis=alt.Axis(format="%")),
        color=color,
        order=alt.Order(f"{value}:N"),
        tooltip=["candidate", f"{value}:N", f"sum({count}):Q"],
    ).properties(height=alt.Step(28))


def function_engagement_chart(functions: pd.DataFrame, palette: Palette,
                              lang: str) -> alt.Chart:
    df = palette.with_labels(functions[functions["candidate_id"].notna()
                                       & functions["n_interactions"].gt(0)])
    base = _base(df).encode(
        x=alt.X("function:N", title=t(lang, "function"), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("candidate:N", sort=list(palette.labels.values())),
        color=palette.color(lang))
    bars = base.mark_rule(strokeWidth=2).encode(
        y=alt.Y("ci_low_interactions:Q", title=t(lang, "function_engagement")),
        y2="ci_high_interactions:Q")
    points = base.mark_point(filled=True, size=60).encode(
        y="median_interactions:Q",
        tooltip=["candidate", "function", "n_interactions",
                 alt.Tooltip("median_interactions:Q", format=",.0f"),
                 alt.Tooltip("ci_low_interactions:Q", format=",.0f"),
                 alt.Tooltip("ci_high_interactions:Q", format=",.0f")])
    return alt.layer(bars, points).properties(height=260)


def topic_chart(topics: pd.DataFrame, palette: Palette, lang: str) -> alt.Chart:
    df = palette.with_labels(topics[topics["candidate_id"].notna()])
    return _base(df).mark_bar().encode(
        y=alt.Y("topic:N", title=t(lang, "topic"), sort="-x"),
        yOffset=alt.YOffset("candidate:N", sort=list(palette.labels.values())),
        x=alt.X("share:Q", title=t(lang, "share"), axis=alt.Axis(format="%")),
        color=palette.color(lang),
        tooltip=["candidate", "topic", "posts", alt.Tooltip("share:Q", format=".1%")],
    ).properties(height=alt.Step(10))


# -- responsiveness and youth ------------------------------------------------------------

def responsiveness_chart(resp: pd.DataFrame, palette: Palette, lang: str) -> alt.Chart:
    df = palette.with_labels(resp)
    df["label"] = df["answered"].astype(int).astype(str) + "/" + df["questions"].astype(
        int).astype(str)
    base = _base(df).encode(
        x=alt.X("platform:N", title=t(lang, "platform"), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("candidate:N", sort=list(palette.labels.values())),
        y=alt.Y("share_answered:Q", title=t(lang, "share_answered"),
                axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])))
    bars = base.mark_bar().encode(color=palette.color(lang),
                                  tooltip=["candidate", "platform", "questions", "answered"])
    text = base.mark_text(dy=-6, fontSize=10).encode(text="label:N")
    return alt.layer(bars, text).properties(height=240)


def youth_chart(youth: pd.DataFrame, palette: Palette, lang: str) -> alt.Chart:
    agg = youth.groupby("candidate_id", as_index=False).sum(numeric_only=True)
    rows = []
    for _, r in agg.iterrows():
        pairs = (("short_60", r["short_60"], r["videos_with_duration"]),
                 ("short_180", r["short_180"], r["videos_with_duration"]),
                 ("trending", r["trending_sound_posts"], r["posts_with_sound"]),
                 ("evening", r["evening_posts"], r["posts"]))
        for key, num, den in pairs:
            if den:
                rows.append({"candidate_id": r["candidate_id"], "proxy": t(lang, key),
                             "share": num / den, "n": int(den)})
    df = palette.with_labels(pd.DataFrame(rows, columns=["candidate_id", "proxy", "share", "n"]))
    order = [t(lang, k) for k in ("short_60", "short_180", "trending", "evening")]
    return _base(df).mark_bar().encode(
        x=alt.X("proxy:N", title=t(lang, "proxy"), sort=order, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("candidate:N", sort=list(palette.labels.values())),
        y=alt.Y("share:Q", title=t(lang, "share"), axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        color=palette.color(lang),
        tooltip=["candidate", "proxy", alt.Tooltip("share:Q", format=".1%"), "n"],
    ).properties(height=240)


# -- timeline -----------------------------------------------------------------------------

def timeline_chart(timeline: pd.DataFrame, calendar: pd.DataFrame, value: str, title: str,
                   palette: Palette, lang: str, *, aggregate: str = "sum") -> alt.Chart:
    """Daily values per candidate (all platforms) over the phases of the rules file (shaded)
    and events (dashed rules). Sums count missing days as 0; net sentiment shows only days
    with at least MIN_SENTIMENT_COMMENTS labelled comments (points)."""
    if aggregate == "net":
        from ..analysis.timeline import MIN_SENTIMENT_COMMENTS

        grouped = timeline.groupby(["candidate_id", "date"], as_index=False)[
            ["positive", "negative", "neutral"]].sum()
        total = grouped[["positive", "negative", "neutral"]].sum(axis=1)
        grouped[value] = (grouped["positive"] - grouped["negative"]) / total.where(
            total >= MIN_SENTIMENT_COMMENTS)
        grouped = grouped.dropna(subset=[value])
    else:
        grouped = timeline.groupby(["candidate_id", "date"], as_index=False)[value].sum()
    grouped["date"] = pd.to_datetime(grouped["date"])
    if grouped.empty:
        return _base(palette.with_labels(grouped)).mark_line()
    lo, hi = grouped["date"].min(), grouped["date"].max() + pd.Timedelta(days=1)
    if aggregate != "net":
        days = pd.date_range(lo, hi - pd.Timedelta(days=1), freq="D")
        grid = pd.MultiIndex.from_product([grouped["candidate_id"].unique(), days],
                                          names=["candidate_id", "date"])
        grouped = grouped.set_index(["candidate_id", "date"]).reindex(
            grid, fill_value=0).reset_index()
    df = palette.with_labels(grouped)
    domain = [lo.isoformat(), hi.isoformat()]
    x_scale = alt.Scale(domain=domain)
    x = alt.X("date:T", title=t(lang, "date"), scale=x_scale, axis=DATE_AXIS)
    layers = []
    cal = calendar.copy()
    if not cal.empty:
        cal["name"] = cal["name_id" if lang == "id" else "name_en"]
        all_phases = list(dict.fromkeys(cal.loc[cal["kind"] == "phase", "name"]))
        cal["start"] = pd.to_datetime(cal["start_local"]).clip(lower=lo, upper=hi)
        cal["end"] = pd.to_datetime(cal["end_local"]).clip(lower=lo, upper=hi)
        phases = cal[(cal["kind"] == "phase") & (cal["end"] > cal["start"])]
        if not phases.empty:
            layers.append(alt.Chart(phases).mark_rect(opacity=0.75).encode(
                x=alt.X("start:T", scale=x_scale, title=t(lang, "date"), axis=DATE_AXIS),
                x2="end:T",
                fill=alt.Fill("name:N", title=t(lang, "phase"), sort=all_phases,
                              scale=alt.Scale(domain=all_phases, range=[
                                  PHASE_COLORS[i % len(PHASE_COLORS)]
                                  for i in range(len(all_phases))])),
                tooltip=["name:N"]))
        windows = cal[(cal["kind"] == "window") & (cal["end"] > cal["start"])]
        if not windows.empty:
            # Windows (e.g. the media-ad window) overlap phases: a strip along the top.
            layers.append(alt.Chart(windows).mark_rect(color="#6a51a3", opacity=0.55).encode(
                x=alt.X("start:T", scale=x_scale, title=t(lang, "date"), axis=DATE_AXIS),
                x2="end:T", y=alt.value(0), y2=alt.value(7), tooltip=["name:N"]))
            windows = windows.sort_values("start").assign(
                label_y=[9 + 11 * (i % 2) for i in range(len(windows))])  # alternate rows
            layers.append(alt.Chart(windows).mark_text(
                align="left", baseline="top", dx=2, fontSize=9, color="#3f007d").encode(
                x=alt.X("start:T", scale=x_scale, title=t(lang, "date"), axis=DATE_AXIS),
                y=alt.Y("label_y:Q", scale=None, axis=None), text="name:N"))
        starts = pd.to_datetime(cal["start_local"])
        events = cal[(cal["kind"] == "event") & (starts >= lo) & (starts < hi)].copy()
        if not events.empty:
            events["at"] = pd.to_datetime(events["start_local"]) + pd.Timedelta(hours=12)
            ex = alt.X("at:T", scale=x_scale, title=t(lang, "date"), axis=DATE_AXIS)
            layers.append(alt.Chart(events).mark_rule(strokeDash=[4, 3], color="#444").encode(
                x=ex, tooltip=["name:N"]))
            layers.append(alt.Chart(events).mark_text(
                angle=270, align="right", baseline="bottom", dx=-4, dy=-2, fontSize=9,
                color="#444").encode(x=ex, y=alt.value(0), text="name:N"))
    encoding = dict(x=x, y=alt.Y(f"{value}:Q", title=title), color=palette.color(lang),
                    tooltip=["candidate", alt.Tooltip("date:T", format="%Y-%m-%d"),
                             alt.Tooltip(f"{value}:Q", format=",.3~g")])
    if aggregate == "net":
        layers.append(alt.Chart(df).mark_circle(size=28, opacity=0.8, clip=True)
                      .encode(**encoding))
    else:
        layers.append(alt.Chart(df).mark_line(clip=True, strokeWidth=1.5).encode(**encoding))
    return alt.layer(*layers).resolve_scale(color="independent").properties(
        width=WIDTH, height=240)


# -- rendering ----------------------------------------------------------------------------

_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^)"]+)')


def _locales(lang: str) -> dict:
    out = {"format_locale": FORMAT_LOCALE.get(lang, FORMAT_LOCALE["en"])}
    if lang in TIME_LOCALE:
        out["time_format_locale"] = TIME_LOCALE[lang]
    return out


def to_svg(chart, ident: str, lang: str = "id") -> str:
    """SVG text for inline use; ids are prefixed so several SVGs can share one page."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(configure(chart).to_dict(validate=False), **_locales(lang))
    svg = _ID.sub(lambda m: f'id="{ident}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{ident}-{m.group(2)}", svg)
    svg = svg.replace("<svg ", f'<svg role="img" aria-labelledby="{ident}-title" ', 1)
    return svg


def to_png(chart, lang: str = "id", scale: float = 2.0) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(configure(chart).to_dict(validate=False), scale=scale,
                               **_locales(lang))
