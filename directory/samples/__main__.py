"""``python -m directory.samples --count N --out FILE`` writes fictional practitioners."""

from directory.samples.generator import main

raise SystemExit(main())
