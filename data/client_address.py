"""The address of the person signing in, for sign-in throttling (``data.signin``).

Behind a load balancer every request comes from the balancer, so its own address would put
every user under one throttle. ``PHANG_TRUSTED_PROXIES`` names the balancers whose
``X-Forwarded-For`` header is believed: the client is then the nearest address in that
header that is not itself a trusted proxy. From anyone else the header is ignored (a client
could write anything in it to escape its own throttle).
"""

from __future__ import annotations

import ipaddress

from data.settings import setting


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def trusted_proxies() -> set[str]:
    found = (_address(p) for p in setting("PHANG_TRUSTED_PROXIES").split(","))
    return {a for a in found if a}


def client_address(peer: str | None, forwarded_for: str | None) -> str | None:
    """The client's address from the connection's ``peer`` and its X-Forwarded-For."""
    peer_ip = _address(peer) if peer else None
    proxies = trusted_proxies()
    if peer_ip is None or peer_ip not in proxies or not forwarded_for:
        return peer_ip or peer
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:
            return peer_ip  # a malformed chain: fall back to what we know
        if address not in proxies:
            return address
    return peer_ip
