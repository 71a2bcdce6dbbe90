from tests.web.conftest import quick_argon2, web_project, web_template  # noqa: F401
