# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""`python -m dualuse.service <command>`: Django's management commands for this service
(migrate, createsuperuser, audit_verify, load_demo, ...)."""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualuse.service.settings")
    execute_from_command_line([sys.argv[0], *sys.argv[1:]])


if __name__ == "__main__":
    main()
