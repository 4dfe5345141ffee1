"""The one error hierarchy of dualuse.

Every error names the field or code at fault and, where one applies, the provision. Edges (CLI,
service, batch) turn these into exit code 2 / HTTP 4xx with the message; nothing is changed.
"""

from __future__ import annotations


class DualuseError(Exception):
    """Base of all errors dualuse raises on purpose."""

    def __init__(self, message: str, *, field: str | None = None, provision: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.provision = provision

    def __str__(self) -> str:
        prefix = f"{self.field}: " if self.field else ""
        suffix = f" ({self.provision})" if self.provision else ""
        return f"{prefix}{self.message}{suffix}"


class InputError(DualuseError):
    """Input that cannot be read: malformed file, wrong type, unknown vocabulary word."""


class UnknownCodeError(InputError):
    """A control code that does not exist in Annex I on the date asked."""

    def __init__(
        self,
        code: str,
        *,
        field: str | None = "control_code",
        suggestions: tuple[str, ...] = (),
        as_of: str | None = None,
    ) -> None:
        when = f" on {as_of}" if as_of else ""
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown Annex I code {code!r}{when}{hint}", field=field)
        self.code = code
        self.suggestions = suggestions


class UnknownCountryError(InputError):
    """A destination or member state that is not an ISO 3166-1 alpha-2 code we know."""


class CoverageError(DualuseError):
    """A date outside the period the law data covers: never silently answered with other data."""


class DataIntegrityError(DualuseError):
    """Bundled or fetched data that fails validation."""


class ScreeningUnavailableError(DualuseError):
    """Screening could not run; callers must fail closed, never read this as 'no match'."""
