"""``zoomclient phone numbers | attach --event ID``: the user's Zoom Phone numbers, and one put into an event.

The event is looked up in its calendar between a month ago and a year ahead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from host.cli.support import (
    calendar_option,
    echo_json,
    event_option,
    notify_option,
    opened_event,
    reports_errors,
    run,
)

if TYPE_CHECKING:
    from zoom_phone.numbers import PhoneNumber
    from zoom_phone.plugin import ZoomPhonePlugin


def _as_json(number: PhoneNumber) -> dict[str, str]:
    return {"number": number.shown, "e164": number.e164, "extension": number.extension, "tel": number.tel}


def _chosen(numbers: list[PhoneNumber], wanted: str | None) -> PhoneNumber:
    from host.errors import UsageError
    from zoom_phone.numbers import to_e164

    if wanted is None:
        if len(numbers) == 1:
            return numbers[0]
        raise UsageError(
            f"You have {len(numbers)} Zoom Phone numbers: {', '.join(n.e164 for n in numbers)}.",
            hint="Say which with --number.",
        )
    for number in numbers:
        if number.e164 == to_e164(wanted):
            return number
    raise UsageError(
        f"{wanted} is not one of your Zoom Phone numbers ({', '.join(n.e164 for n in numbers)}).",
        hint="`zoomclient phone numbers` lists them.",
    )


def phone_commands(plugin: ZoomPhonePlugin) -> click.Group:
    """The ``phone`` group, reading Zoom through ``plugin``'s Zoom client."""

    @click.group()
    def phone() -> None:
        """Your Zoom Phone numbers, for invitations people call into."""

    @phone.command(name="numbers")
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_context
    @reports_errors
    def phone_numbers(ctx: click.Context, as_json: bool) -> None:
        """List your Zoom Phone numbers with your extension and their tel: links."""
        plugin.accounts(ctx)  # binds the plugin to the store holding the Zoom sign-in
        numbers = run(plugin.numbers())
        if as_json:
            echo_json([_as_json(n) for n in numbers])
            return
        for number in numbers:
            click.echo(f"{number.label}\t{number.tel}")

    @phone.command(name="attach")
    @event_option
    @calendar_option
    @click.option("--number", "wanted", help="Which of your numbers (needed when you have several).")
    @notify_option
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_context
    @reports_errors
    def phone_attach(
        ctx: click.Context, event_id: str, calendar_id: str | None, wanted: str | None, no_notify: bool, as_json: bool
    ) -> None:
        """Put one of your Zoom Phone numbers into an event: a tel: link in the location and description."""
        from zoom_phone.numbers import with_phone

        manager = plugin.accounts(ctx)

        async def attach():
            number = _chosen(await plugin.numbers(), wanted)
            async with opened_event(manager, calendar_id, event_id) as (cache, _, event):
                return number, await cache.update_event(with_phone(event, number), notify=not no_notify)

        number, event = run(attach())
        if as_json:
            echo_json(event)
            return
        click.echo(f"Added Zoom Phone number {number.label} to {event.title!r}: {number.tel}")

    return phone
