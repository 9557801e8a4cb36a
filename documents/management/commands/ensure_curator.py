import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create a local curator account with a generated password, unless one exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="curator")
        parser.add_argument("--port", default="8000", help="Port the site is served on.")

    def handle(self, *args, username, port, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Curator account '{username}' already exists (password unchanged).")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created curator account. Log in at http://127.0.0.1:{port}/admin/ with\n"
                f"  username: {username}\n  password: {password}"
            )
        )
