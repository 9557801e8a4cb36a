import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create a local curator account (staff, in the Curator group) with a generated password, "
        "unless one exists; make sure it is in the Curator group either way."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="curator")
        parser.add_argument("--port", default="8000", help="Port the site is served on.")

    def handle(self, *args, username, port, **options):
        User = get_user_model()
        curators, _created = Group.objects.get_or_create(name="Curator")
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            existing.groups.add(curators)
            self.stdout.write(f"Curator account '{username}' already exists (password unchanged).")
            return
        password = secrets.token_urlsafe(12)
        # A curator, not a superuser: the account shows exactly what the Curator role may do.
        user = User.objects.create_user(username=username, password=password, is_staff=True)
        user.groups.add(curators)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created curator account. Log in at http://127.0.0.1:{port}/admin/ with\n"
                f"  username: {username}\n  password: {password}"
            )
        )
