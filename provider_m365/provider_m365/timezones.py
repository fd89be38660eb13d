"""Windows time-zone names (what Outlook and Graph speak) to IANA names (what the host speaks) and back.

Graph writes ``originalStartTimeZone`` and ``dateTimeTimeZone.timeZone`` with Windows names such as
``W. Europe Standard Time``; it also accepts IANA names. The table holds the zones people meet most
(CLDR's ``windowsZones.xml`` territory "001" mappings, with current IANA names). Beyond it: a Windows
name that is in fact an IANA name is kept; anything else falls back to UTC, and an IANA zone without a
Windows name is sent as its IANA name, which Graph accepts.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Windows name -> the IANA zone CLDR names first for it.
WINDOWS_TO_IANA: dict[str, str] = {
    "Dateline Standard Time": "Etc/GMT+12",
    "UTC-11": "Etc/GMT+11",
    "Hawaiian Standard Time": "Pacific/Honolulu",
    "Alaskan Standard Time": "America/Anchorage",
    "Pacific Standard Time": "America/Los_Angeles",
    "US Mountain Standard Time": "America/Phoenix",
    "Mountain Standard Time": "America/Denver",
    "Central America Standard Time": "America/Guatemala",
    "Central Standard Time": "America/Chicago",
    "Central Standard Time (Mexico)": "America/Mexico_City",
    "Canada Central Standard Time": "America/Regina",
    "SA Pacific Standard Time": "America/Bogota",
    "Eastern Standard Time": "America/New_York",
    "Venezuela Standard Time": "America/Caracas",
    "Atlantic Standard Time": "America/Halifax",
    "Pacific SA Standard Time": "America/Santiago",
    "Newfoundland Standard Time": "America/St_Johns",
    "E. South America Standard Time": "America/Sao_Paulo",
    "Argentina Standard Time": "America/Argentina/Buenos_Aires",
    "UTC-02": "Etc/GMT+2",
    "Azores Standard Time": "Atlantic/Azores",
    "UTC": "Etc/UTC",
    "GMT Standard Time": "Europe/London",
    "Greenwich Standard Time": "Atlantic/Reykjavik",
    "W. Europe Standard Time": "Europe/Berlin",
    "Central Europe Standard Time": "Europe/Budapest",
    "Romance Standard Time": "Europe/Paris",
    "Central European Standard Time": "Europe/Warsaw",
    "W. Central Africa Standard Time": "Africa/Lagos",
    "GTB Standard Time": "Europe/Bucharest",
    "FLE Standard Time": "Europe/Kyiv",
    "Israel Standard Time": "Asia/Jerusalem",
    "Egypt Standard Time": "Africa/Cairo",
    "South Africa Standard Time": "Africa/Johannesburg",
    "Turkey Standard Time": "Europe/Istanbul",
    "Arabic Standard Time": "Asia/Baghdad",
    "Arab Standard Time": "Asia/Riyadh",
    "Russian Standard Time": "Europe/Moscow",
    "E. Africa Standard Time": "Africa/Nairobi",
    "Iran Standard Time": "Asia/Tehran",
    "Arabian Standard Time": "Asia/Dubai",
    "Afghanistan Standard Time": "Asia/Kabul",
    "Pakistan Standard Time": "Asia/Karachi",
    "India Standard Time": "Asia/Kolkata",
    "Nepal Standard Time": "Asia/Kathmandu",
    "Bangladesh Standard Time": "Asia/Dhaka",
    "SE Asia Standard Time": "Asia/Bangkok",
    "China Standard Time": "Asia/Shanghai",
    "Singapore Standard Time": "Asia/Singapore",
    "Taipei Standard Time": "Asia/Taipei",
    "W. Australia Standard Time": "Australia/Perth",
    "Tokyo Standard Time": "Asia/Tokyo",
    "Korea Standard Time": "Asia/Seoul",
    "Cen. Australia Standard Time": "Australia/Adelaide",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "E. Australia Standard Time": "Australia/Brisbane",
    "West Pacific Standard Time": "Pacific/Port_Moresby",
    "New Zealand Standard Time": "Pacific/Auckland",
    "Tonga Standard Time": "Pacific/Tongatapu",
}

#: Old IANA names (links) of zones the table names by their current name.
_IANA_ALIASES: dict[str, str] = {
    "UTC": "Etc/UTC",
    "Etc/GMT": "Etc/UTC",
    "GMT": "Etc/UTC",
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Europe/Kiev": "Europe/Kyiv",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
}

#: IANA zones that share a Windows zone with the table's entry (same rules, another city).
_MORE_IANA: dict[str, str] = {
    "Europe/Amsterdam": "W. Europe Standard Time",
    "Europe/Rome": "W. Europe Standard Time",
    "Europe/Vienna": "W. Europe Standard Time",
    "Europe/Zurich": "W. Europe Standard Time",
    "Europe/Stockholm": "W. Europe Standard Time",
    "Europe/Oslo": "W. Europe Standard Time",
    "Europe/Madrid": "Romance Standard Time",
    "Europe/Brussels": "Romance Standard Time",
    "Europe/Copenhagen": "Romance Standard Time",
    "Europe/Prague": "Central Europe Standard Time",
    "Europe/Dublin": "GMT Standard Time",
    "Europe/Lisbon": "GMT Standard Time",
    "Europe/Helsinki": "FLE Standard Time",
    "Europe/Athens": "GTB Standard Time",
    "America/Toronto": "Eastern Standard Time",
    "America/Detroit": "Eastern Standard Time",
    "America/Vancouver": "Pacific Standard Time",
    "Asia/Hong_Kong": "China Standard Time",
}

IANA_TO_WINDOWS: dict[str, str] = {iana: windows for windows, iana in WINDOWS_TO_IANA.items()} | _MORE_IANA


def _is_iana(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def to_iana(name: str | None) -> str:
    """The IANA zone for a Windows name (or an IANA name Graph echoed back); UTC when unknown."""
    if not name:
        return "UTC"
    iana = WINDOWS_TO_IANA.get(name.strip())
    if iana is not None:
        return "UTC" if iana == "Etc/UTC" else iana
    name = name.strip()
    if _is_iana(name):
        canonical = _IANA_ALIASES.get(name, name)
        return "UTC" if canonical == "Etc/UTC" else canonical
    return "UTC"


def to_windows(name: str | None) -> str:
    """The Windows name for an IANA zone; the IANA name itself when the table has none (Graph takes it)."""
    if not name:
        return "UTC"
    canonical = _IANA_ALIASES.get(name, name)
    return IANA_TO_WINDOWS.get(canonical, name)


def zone(name: str | None) -> ZoneInfo:
    """A tzinfo for a Windows or IANA name."""
    return ZoneInfo(to_iana(name))
