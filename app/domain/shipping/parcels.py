"""The SSCC on every parcel, made by a bench station on its own, offline. Pure.

An SSCC-18 is an extension digit, the retailer's GS1 company prefix, a serial reference
and a check digit. Benches make SSCCs without asking anyone, so two benches must never
make the same one. The serial reference is split in two fixed blocks:

    extension   company prefix   station (STATION_DIGITS)   counter   check digit
        c           pppppppp            ssss                  nnnn         k

``station`` is the bench's station number, unique across the retailer (the device id
the ledger issued at enrolment); ``counter`` is the station's own parcel counter, kept
in its local database and never reused. The counter's low digits fill the counter block
and its top digit is the extension digit, so a station has ten times the counter block
before it runs out. Two different (station, counter) pairs always give different
SSCCs, whatever other stations do, online or not: :meth:`SsccScheme.read` gives the
pair back from an SSCC.

With a 7-digit company prefix a station makes 10 × 10⁵ = one million parcels; a longer
prefix leaves fewer, and at least MIN_COUNTER_DIGITS digits must remain for the counter.

The local courier (LOCAL_COURIER: the retailer's own riders, used when a bench is
offline and cannot book a carrier) has no numbers of its own: its tracking number is the
parcel's SSCC.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.gtin import make_sscc, validate_sscc
from app.errors import BadInput

STATION_DIGITS = 4
MIN_COUNTER_DIGITS = 3
LOCAL_COURIER = "own_fleet"  # the carrier code of the retailer's own riders (master data)


@dataclass(frozen=True)
class ParcelNumber:
    """Which station made an SSCC, and its counter there."""

    station: int
    counter: int


@dataclass(frozen=True)
class SsccScheme:
    """How this retailer's stations number parcels (see the module docstring)."""

    company_prefix: str
    station_digits: int = STATION_DIGITS

    def __post_init__(self) -> None:
        if not self.company_prefix.isdigit() or not 6 <= len(self.company_prefix) <= 12:
            raise BadInput(
                f"'{self.company_prefix}' is not a GS1 company prefix: it has 6 to 12 digits.",
                next_step="Enter the prefix from the retailer's GS1 certificate.",
            )
        if self.counter_digits < MIN_COUNTER_DIGITS or self.station_digits < 1:
            raise BadInput(
                f"A {len(self.company_prefix)}-digit company prefix and "
                f"{self.station_digits} station digits leave no room for a parcel counter.",
                next_step="Use fewer station digits.",
            )

    @property
    def counter_digits(self) -> int:
        """Digits of the counter block (the serial reference less the station block)."""
        return 16 - len(self.company_prefix) - self.station_digits

    @property
    def last_station(self) -> int:
        return 10**self.station_digits - 1

    @property
    def per_station(self) -> int:
        """How many SSCCs one station can make: the counter block times the 10 extensions."""
        return 10 * 10**self.counter_digits

    def sscc(self, station: int, counter: int) -> str:
        """The SSCC of a station's ``counter``-th parcel (counters start at 0)."""
        if isinstance(station, bool) or not 1 <= station <= self.last_station:
            raise BadInput(
                f"Station number {station} does not fit the parcel numbers "
                f"(1 to {self.last_station}).",
                next_step="Ask HQ to check this station's number.",
            )
        if isinstance(counter, bool) or counter < 0:
            raise BadInput(f"Parcel counter {counter} is not a count.")
        if counter >= self.per_station:
            raise BadInput(
                f"Station {station} has used all its {self.per_station:,} parcel numbers.",
                next_step="Ask HQ for a new station number for this bench.",
            )
        extension, low = divmod(counter, 10**self.counter_digits)
        serial = station * 10**self.counter_digits + low
        return make_sscc(extension, self.company_prefix, serial)

    def read(self, sscc: str) -> ParcelNumber:
        """The station and counter that made ``sscc``; BadInput when it is not ours."""
        code = validate_sscc(sscc)
        prefix = code[1 : 1 + len(self.company_prefix)]
        if prefix != self.company_prefix:
            raise BadInput(f"SSCC {code} is not one of this retailer's parcels.")
        serial = int(code[1 + len(self.company_prefix) : 17])
        station, low = divmod(serial, 10**self.counter_digits)
        if station == 0:
            raise BadInput(f"SSCC {code} was not made by a bench station.")
        return ParcelNumber(station, int(code[0]) * 10**self.counter_digits + low)


def tracking_number(carrier: str, sscc: str, booked: str = "") -> str:
    """A parcel's tracking number: the SSCC for the local courier, else the carrier's."""
    if carrier == LOCAL_COURIER:
        return validate_sscc(sscc)
    if not booked.strip():
        raise BadInput(
            f"The parcel has no {carrier} tracking number yet.",
            next_step=f"Book it with {carrier}, or send it with our own riders.",
        )
    return booked.strip()
