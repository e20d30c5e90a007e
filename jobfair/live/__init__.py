"""Live counters: a counter store (memory | Redis), a hub (memory | Redis pub/sub),
presence with expiry, and the coalescing layer that turns committed signals into
websocket frames. Never imports ``jobfair.web``: the web side hands in a renderer."""
