from django.conf import settings


def archive(request):
    """Expose the archive's identity, so templates never spell out one archive's name."""
    return {
        "archive": {
            "name": settings.ARCHIVE_NAME,
            "institution": settings.ARCHIVE_INSTITUTION,
            "institution_url": settings.ARCHIVE_INSTITUTION_URL,
            "contact_email": settings.ARCHIVE_CONTACT_EMAIL,
        }
    }
