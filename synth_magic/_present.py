"""How the surfaces show a run: the preview (HTML and text), the type catalogue, notes.

Shared by the magic, the form and the command, so a preview looks the same everywhere:
every cell on one line (an identifier such as a UUID is never broken over lines, a short
value never wrapped), one horizontal scroll for a wide table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PROGRESS_ROWS", "TEXT_CELL", "Preview", "notebook_words", "preview_html", "preview_text", "replaced_note",
    "types_table",
]

PROGRESS_ROWS = 200_000  # runs of more rows show a progress bar (the magic's progress_rows, the command's)
TEXT_CELL = 40  # characters of a cell in a text preview: a UUID (36) or an IBAN (34) stays whole
_NOWRAP = "white-space:nowrap"


def preview_html(frame: pd.DataFrame, rows: int = 10, *, dtypes: bool = True, caption: bool = True) -> str:
    """The first ``rows`` rows as an HTML table (each column's dtype under its name), in one
    scrolling box, every cell on one line."""
    import pandas as pd

    head = frame.head(rows).copy()
    if dtypes:
        head.columns = pd.MultiIndex.from_arrays([list(frame.columns), [str(t) for t in frame.dtypes]])
    table = head.to_html(classes="synth-preview-table", border=0, na_rep="<NA>", max_cols=60)
    # inline styles survive JupyterLab's sanitiser (a <style> element in an untrusted output does not)
    table = table.replace("<td>", f"<td style='{_NOWRAP}'>").replace("<th>", f"<th style='{_NOWRAP}'>")
    top = ""
    if caption:
        shown = min(rows, len(frame))
        text = f"first {shown:,} of {len(frame):,} rows" if shown < len(frame) else f"all {len(frame):,} rows"
        top = f"<div class='synth-preview-caption'><small>{text}</small></div>"
    return f"{top}<div class='synth-preview-scroll' style='overflow-x:auto;max-width:100%'>{table}</div>"


def preview_text(frame: pd.DataFrame) -> str:
    """The frame as plain text for a terminal: cells up to :data:`TEXT_CELL` characters, at most
    12 columns, no index."""
    return frame.to_string(index=False, max_colwidth=TEXT_CELL, max_cols=12)


class Preview:
    """The rows a magic shows after a run: HTML with every cell on one line in a notebook,
    pandas' own text elsewhere."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

    def _repr_html_(self) -> str:
        return preview_html(self.frame, len(self.frame), dtypes=False, caption=False)

    def __repr__(self) -> str:
        return repr(self.frame)


def replaced_note(namespace: Any, name: str) -> str:
    """" · replaced your df (DataFrame)" when ``name`` holds something synth-magic did not make."""
    if not isinstance(namespace, dict) or name not in namespace:
        return ""
    old = namespace[name]
    info = getattr(old, "attrs", None)
    if isinstance(info, dict) and isinstance(info.get("synth"), dict):
        return ""  # a frame we made before: replacing it is what running the cell again means
    return f" · replaced your {name} ({type(old).__name__})"


def types_table(group: str | None = None) -> str:
    """The catalogue as text: type, group, dtype, parameters, meaning (one group, or all)."""
    from ._messages import clip
    from .catalog import GROUPS, PANDAS_DTYPES, TYPES
    from .errors import InputError

    if group is not None and group.strip().lower() not in GROUPS:
        raise InputError(f"Unknown type group '{clip(group.strip(), 30)}'; the groups are "
                         f"{', '.join(GROUPS[:-1])} and {GROUPS[-1]}.")
    lines = []
    for spec in TYPES.values():
        if group is not None and spec.group != group.strip().lower():
            continue
        params = ", ".join(p.name for p in spec.params) or "-"
        lines.append(f"{spec.name:<20} {spec.group:<12} {PANDAS_DTYPES[spec.kind]:<26} {params:<50} {spec.help}")
    return "\n".join(lines)


def notebook_words(message: str) -> str:
    """A library message worded for a notebook: ``synth --types`` is ``%synth_types`` there."""
    return message.replace("`synth --types`", "%synth_types")
