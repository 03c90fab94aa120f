"""Rows of cells (spreadsheets, document tables) → COLUMN segments, with header-row detection."""
from __future__ import annotations

import datetime as _dt
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from detectors.entities import header_key
from scanner.extract import ExtractContext
from scanner.model import Segment, SegmentKind

HEADER_SEARCH_ROWS = 5
MAX_COLUMNS = 1000           # hostile sheets may claim 16,384 columns; real ones rarely pass a few hundred
_NUMBERISH = re.compile(r"^[\s\d.,:/+\-()%£$€]*$")

Row = tuple[int, Sequence[Any]]     # (1-based row number, cells)


def cell_text(value: Any) -> str:
    """A cell as text: integral floats without '.0', dates as ISO, None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, _dt.datetime) and value.time() == _dt.time(0):
        return value.date().isoformat()        # a date cell (spreadsheets store dates as midnight datetimes)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    return str(value).strip()


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """column_letter() backwards: A → 0, Z → 25, AA → 26."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _is_label(text: str) -> bool:
    return bool(text) and "@" not in text and not _NUMBERISH.match(text) and len(text) <= 80


def _shape(cell: str) -> str:
    """A cell's outline: letters, digits and the rest, runs collapsed ("Zelda Quist" → "Aa Aa")."""
    out: list[str] = []
    for ch in cell.strip():
        c = "A" if ch.isupper() else "a" if ch.isalpha() else "9" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


@functools.lru_cache(maxsize=1)
def _header_words() -> frozenset[str]:
    """Column headers that name an entity (configs/entities.yaml), compared as header_key() gives them."""
    from detectors.entities import EntityTaxonomy

    return frozenset(EntityTaxonomy.load().columns)


def row_is_data(first: Sequence[Any], rest: Sequence[Sequence[Any]]) -> bool:
    """Whether a would-be header row is data: every filled cell has the outline most of its column's next
    rows have (a header's "email" does not look like "ann.lee@example.org"; a row of names looks like the
    names below it), and none is a header we know ("Full Name"). Needs two rows below to judge."""
    from detectors.entities import header_key

    first = ["" if c is None else str(c) for c in first]
    if any(header_key(c) in _header_words() for c in first):
        return False
    rows = [["" if c is None else str(c) for c in r] for r in rest]
    rows = [r for r in rows if any(c.strip() for c in r)]
    if len(rows) < 2:
        return False
    filled = [i for i, c in enumerate(first) if c.strip()]
    for i in filled:
        shapes = [_shape(r[i]) for r in rows if i < len(r) and r[i].strip()]
        if not shapes or shapes.count(_shape(first[i])) * 2 <= len(shapes):
            return False
    return bool(filled)


def find_header(rows: Sequence[Row]) -> int | None:
    """Index in ``rows`` of the header row: among the first few, a row of short text labels about as wide
    as the data below it, followed by a row that is not all labels (or a row exactly as wide)."""
    for i, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        labels = [c for c in cells if c]
        below = [[c for c in cells2 if c] for _, cells2 in rows[i + 1:]]
        below = [b for b in below if b]
        if not labels or not below or not all(_is_label(c) for c in labels):
            continue
        if row_is_data(cells, [c for _, c in rows[i + 1:]]):
            return None                                # a row of names like the names below it: no header
        widest = max(len(b) for b in below)
        if len(labels) < 0.6 * widest:
            continue                                   # a title line above the table
        data_like = any(not all(_is_label(c) for c in b) for b in below)
        if data_like or len(labels) == widest:
            return i
    return None


FORM_MAX_ROWS = 80           # a form's rows (a longer table of label-like first cells is records)
FORM_MAX_CELLS = 6           # filled cells in a form's row: a label and its value, two or three pairs at most
_LABEL_WORD = re.compile(r"[a-z][a-z.\-]*")


@functools.lru_cache(maxsize=1)
def _form_words() -> frozenset[str]:
    from detectors.lexicon import read_lexicon

    return frozenset(str(w).lower() for w in read_lexicon("forms.yaml", {"label_words": list}).get("label_words", []))


def _form_label(cell: str) -> bool:
    """A form's field label: short, no digits nor "@", and ending in a colon or holding a label word ("Child's
    name", "Parent/carer", "Contact number")."""
    text = cell.strip()
    if not text or len(text) > 60 or "@" in text or any(c.isdigit() for c in text) or len(text.split()) > 8:
        return False
    if text.endswith(":"):
        return True
    words = _LABEL_WORD.findall(text.lower().replace("'s", " ").replace("’s", " "))
    return any(w in _form_words() for w in words)


def form_lines(rows: Sequence[Row]) -> list[str] | None:
    """A small table laid out as a form (most rows a field's label, then its value) as the lines "label: value"
    (pairs on one row parted by a tab, as a form's fields are); None for a table of records. A row whose every
    cell is a label is a header, not a field."""
    filled = [[c for c in cells if c.strip()] for _, cells in rows]
    filled = [f for f in filled if f]
    if len(filled) > FORM_MAX_ROWS or any(len(f) > FORM_MAX_CELLS for f in filled):
        return None
    fields = sum(1 for f in filled if len(f) > 1 and _form_label(f[0]) and not all(_form_label(c) for c in f))
    if fields < 2 or fields * 5 < len(filled) * 3:
        return None
    lines = []
    for n, f in enumerate(filled):
        if not _form_label(f[0]) or len(f) == 1 or (n == 0 and all(_form_label(c) for c in f)):
            lines.append("\t".join(f))                 # a heading, a header, a line of text across the form
            continue
        # NOTE: a row's cells alternate: a label, then its value (which may hold a label's words: "missing school")
        pairs = [f[i:i + 2] for i in range(0, len(f), 2)]
        lines.append("\t".join(f"{p[0].rstrip(':').rstrip()}: {p[1]}" if len(p) == 2 else p[0] for p in pairs))
    return lines


def table_segments(rows: Iterable[Row], ctx: ExtractContext, where: Mapping[str, Any], *,
                   letters: bool = True, extra_rows: int = 0) -> Iterator[Segment]:
    """One COLUMN segment per non-empty column: header name, sampled values aligned to row numbers. A small
    table laid out as a form (form_lines) is one PROSE segment of its "label: value" lines instead.

    ``extra_rows`` counts data rows the caller did not keep (beyond the sample) into each column's total."""
    it = ((n, [cell_text(c) for c in cells[:MAX_COLUMNS]]) for n, cells in rows)
    head = list(itertools.islice(it, HEADER_SEARCH_ROWS + 5))
    if not head:
        return
    if not extra_rows and form_lines(head) is not None:
        head += itertools.islice(it, FORM_MAX_ROWS + 1 - len(head))
        lines = form_lines(head) if len(head) <= FORM_MAX_ROWS else None
        if lines is not None:
            yield Segment(SegmentKind.PROSE, text="\n".join(lines), where={**where, "line": head[0][0], "offset": 0})
            return
    h = find_header(head)
    width = max(len(cells) for _, cells in head)
    if h is not None:
        header_row, header = head[h][0], head[h][1]
        data = itertools.chain(head[h + 1:], it)
        first = header_row + 1
    else:
        header = []
        data = itertools.chain(head, it)
        first = head[0][0]
    sample_n = ctx.limits.table_sample_rows
    samples: list[list[str]] = [[] for _ in range(width)]
    indexed: list[list[str]] = [[] for _ in range(width)]
    filled = [0] * width
    total = extra_rows
    for n, cells in itertools.islice(data, ctx.limits.table_max_rows):
        if not any(cells):
            continue
        total += 1
        if len(cells) > width:
            samples.extend([] for _ in range(len(cells) - width))
            indexed.extend([] for _ in range(len(cells) - width))
            filled.extend([0] * (len(cells) - width))
            width = len(cells)
        if total <= ctx.limits.table_index_rows:
            for i in range(width):
                indexed[i].append(cells[i] if i < len(cells) else "")
        idx = n - first
        if idx >= sample_n:
            continue
        for i in range(width):
            col = samples[i]
            col.extend([""] * (idx - len(col)))
            value = cells[i] if i < len(cells) else ""
            col.append(value)
            filled[i] += bool(value)
    yield from pair_names(_columns(header, samples, indexed, filled, total, where, first, width, letters))


def _columns(header: Sequence[str], samples: list[list[str]], indexed: list[list[str]], filled: list[int],
             total: int, where: Mapping[str, Any], first: int, width: int, letters: bool) -> Iterator[Segment]:
    for i in range(width):
        name = header[i] if i < len(header) and header[i] else None
        if not filled[i] and name is None:
            continue
        label = name or (column_letter(i) if letters else f"column {i + 1}")
        loc = {**where, "column": label, "first_line": first}
        if letters:
            loc["column_letter"] = column_letter(i)
        values = tuple(samples[i])
        yield Segment(SegmentKind.COLUMN, name=label, values=values, rows=total, where=loc,
                      index_values=tuple(indexed[i]))


# Headers of a given-name and a family-name column (compared as lower case, accents folded, punctuation as "_"),
# in English and in the languages of the EU/EEA exports we read most (German, French, Spanish, Dutch, Italian,
# Polish, Czech, the Nordic languages): "Vorname"/"Nachname", "Prénom"/"Nom", "Nombre"/"Apellidos"
_GIVEN = frozenset({"first_name", "firstname", "forename", "forenames", "given_name", "given_names",
                    "christian_name", "vorname", "vornamen", "prenom", "prenoms", "nombre", "voornaam", "voornamen",
                    "nome", "imie", "jmeno", "fornavn", "fornamn", "etunimi"})
_FAMILY = frozenset({"last_name", "lastname", "surname", "family_name", "second_name", "nachname", "familienname",
                     "nom", "nom_de_famille", "apellido", "apellidos", "achternaam", "cognome", "nazwisko",
                     "prijmeni", "efternavn", "etternavn", "efternamn", "sukunimi"})



def name_pair(header: Sequence[str]) -> tuple[int, int] | None:
    """The first given-name and family-name columns of a header, if it has both."""
    keys = [header_key(h) for h in header]
    given = next((i for i, k in enumerate(keys) if k in _GIVEN), None)
    family = next((i for i, k in enumerate(keys) if k in _FAMILY), None)
    return (given, family) if given is not None and family is not None else None


def _joined(given: Sequence[str], family: Sequence[str]) -> tuple[str, ...]:
    """"Given Family" per row of two aligned columns (a shorter one padded with empty cells)."""
    n = max(len(given), len(family))
    return tuple(f"{x} {y}".strip() for x, y in zip([*given, *[""] * (n - len(given))],
                                                      [*family, *[""] * (n - len(family))], strict=True))


# A bare account column's header, and a sort code's: beside one, the other is a bank account's number
_ACCOUNT = frozenset({"account", "acc", "acct", "a_c", "number"})
_SORT_CODE = frozenset({"sort_code", "sortcode", "sort", "s_c", "bank_sort_code"})


def _bank_accounts(columns: list[Segment]) -> list[Segment]:
    """A column headed just "Account" reads as a bank account's beside a sort-code column (its header, the
    detector's context, says so); anywhere else an account may be a ledger's."""
    keys = [header_key(c.name or "") for c in columns]
    if _SORT_CODE.isdisjoint(keys):
        return columns
    return [replace(c, name=f"{c.name} (beside a sort code)") if k in _ACCOUNT else c
            for c, k in zip(columns, keys, strict=True)]


def pair_names(columns: Iterable[Segment]) -> Iterator[Segment]:
    """A table's COLUMN segments (values aligned by row) with its first-name and last-name columns, if it has
    both, read as one PERSON column "Given Family" per row, in the first one's place: one person counted once,
    and the full name in the subject index (spreadsheets, CSV, Parquet, Avro, SQLite). A bare account column
    beside a sort code is read as a bank account's (_bank_accounts)."""
    columns = _bank_accounts(list(columns))
    pair = name_pair([c.name or "" for c in columns])
    if pair is None:
        yield from columns
        return
    g, f = (columns[i] for i in pair)
    for i, column in enumerate(columns):
        if i == pair[0]:
            yield Segment(SegmentKind.COLUMN, name="full_name", values=_joined(g.values, f.values), rows=g.rows,
                          where={**{k: v for k, v in g.where.items() if k != "column_letter"},
                                 "column": f"{g.name} + {f.name}"},
                          index_values=_joined(g.index_values, f.index_values))
        elif i != pair[1]:
            yield column
