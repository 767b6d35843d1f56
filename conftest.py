"""Suite-wide test settings and the browser fixture shared by every app's browser tests."""

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]


def pytest_configure(config: pytest.Config) -> None:
    # Fast hashing, in-memory mail: the suite runs in minutes on two cores.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright; skipped with the fix where chromium is absent."""
    if not os.path.exists(CHROMIUM) and not shutil.which("chromium"):
        if os.environ.get("PLAYWRIGHT_REQUIRE_BROWSER"):
            pytest.fail("chromium is required here: apt-get install -y chromium")
        pytest.skip(
            "Browser tests need Debian's chromium: run `apt-get install -y chromium` as root."
        )
    # Playwright's sync API runs an event loop in this thread; Django's ORM is still used
    # synchronously by the live server and the test itself.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", bypass_csp=True)
    page = context.new_page()
    # Generous: a loaded two-core machine may take seconds for a page; a passing step never waits.
    page.set_default_timeout(30_000)
    yield page
    context.close()
