from tests.admin.conftest import curator_client, make_user  # noqa: F401 - shared fixtures
