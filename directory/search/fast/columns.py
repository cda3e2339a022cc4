"""One segment's per-document values read into arrays: field lengths, columns, names in order."""

from __future__ import annotations

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.columns import EmptyColumnReader
from whoosh.fields import NUMERIC
from whoosh.util.numeric import byte_to_length

_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


def read_lengths(reader, fieldname: str) -> np.ndarray:
    """Return the length of ``fieldname`` in each document of one segment."""
    count = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    raw = None
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        column = perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        raw = raw_column(column, count, np.uint8) if column is not None else None
    if raw is None:
        raw = np.array([reader.doc_field_length(d, fieldname, 0) for d in range(count)])
        return raw.astype(np.float32)
    return _LENGTH_OF_BYTE[raw]


def raw_column(column, count: int, dtype) -> np.ndarray | None:
    """Return a fixed-width column's stored values as an array, or None if it is not one."""
    if isinstance(column, EmptyColumnReader):
        return None
    if not hasattr(column, "_fixedlen"):
        return None
    stored = column._count
    data = column._dbfile.get(column._basepos, stored * column._fixedlen)
    values = np.frombuffer(data, dtype=np.dtype(dtype).newbyteorder(">"))
    if stored < count:
        default = np.frombuffer(column._defaultbytes, dtype=np.dtype(dtype).newbyteorder(">"))
        values = np.concatenate([values, np.repeat(default, count - stored)])
    return values[:count]


def read_column(reader, fieldname: str) -> np.ndarray:
    """Return one sortable field's values in every document of one segment."""
    field = reader.schema[fieldname]
    count = reader.doc_count_all()
    if isinstance(field, NUMERIC):
        width = {"B": 1, "H": 2, "I": 4, "Q": 8}[str(field.sortable_typecode)]
        raw = None
        if reader.has_column(fieldname):
            raw = raw_column(reader.column_reader(fieldname, translate=False), count, f"u{width}")
        if raw is not None:
            raw = raw.astype(np.uint64)
            if field.numtype is float:
                # Undo whoosh.util.numeric.float_to_sortable_long, every value at once.
                bits = (
                    (raw - np.uint64(1 << 63)).view(np.int64)
                    if field.signed
                    else raw.view(np.int64)
                )
                bits = np.where(bits < 0, bits ^ np.int64(0x7FFFFFFFFFFFFFFF), bits)
                return bits.view(np.float64)
            values = raw.astype(np.int64) if field.bits < 64 else raw.view(np.int64)
            if field.signed:
                if field.bits < 64:
                    values = values - (1 << (field.bits - 1))
                else:
                    values = (raw ^ np.uint64(1 << 63)).view(np.int64)
            return values
    stored = list(reader.column_reader(fieldname)) if reader.has_column(fieldname) else []
    if isinstance(field, NUMERIC):
        default = np.nan if field.numtype is float else field.default
        stored = stored or [default] * count
        return np.array(stored, dtype=np.float64 if field.numtype is float else np.int64)
    return np.array(stored or [""] * count, dtype=object)


# Names up to this many bytes are kept as one fixed-width array, not a Python string each.
NAME_KEY_BYTES = 64


def sorted_names(reader) -> tuple[np.ndarray, np.ndarray]:
    """Return a segment's names in order (the keys its runs are merged by) and that order."""
    names = read_column(reader, "name_sort")
    order = np.argsort(names, kind="stable")
    encoded = [name.encode() for name in names[order]]
    # UTF-8 bytes sort as their text does; a fixed-width array of them holds no object per
    # name (a Python string each was 6 MB a worker at 100,000). NUL never ends a name.
    if max(map(len, encoded), default=0) <= NAME_KEY_BYTES and not any(
        name.endswith(b"\0") for name in encoded
    ):
        return np.array(encoded, dtype=bytes), order.astype(np.int64)
    return names[order], order.astype(np.int64)
