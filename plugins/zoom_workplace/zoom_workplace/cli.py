"""``zoomclient zoom signin | status | signout``: the Zoom sign-in beside the mail account."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from host.cli.support import accounts, echo_json, reports_errors, run

if TYPE_CHECKING:
    from zoom_workplace.policy import FeaturePolicy


@click.group()
def zoom() -> None:
    """Sign in to Zoom (for meetings, Team Chat, recordings), see what your admin allows, sign out."""


@zoom.command(name="signin")
@click.option("--sandbox", "sandbox_url", metavar="URL", help="Sign in against the Zoom emulator at URL.")
@click.option("--login-hint", metavar="EMAIL", help="The Zoom account to sign in as.")
@click.option(
    "--browser/--no-browser",
    default=None,
    help="Open the system browser for consent (default: yes, except against an emulator).",
)
@click.pass_context
@reports_errors
def zoom_signin(ctx: click.Context, sandbox_url: str | None, login_hint: str | None, browser: bool | None) -> None:
    """Sign in to Zoom with OAuth 2.0 in the browser."""
    import webbrowser

    from host.auth import headless_browser
    from zoom_workplace.session import sign_in

    store = accounts(ctx).secrets
    use_browser = browser if browser is not None else sandbox_url is None
    if use_browser:
        click.echo("Opening your browser to sign in to Zoom; come back here when you have allowed access.")
    result = run(
        sign_in(
            store,
            sandbox_url=sandbox_url,
            login_hint=login_hint,
            open_browser=webbrowser.open if use_browser else headless_browser,
        )
    )
    click.echo(f"Signed in to Zoom as {result.user.email} ({result.user.display_name}).")
    for feature, reason in result.policy.withheld():
        click.echo(f"  {feature.value} is off: {reason}.")


@zoom.command(name="status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@reports_errors
def zoom_status(ctx: click.Context, as_json: bool) -> None:
    """Who is signed in to Zoom, and what the admin policy allows (read anew from Zoom)."""
    from host.errors import ZoomclientError
    from zoom_workplace.session import check, open_client, save_failure, zoom_account

    manager = accounts(ctx)
    found = zoom_account(manager.secrets, manager.host)
    if found is None:
        if as_json:
            echo_json({"signed_in": False})
        else:
            click.echo("Nobody is signed in to Zoom. Sign in with `zoomclient zoom signin`.")
        return

    async def status():
        client = open_client(manager.secrets, manager.host)
        try:
            return await check(client, manager.secrets)
        finally:
            await client.aclose()

    try:
        user, policy = run(status())
    except ZoomclientError as error:
        # The policy read before stays in force: say so, and keep the failure for the app to show.
        checked = save_failure(manager.secrets, found[1].email, str(error))
        if as_json:
            echo_json({"signed_in": True, **checked.to_json()})
        elif checked.policy is not None and checked.read_at is not None:
            click.echo(f"The admin policy read on {checked.read_at.astimezone():%Y-%m-%d %H:%M} stays in force:")
            _echo_policy(checked.policy)
        raise
    if as_json:
        echo_json({"signed_in": True, "user": user, "policy": policy})
        return
    click.echo(f"Signed in to Zoom as {user.email} ({user.display_name}), account {user.account_id}.")
    _echo_policy(policy)


def _echo_policy(policy: FeaturePolicy) -> None:
    click.echo(f"Mail client: {'on' if policy.mail else 'off'}; calendar client: {'on' if policy.calendar else 'off'}.")
    for feature, reason in policy.withheld():
        click.echo(f"  {feature.value} is off: {reason}.")


@zoom.command(name="signout")
@click.pass_context
@reports_errors
def zoom_signout(ctx: click.Context) -> None:
    """Forget the Zoom sign-in on this computer (a Zoom Mail account signs out with `account remove`)."""
    from zoom_workplace.session import sign_out

    account = sign_out(accounts(ctx).secrets)
    click.echo(f"Signed out of Zoom ({account.email})." if account else "Nobody is signed in to Zoom.")
