"""DUIS over HTTP(S) as DCC Boxed serves it (BOXED-01), SMKI (BOXED-06), and asynchronous
delivery by POST to each User's Receive Response Service address (BOXED-02)."""
