"""One flag that ends every wait for the warehouse at once (kept light: no DuckDB import).

The command line sets it on SIGTERM/SIGINT; ``warehouse.store`` checks it while it waits
for a lock held by another process, so a stopping job never sits out a 2-minute wait.
"""

from __future__ import annotations

import threading

STOP = threading.Event()
