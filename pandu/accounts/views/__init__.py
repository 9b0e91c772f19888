"""The accounts pages: signing in, the gate's pages (second factor, new password, enrolment),
the user's own security and API tokens, user administration, the office's letterhead."""

from .offices import office_edit, office_logo, office_sample
from .passwords import (
    PasswordChangeView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
)
from .signin import LoginView, LogoutView
from .tokens import token_list, token_revoke
from .two_factor import disable, enrol, recovery_codes, security, verify
from .users import (
    change_list,
    user_create,
    user_deactivate,
    user_detail,
    user_edit,
    user_list,
    user_password,
    user_reactivate,
    user_two_factor_reset,
)

__all__ = [
    "LoginView",
    "LogoutView",
    "PasswordChangeView",
    "PasswordResetCompleteView",
    "PasswordResetConfirmView",
    "PasswordResetDoneView",
    "PasswordResetView",
    "change_list",
    "disable",
    "enrol",
    "office_edit",
    "office_logo",
    "office_sample",
    "recovery_codes",
    "security",
    "token_list",
    "token_revoke",
    "user_create",
    "user_deactivate",
    "user_detail",
    "user_edit",
    "user_list",
    "user_password",
    "user_reactivate",
    "user_two_factor_reset",
    "verify",
]
