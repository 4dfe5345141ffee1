"""The dualuse web service: exporter portal and licensing authority (CDIU) on a real database.

A Django 5.2 LTS project whose apps are split by domain (organisations, audit, catalogue, checks,
cases, licences, api, web). Views are thin: they authorise (role AND organisation, see
`organisations.access`), call the pure core or a domain operation, and render. The service owns
time, identity and persistence; the core never sees them.

Run it with `dualuse serve --demo`; manage it with `python -m dualuse.service <command>`.
"""
