"""Form helpers shared by every app's views."""

from django.core.exceptions import PermissionDenied, ValidationError


def add_action_errors(form, exc: ValidationError | PermissionDenied) -> None:
    """Put an action's refusal on the form: field errors on their fields (or the form when the
    field is not on it), everything else as a form error."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc))
    elif hasattr(exc, "error_dict"):
        for name, errs in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)
