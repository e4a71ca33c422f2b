"""The client address behind a load balancer (data.client_address), for sign-in throttling."""

from __future__ import annotations

import pytest

from data.client_address import client_address


@pytest.fixture()
def proxies(monkeypatch):
    monkeypatch.setenv("PHANG_TRUSTED_PROXIES", "10.0.0.5, 10.0.0.6")


def test_without_trusted_proxies_the_header_is_ignored(monkeypatch):
    monkeypatch.delenv("PHANG_TRUSTED_PROXIES", raising=False)
    assert client_address("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_client_cannot_choose_its_address(proxies):
    # not from a trusted balancer: whatever it claims, its own address counts
    assert client_address("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_behind_a_trusted_balancer_the_nearest_untrusted_hop_counts(proxies):
    assert client_address("10.0.0.5", "198.51.100.1") == "198.51.100.1"
    # a forged first hop is left of the real one: the nearest untrusted hop is the real one
    assert client_address("10.0.0.5", "1.2.3.4, 198.51.100.1, 10.0.0.6") == "198.51.100.1"
    assert client_address("10.0.0.5", "10.0.0.6") == "10.0.0.5"
    assert client_address("10.0.0.5", "not-an-address") == "10.0.0.5"
    assert client_address("10.0.0.5", None) == "10.0.0.5"
