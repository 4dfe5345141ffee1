# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""WSGI entry point: `dualuse.service.wsgi:application`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualuse.service.settings")
application = get_wsgi_application()
