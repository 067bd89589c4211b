"""The Shopee authorisation page in a real browser: headless Chromium, driven through Debian's
chromedriver with plain W3C WebDriver calls (requests only, nothing downloaded), against the live
waitress server. Only loopback is used: the redirect points back at the live server."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from tests.shopee.auth_support import new_shop, shop_info, token_get
from tests.support.shopee_signer import shopee_sign

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C WebDriver element key
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--no-proxy-server", "--window-size=1024,768"]

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"{CHROMIUM} is absent: apt-get install -y chromium chromium-driver")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A minimal W3C WebDriver client: just what the test needs."""

    def __init__(self, driver_url: str, user_data_dir: str) -> None:
        self.http = requests.Session()
        self.http.trust_env = False  # never through a proxy: chromedriver is on loopback
        caps = {"browserName": "chrome", "goog:chromeOptions": {
            "binary": CHROMIUM, "args": CHROMIUM_ARGS + [f"--user-data-dir={user_data_dir}"]}}
        value = self._send("POST", f"{driver_url}/session", {"capabilities": {"alwaysMatch": caps}})
        self.base = f"{driver_url}/session/{value['sessionId']}"
        # Element look-ups wait (up to 10 s) for a page that is still loading after a form submit,
        # instead of failing on the old or half-built page.
        self._send("POST", f"{self.base}/timeouts", {"implicit": 10_000})

    def _send(self, method: str, url: str, body: Any = None) -> Any:
        response = self.http.request(method, url, json=body, timeout=60)
        payload = response.json()
        assert response.status_code == 200, payload
        return payload["value"]

    def go(self, url: str) -> None:
        self._send("POST", f"{self.base}/url", {"url": url})

    @property
    def url(self) -> str:
        return self._send("GET", f"{self.base}/url")

    def find(self, css: str) -> str:
        return self._send("POST", f"{self.base}/element", {"using": "css selector", "value": css})[ELEMENT]

    def click(self, css: str) -> None:
        self._send("POST", f"{self.base}/element/{self.find(css)}/click", {})

    def type(self, css: str, text: str) -> None:
        element = self.find(css)
        self._send("POST", f"{self.base}/element/{element}/clear", {})
        self._send("POST", f"{self.base}/element/{element}/value", {"text": text})

    def text(self, css: str) -> str:
        return self._send("GET", f"{self.base}/element/{self.find(css)}/text")

    def wait_for_url(self, prefix: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            current = self.url
            if current.startswith(prefix):
                return current
            time.sleep(0.05)
        raise AssertionError(f"the browser stayed on {self.url}, not {prefix}")

    def quit(self) -> None:
        self.http.delete(self.base, timeout=30)
        self.http.close()


@pytest.fixture
def browser(tmp_path):
    if not os.path.exists(CHROMEDRIVER):
        pytest.skip(f"{CHROMEDRIVER} is absent: apt-get install -y chromium-driver")
    port = _free_port()
    driver = subprocess.Popen([CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        probe = requests.Session()
        probe.trust_env = False
        deadline = time.monotonic() + 20
        while True:
            try:
                if probe.get(f"{url}/status", timeout=2).json()["value"]["ready"]:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "chromedriver did not start"
            time.sleep(0.1)
        session = Browser(url, str(tmp_path / "chromium-profile"))
        try:
            yield session
        finally:
            session.quit()
    finally:
        driver.terminate()  # only the chromedriver this fixture started
        try:
            driver.wait(timeout=10)
        except subprocess.TimeoutExpired:
            driver.kill()
        shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)


def test_seller_authorises_a_shop_in_chromium_and_the_code_gets_tokens(live, live_server, browser):
    creds = live.creds
    shop = new_shop(live)  # a shop not yet authorised to the default partner
    redirect = f"{live_server.url}/_sandbox/health?x=1"
    path = "/api/v2/shop/auth_partner"
    now = live.now()
    link = f"{live_server.url}{path}?" + urlencode({
        "partner_id": creds["partner_id"], "timestamp": now, "redirect": redirect,
        "sign": shopee_sign(creds["partner_key"], creds["partner_id"], path, now)})

    browser.go(link)
    assert "Authorize shop" in browser.text("h1")
    browser.click(f'#shop_id option[value="{shop["shop_id"]}"]')

    # A wrong password re-renders the page with an error and grants nothing.
    browser.type("#password", "not-the-password")
    browser.type("#otp", "123456")
    browser.click("#approve")
    assert "password" in browser.text('[role="alert"]').lower()
    assert urlsplit(browser.url).path == "/_sandbox/shopee/auth_page/submit"
    listed = live.shopee("GET", "public/get_shops_by_partner", shop=False).body["authed_shop_list"]
    assert shop["shop_id"] not in [s["shop_id"] for s in listed]

    # The page keeps the chosen shop; the right password and OTP 123456 redirect with a code.
    browser.type("#password", shop["password"])
    browser.type("#otp", "123456")
    browser.click("#approve")
    landed = urlsplit(browser.wait_for_url(redirect))
    query = parse_qs(landed.query)
    assert (landed.path, query["x"], query["shop_id"]) == ("/_sandbox/health", ["1"], [str(shop["shop_id"])])
    assert '"status":"ok"' in browser.text("body").replace(" ", "")  # the health JSON, rendered

    pair = token_get(live, creds, query["code"][0], shop["shop_id"])
    assert pair.status == 200, pair.body
    assert pair.body["expire_in"] == 14400
    info = shop_info(live, {**creds, "shop_id": shop["shop_id"], "access_token": pair.body["access_token"]})
    assert info.status == 200 and info.body["shop_name"] == shop_name(live, shop["shop_id"])


def shop_name(live, shop_id: int) -> str:
    return next(s["shop_name"] for s in live.admin("GET", "/credentials").body["shopee"]["shops"]
                if s["shop_id"] == shop_id)
