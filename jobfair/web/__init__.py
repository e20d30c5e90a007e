"""HTTP and websocket handlers by audience, plus templating and middleware."""
