"""Domain rules. Services take a session and ids, flush (never commit), raise
:mod:`jobfair.services.errors`, and record after-commit effects; they never import web/."""
