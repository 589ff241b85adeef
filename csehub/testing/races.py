"""Two people acting at once: sessions in their own threads, database connections and transactions.

Each session loads what its page showed, waits until every session has loaded (so none has seen
another's change), then acts. Use with `pytest.mark.django_db(transaction=True)`: the sessions
must commit for real, which the usual test transaction would hide from the other connections.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection

# Long enough for a slow CI machine, short enough that a broken test fails rather than hangs.
WAIT_SECONDS = 30

Ready = Callable[[], None]
Session = Callable[[Ready], object]


def sessions_at_once(*sessions: Session) -> list[object]:
    """Run each session in its own thread; return what each returned, or the error it raised.

    A session is called with `ready`, which it calls once it has loaded what it will act on.
    """
    barrier = threading.Barrier(len(sessions), timeout=WAIT_SECONDS)
    outcomes: list[object] = [None] * len(sessions)

    def ready() -> None:
        barrier.wait()

    def run(position: int, session: Session) -> None:
        try:
            outcomes[position] = session(ready)
        except Exception as error:
            outcomes[position] = error  # the test asserts on it, as the page would show it
        finally:
            connection.close()  # this thread's own connection, not the test's

    threads = [
        threading.Thread(target=run, args=(position, session))
        for position, session in enumerate(sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_SECONDS * 2)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError("A session did not finish: a lock is held or a session hung")
    return outcomes
