"""`dualuse serve [--demo]`: run the web service (exporter portal and licensing authority).

Migrates the database, optionally loads the demo, prints where to log in (and, for the local demo
only, the demo credentials), then serves on loopback with Django's threaded server. For production
run the WSGI application `dualuse.service.wsgi:application` under a real server.
"""

from __future__ import annotations

import os

import typer


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(8000, help="Port to listen on."),
    demo: bool = typer.Option(False, "--demo", help="Load the demo data and print its logins."),
    no_run: bool = typer.Option(False, "--no-run", help="Prepare (migrate, demo) and exit."),
) -> None:
    """Start the web service on SQLite (or DUALUSE_DATABASE_URL)."""
    if demo:
        os.environ.setdefault("DUALUSE_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualuse.service.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", interactive=False, verbosity=0)
    url = f"http://{host}:{port}/"
    typer.echo(f"database: {settings.DATABASES['default']['NAME']}")
    if demo:
        from dualuse.service.web.demo import load_demo

        logins = load_demo(timezone.localdate())
        typer.echo("demo logins (local demo only; kept in the data directory):")
        for x in logins:
            typer.echo(f"  {x.username:<16} {x.password:<20} {x.role:<18} {x.organisation}")
    typer.echo(f"log in at {url}login/  ·  API docs at {url}api/docs")
    if no_run:
        return
    call_command(
        "runserver", f"{host}:{port}", use_reloader=False, use_threading=True, insecure_serving=True
    )
