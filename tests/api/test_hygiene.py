"""api/ is headless like store/: starting the server must not load textual."""

from tests.test_import_hygiene import _modules_after


def test_importing_the_api_server_does_not_import_textual():
    loaded = _modules_after("from api.server import build_app, ApiConfig\nimport api.routes, api.webhooks")
    assert "api.server" in loaded and "aiohttp" in loaded
    assert not any(name == "textual" or name.startswith("textual.") for name in loaded)
