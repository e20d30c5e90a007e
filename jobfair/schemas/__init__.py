"""The JSON shapes of the API v1 as pydantic models: one home for each shape.

Response models (``extra="forbid"``) are what the handlers serialise through and what
the tests validate answers with; request models describe every JSON body the API
accepts and parse the ones the handlers read themselves. ``jobfair.web.api.openapi``
generates the OpenAPI components from these classes.
"""
