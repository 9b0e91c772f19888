from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pandu.accounts.actions import create_user
from pandu.accounts.roles import ROLE_USUAL_LEVELS, Role


class Command(BaseCommand):
    help = "Create a user with one role and one area: add_user USERNAME --role ROLE --area CODE"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--area", required=True, help="area code, e.g. 73.09 or 73.09.13.2001")
        parser.add_argument(
            "--password",
            default=None,
            help="must meet the password policy (12+ characters for admin and auditor); "
            "none: the account cannot sign in until a password is set",
        )
        parser.add_argument(
            "--one-time",
            action="store_true",
            help="the user must replace the password at the first sign-in",
        )
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(
        self, *args, username, role, area, password, one_time, first_name, last_name, **opts
    ):
        try:
            user = create_user(
                username,
                role=role,
                area_code=area,
                password=password,
                must_change_password=one_time,
                first_name=first_name,
                last_name=last_name,
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            )
        if user.area and user.area.level not in ROLE_USUAL_LEVELS.get(role, {user.area.level}):
            self.stderr.write(
                f"note: role {role} usually works at another area level "
                f"than {user.area.get_level_display()}"
            )
        self.stdout.write(f"created {username} ({role}, {user.area})")
