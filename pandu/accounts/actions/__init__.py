"""Every write of the accounts app: users, passwords, two-factor login, API tokens, offices."""

from .offices import OFFICE_FIELDS, SIGNER_FIELDS, save_office
from .passwords import change_own_password, set_one_time_password
from .tokens import issue_token, note_token_use, revoke_token
from .two_factor import (
    check_code,
    disable_two_factor,
    enrol_authenticator,
    renew_recovery_codes,
    reset_two_factor,
)
from .users import (
    check_password,
    create_user,
    deactivate_user,
    reactivate_user,
    record_change,
    update_user,
)

__all__ = [
    "OFFICE_FIELDS",
    "SIGNER_FIELDS",
    "change_own_password",
    "check_code",
    "check_password",
    "create_user",
    "deactivate_user",
    "disable_two_factor",
    "enrol_authenticator",
    "issue_token",
    "note_token_use",
    "reactivate_user",
    "record_change",
    "renew_recovery_codes",
    "reset_two_factor",
    "revoke_token",
    "save_office",
    "set_one_time_password",
    "update_user",
]
