"""Where the Timeline puts a date: the crisis window across most of the plot as a date axis, later days in a
compact panel at its right (one column per month), and ticks a reader can count days by."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


def iso_day(stamp: pd.Timestamp) -> str:
    """A date as Plotly reads it, short: the day alone at midnight (most figures), else to the minute."""
    return stamp.strftime("%Y-%m-%d" if stamp == stamp.normalize() else "%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class Panels:
    """Where a mark's date goes: on the main date axis (from `start` to `end`), or, when later, in the
    compact panel at its right, one category per later day."""

    start: pd.Timestamp
    end: pd.Timestamp
    later: tuple[str, ...] = field(default=())  # the later days' labels, in order

    @staticmethod
    def label(stamp: pd.Timestamp) -> str:
        """Later days are grouped by month (each mark's hover and card give its day)."""
        return f"{stamp:%b %Y}"

    def is_later(self, stamp: pd.Timestamp) -> bool:
        """From the day after the window on (`end` is that day's midnight)."""
        return bool(self.later) and stamp >= self.end

    def x(self, stamp: pd.Timestamp) -> str:
        return self.label(stamp) if self.is_later(stamp) else iso_day(stamp)


def panels_for(stamps: pd.Series, window: tuple[pd.Timestamp, pd.Timestamp] | None) -> Panels:
    """The main axis spans `window` (and any earlier stamp), padded by a day; stamps after it go to the panel.
    Without a window, the main axis spans every stamp."""
    if stamps.empty:
        start, end = window if window else (pd.Timestamp("2000-01-01"), pd.Timestamp("2000-01-02"))
        return Panels(start, end)
    if window is None:
        return Panels(stamps.min() - pd.Timedelta(days=1), stamps.max() + pd.Timedelta(days=1))
    end = pd.Timestamp(window[1]) + pd.Timedelta(days=1)
    start = min(pd.Timestamp(window[0]), stamps.min().normalize()) - pd.Timedelta(days=1)
    later = sorted({stamp.to_period("M").to_timestamp() for stamp in stamps[stamps >= end]})
    return Panels(start, end, tuple(Panels.label(month) for month in later))


DAY_MS = 86_400_000


def day_ticks(panels: Panels) -> dict:
    """Ticks a reader can count days by: every day over two weeks or less, every Monday over ten weeks or
    less (with a faint line each day), else Plotly's own."""
    days = (panels.end - panels.start).days
    if days <= 14:
        return dict(dtick=DAY_MS)
    if days <= 70:
        return dict(dtick=7 * DAY_MS, tick0="2000-01-03", minor=dict(dtick=DAY_MS, showgrid=True, gridcolor="#f4f4f4"))
    return {}
