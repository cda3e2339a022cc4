"""The deterministic generator of fictional practitioners (needs the ``samples`` extra: Faker)."""

from directory.samples.generator import (
    DEFAULT_SEED,
    DEFAULT_TODAY,
    generate_records,
    main,
    write_samples,
)

__all__ = ["DEFAULT_SEED", "DEFAULT_TODAY", "generate_records", "main", "write_samples"]
