"""The typed JSON API (django-ninja, OpenAPI at /api/openapi.json, docs at /api/docs).

Machine clients (an exporter's ERP) authenticate with `Authorization: Bearer du_<prefix>_<secret>`;
browsers with their session (CSRF checked). Every endpoint authorises by role and organisation
through the same operations and `visible_*` querysets as the pages.
"""
