import io

import pytest
from django.contrib.auth.models import Group
from django.core.files import File
from django.forms import MultiWidget
from PIL import Image

ROLES = ["Curator", "Editor", "Importer", "Viewer"]


@pytest.fixture
def make_user(django_user_model):
    """A staff account in one of the roles the data migration creates."""

    def make(role, username=None):
        user = django_user_model.objects.create_user(
            username or role.lower(), password="a-long-test-password", is_staff=True
        )
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def curator_client(client, make_user):
    client.force_login(make_user("Curator"))
    return client


def form_data(response, **changes):
    """What the browser would post back from an admin change form, with `changes` applied."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if value is None or isinstance(value, File):
                continue
            widget = bound.field.widget
            if isinstance(widget, MultiWidget) and not isinstance(value, list | tuple):
                # A split widget (the admin's date and time) posts one value per part.
                values = widget.decompress(value)
                parts = zip(widget.widgets_names, widget.widgets, values, strict=True)
                for suffix, part_widget, part in parts:
                    data[bound.html_name + suffix] = part_widget.format_value(part) or ""
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = str(value)
    data.update(changes)
    return data


def image_bytes(fmt="JPEG", size=(60, 40), exif=None, color="white"):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
