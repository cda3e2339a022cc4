"""The fast path under search: Whoosh's private internals, behind this one seam.

Everything that reads or writes Whoosh's on-disk structures directly, or reproduces its scoring
or analysis, lives here, pinned to whoosh3 3.54.0 (see the README): posting lists and columns as
memory-mapped arrays (``arrays``), text analysed as Whoosh's analyzers would (``analysis``), a
searcher's documents as arrays with text queries answered over them (``space``), document sets
as bitmaps and BM25F over arrays (``ranking``), and new segments written through Whoosh's codec
writers (``building``). The rest of ``directory.search`` uses only the names below; replacing
this folder with Whoosh's own collectors and writer would change speed, not results.
"""

from directory.search.fast.arrays import ARRAY_MIN_DOCS, ARRAYS, check_arrays, write_arrays
from directory.search.fast.building import build_generation, index_folder
from directory.search.fast.ranking import from_bits, in_order, mask_of, to_bits, top
from directory.search.fast.space import Space

__all__ = [
    "ARRAYS", "ARRAY_MIN_DOCS", "Space", "build_generation", "check_arrays", "from_bits",
    "in_order", "index_folder", "mask_of", "to_bits", "top", "write_arrays",
]  # fmt: skip
