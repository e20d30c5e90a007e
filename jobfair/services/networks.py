"""Trusted networks: address ranges an organiser vouches for (a Disnaker help desk, a
school computer lab, a job-fair hall's Wi-Fi) where dozens of people register and sign
in from one address in minutes. The per-address rate ceilings do not apply to them;
the per-identity limits (NIK, e-mail, phone, account) still do.

A range is at most a /24 (IPv4) or a /48 (IPv6): one site, never a carrier's whole
block, so trusting it cannot switch the address ceilings off for everyone.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.i18n import N_, gettext
from jobfair.models import LabourOffice, TrustedNetwork, User
from jobfair.schemas.base import FieldMessage
from jobfair.schemas.fields import text as text_of
from jobfair.schemas.problems import parse, refuse
from jobfair.services import audit, authority
from jobfair.services.errors import Conflict, NotFound, PermissionDenied

logger = logging.getLogger(__name__)

# The widest range one entry may trust.
WIDEST_PREFIX = {4: 24, 6: 48}
LABEL_MIN, LABEL_MAX = 2, 100
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _network(value: Any) -> str:
    if not isinstance(value, str):
        raise refuse("network", "is not an address range")
    try:
        network = ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        raise refuse("network", f"{value!r} is not an address or CIDR range") from None
    if network.prefixlen < WIDEST_PREFIX[network.version]:
        widest = WIDEST_PREFIX[network.version]
        raise refuse("too_wide", f"/{network.prefixlen} is wider than /{widest}")
    if network.is_multicast or network.is_unspecified:
        raise refuse("network", f"{network} is not a range clients come from")
    return network.with_prefixlen


Cidr = Annotated[str, BeforeValidator(_network)]


class NetworkForm(BaseModel):
    """The form that trusts a range: the range and what it is."""

    cidr: Cidr
    label: text_of(LABEL_MAX, least=LABEL_MIN, one_line=True)

    messages: ClassVar = {
        "cidr": FieldMessage(
            N_(
                "Enter one address or a range such as 103.10.20.0/24 "
                "(at most /%(v4)s for IPv4, /%(v6)s for IPv6)."
            ),
            {"v4": WIDEST_PREFIX[4], "v6": WIDEST_PREFIX[6]},
        ),
        "label": FieldMessage(
            N_("Say where it is (%(least)s to %(limit)s characters)."),
            {"least": LABEL_MIN, "limit": LABEL_MAX},
        ),
    }


@dataclass(frozen=True)
class NetworkRow:
    network: TrustedNetwork
    office: LabourOffice | None


def _in_scope(user: User) -> Any:
    """The ranges ``user`` manages: their office's; an admin's, all."""
    if authority.is_admin(user):
        return True
    return TrustedNetwork.office_id == user.office_id


def _staff_only(user: User) -> None:
    if user.role not in authority.STAFF_ROLES or authority.without_office(user):
        raise PermissionDenied(gettext("This page is for organisers."))


async def list_networks(session: AsyncSession, user: User) -> list[NetworkRow]:
    _staff_only(user)
    query = (
        select(TrustedNetwork, LabourOffice)
        .outerjoin(LabourOffice, LabourOffice.id == TrustedNetwork.office_id)
        .where(_in_scope(user))
        .order_by(TrustedNetwork.cidr)
    )
    return [NetworkRow(network, office) for network, office in await session.execute(query)]


async def trust_network(
    session: AsyncSession, user: User, values: dict[str, Any], now: datetime
) -> TrustedNetwork:
    """Trust a range for ``user``'s office (audited ``network.trusted``)."""
    _staff_only(user)
    form = parse(NetworkForm, values, strict=False)
    if await session.scalar(select(TrustedNetwork.id).where(TrustedNetwork.cidr == form.cidr)):
        message = gettext("This range is trusted already.")
        raise Conflict(message, fields={"cidr": message})
    row = TrustedNetwork(
        cidr=form.cidr,
        label=form.label,
        office_id=user.office_id,
        created_by_user_id=user.id,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    audit.record(
        session,
        "network.trusted",
        object_type="trusted_network",
        object_id=row.id,
        actor_user_id=user.id,
        data={"cidr": row.cidr, "label": row.label},
    )
    return row


async def untrust_network(session: AsyncSession, user: User, network_id: int) -> None:
    """Remove a range of ``user``'s office (audited ``network.untrusted``); another
    office's range is not found."""
    _staff_only(user)
    row = await session.scalar(
        select(TrustedNetwork).where(TrustedNetwork.id == network_id, _in_scope(user))
    )
    if row is None:
        raise NotFound(gettext("We could not find that page."))
    audit.record(
        session,
        "network.untrusted",
        object_type="trusted_network",
        object_id=row.id,
        actor_user_id=user.id,
        data={"cidr": row.cidr, "label": row.label},
    )
    await session.delete(row)
    await session.flush()


async def trusted_ranges(session: AsyncSession) -> tuple[Network, ...]:
    rows = await session.scalars(select(TrustedNetwork.cidr))
    return tuple(ipaddress.ip_network(cidr) for cidr in rows)


class TrustedAddresses:
    """Whether a client address is in a trusted range, read from the database at most
    every ``refresh_seconds`` per process (a rate-limit check must not cost a query
    on every request); a range added in one process counts in all within that time."""

    def __init__(
        self,
        load: Callable[[], Awaitable[tuple[Network, ...]]],
        refresh_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load = load
        self._refresh = refresh_seconds
        self._clock = clock
        self._ranges: tuple[Network, ...] = ()
        self._loaded_at: float | None = None

    def forget(self) -> None:
        """Read the ranges again at the next check (after this process changed them)."""
        self._loaded_at = None

    async def contains(self, address: str) -> bool:
        now = self._clock()
        if self._loaded_at is None or now - self._loaded_at >= self._refresh:
            try:
                self._ranges = await self._load()
            except Exception:
                # The database away: keep the ranges read last (a limit check must not
                # fail the request); read again after the refresh time.
                logger.warning("trusted networks could not be read; using the last ones")
            self._loaded_at = now
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._ranges)
