"""JSON API v1 (DESIGN §7): handlers, serializers and the OpenAPI document."""
