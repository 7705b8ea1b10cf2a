"""`lotsen accounts ...` (accounts, API tokens, audit trail) and `lotsen retention run`.

The CLI runs on the server with direct database access, so it acts as SYSTEM:
whoever can run it can already read the database.
"""

from __future__ import annotations

from collections.abc import Sequence

import typer

from lotsen.cli.output import console, emit, emit_json
from lotsen.services import accounts, api_tokens, audit, logins, retention
from lotsen.services.access import ACCOUNT_ROLES, SYSTEM
from lotsen.services.database import connect
from lotsen.services.results.accounts import DemoAccount

app = typer.Typer(help="Accounts, roles and API tokens.", no_args_is_help=True)
retention_app = typer.Typer(help="Delete data past its retention limit.", no_args_is_help=True)

ACCOUNT_COLUMNS = ("username", "role", "tenant_id", "organization_id", "is_active", "last_login_at")


def _password(password: str | None) -> str:
    if password:
        return password
    value: str = typer.prompt("Lösenord", hide_input=True, confirmation_prompt=True)
    return value


@app.command("create")
def create(
    username: str,
    role: str = typer.Option(..., help=f"One of: {', '.join(ACCOUNT_ROLES)}."),
    tenant: str = typer.Option(None, help="Tenant slug (needed for all roles but admin/analyst)."),
    organization: int = typer.Option(None, help="Organisation id (employer/provider roles)."),
    name: str = typer.Option("", help="Display name."),
    password: str = typer.Option(
        None, envvar="LOTSEN_NEW_PASSWORD", help="Password (asked for when not given)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Create an account."""
    made = accounts.create_account(
        connect(), username, _password(password), role, tenant, organization, name, actor=SYSTEM
    )
    emit({"results": [made]}, as_json, ACCOUNT_COLUMNS)


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List every account."""
    emit({"results": accounts.list_accounts(connect(), actor=SYSTEM)}, as_json, ACCOUNT_COLUMNS)


@app.command("password")
def password(
    username: str,
    new: str = typer.Option(None, envvar="LOTSEN_NEW_PASSWORD", help="New password."),
    keep_tokens: bool = typer.Option(
        False, "--keep-tokens", help="Keep the account's API tokens (default: revoke them)."),
) -> None:
    """Set a new password: logs the account out everywhere and revokes its API tokens,
    unless --keep-tokens."""
    logins.set_password(connect(), username, _password(new), actor=SYSTEM,
                          keep_tokens=keep_tokens)
    console.print(f"Nytt lösenord för {username}.")


@app.command("disable")
def disable(username: str) -> None:
    """Disable an account: it can no longer log in, and its sessions end."""
    logins.set_active(connect(), username, False, actor=SYSTEM)
    console.print(f"{username} är avstängt.")


@app.command("enable")
def enable(username: str) -> None:
    logins.set_active(connect(), username, True, actor=SYSTEM)
    console.print(f"{username} är aktivt.")


@app.command("token")
def token(
    username: str,
    name: str = typer.Option("API", help="What uses the token, e.g. 'ärendesystemet'."),
    days: int | None = typer.Option(None, help="Valid this many days (default and maximum: "
                                    "LOTSEN_TOKEN_MAX_DAYS)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Create an API token for USERNAME; the token is printed once."""
    made = api_tokens.create_token(connect(), username, name, days, actor=SYSTEM)
    if as_json:
        emit_json(made)
    else:
        console.print(f"API-nyckel '{made['name']}' för {username} (visas bara nu):")
        typer.echo(made["token"])


@app.command("tokens")
def tokens(
    username: str, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """List an account's API tokens (never the tokens themselves)."""
    rows = api_tokens.list_tokens(connect(), username, actor=SYSTEM)
    emit({"results": rows}, as_json, ("id", "name", "prefix", "expires_at", "last_used_at",
                                      "revoked"))


@app.command("revoke")
def revoke(token_id: int) -> None:
    """Revoke an API token by id."""
    api_tokens.revoke_token(connect(), token_id, actor=SYSTEM)
    console.print(f"Nyckel {token_id} är återkallad.")


@app.command("audit")
def audit_log(
    person: int = typer.Option(None, help="Only entries about this person id."),
    limit: int = typer.Option(50, help="At most this many, newest first."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Who read or changed personal data."""
    data = audit.list_entries(connect(), "person" if person else None, person, limit, actor=SYSTEM)
    emit(data, as_json, ("at", "username", "role", "action", "entity", "entity_id", "detail"))


@retention_app.command("run")
def run(
    dry_run: bool = typer.Option(False, "--dry-run", help="Only report what would be deleted."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Delete people whose consent ended more than LOTSEN_RETENTION_DAYS ago, and audit
    entries older than LOTSEN_AUDIT_RETENTION_DAYS, and ended logins. Run it daily (cron or
    a systemd timer)."""
    result = retention.run(connect(), dry_run=dry_run, actor=SYSTEM)
    if as_json:
        emit_json(result)
        return
    verb = "skulle raderas" if dry_run else "raderade"
    console.print(f"Personer {verb}: {result['people_deleted']}")
    console.print(f"Loggposter {verb}: {result['audit_entries_deleted']}")
    console.print(f"Avslutade inloggningar {verb}: {result['ended_sessions_deleted']}")


def print_demo_accounts(made: Sequence[DemoAccount], auth_required: bool) -> None:
    """The demo logins, marked as what they are: public passwords for synthetic data."""
    if not made:
        return
    console.print(
        "\n[bold]Demokonton[/bold] [red](ENDAST FÖR DEMO – lösenorden är offentliga, "
        "använd dem aldrig i en riktig installation)[/red]"
    )
    for row in made:
        where = row["organization"] or row["tenant"]
        console.print(
            f"  {row['username']:<26} {row['password']:<26} {row['role_label']} – {where}",
            soft_wrap=True,
        )
    if not auth_required:
        console.print("  (LOTSEN_AUTH=off: ingen inloggning behövs, alla agerar som administratör)")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="accounts")
    root.add_typer(retention_app, name="retention")
